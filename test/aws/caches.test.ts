import { describe, expect, it } from 'vitest'
import { PolicyVersionCache } from '../../lib/aws/policy-version-cache'
import { TtlCache } from '../../lib/aws/ttl-cache'

const doc = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow' as const, Action: action, Resource: '*' }],
})

describe('PolicyVersionCache', () => {
  const arn = 'arn:aws:iam::123456789012:policy/p'

  it('does not answer a re-created policy (same ARN, new PolicyId) from the old one', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
    const cache = new PolicyVersionCache()
    cache.set({ policyArn: arn, policyId: 'ANPAOLD', versionId: 'v1' }, doc('s3:GetObject'))
    expect(cache.get({ policyArn: arn, policyId: 'ANPANEW', versionId: 'v1' })).toBeUndefined()
    expect(cache.get({ policyArn: arn, policyId: 'ANPAOLD', versionId: 'v1' })).toEqual(doc('s3:GetObject'))
  })

  it('stays within its bound, dropping the oldest entry', () => {
    const cache = new PolicyVersionCache(2)
    for (const v of ['v1', 'v2', 'v3']) cache.set({ policyArn: arn, policyId: 'ANPA1', versionId: v }, doc(v))
    expect(cache.size).toBe(2)
    expect(cache.get({ policyArn: arn, policyId: 'ANPA1', versionId: 'v1' })).toBeUndefined()
    expect(cache.get({ policyArn: arn, policyId: 'ANPA1', versionId: 'v3' })).toBeDefined()
  })
})

describe('TtlCache', () => {
  it('loads once within the TTL, again after it', async () => {
    let now = 0
    let loads = 0
    const cache = new TtlCache<number>(60_000, () => now)
    const load = async () => ++loads
    expect(await cache.get('k', load)).toBe(1)
    now = 59_999
    expect(await cache.get('k', load)).toBe(1)
    now = 60_000
    expect(await cache.get('k', load)).toBe(2)
  })

  it('shares one load between concurrent lookups and forgets a failed one', async () => {
    let loads = 0
    const cache = new TtlCache<number>(60_000, () => 0)
    const failing = async () => {
      loads++
      throw new Error('boom')
    }
    const results = await Promise.allSettled([cache.get('k', failing), cache.get('k', failing)])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(loads).toBe(1)
    expect(await cache.get('k', async () => 7)).toBe(7)
  })

  it('does not keep a value the caller says not to keep', async () => {
    const cache = new TtlCache<string>(60_000, () => 0)
    await cache.get(
      'k',
      async () => 'not-found',
      (v) => v !== 'not-found',
    )
    expect(
      await cache.get(
        'k',
        async () => 'found',
        (v) => v !== 'not-found',
      ),
    ).toBe('found')
  })
})
