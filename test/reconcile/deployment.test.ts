/**
 * The deployment the function reconciles for: AWS_ACCOUNT_ID (the stack sets it to AWS::AccountId), else the account
 * of the credentials from STS GetCallerIdentity (the CLI outside the stack), resolved once per process.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../lib/config'
import { deploymentResolver } from '../../lib/reconcile/deployment'

const PARTITIONS = 'https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html'

function sts(answers: Array<{ accountId: string; partition: string } | Error>) {
  const calls: number[] = []
  return {
    calls,
    adapter: () => ({
      callerIdentity: async () => {
        calls.push(1)
        const answer = answers.shift()
        if (!answer || answer instanceof Error) throw answer ?? new Error('no answer')
        return answer
      },
    }),
  }
}

describe('deploymentResolver', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])(`AWS_ACCOUNT_ID set, region %s: partition %s, no STS call (${PARTITIONS})`, async (region, partition) => {
    const s = sts([])
    const config = loadConfig({ AWS_ACCOUNT_ID: '111122223333', AWS_REGION: region, MWAA_REGIONS: region })
    expect(await deploymentResolver(config, s.adapter)()).toEqual({
      partition,
      accountId: '111122223333',
      regions: [region],
    })
    expect(s.calls).toEqual([])
  })

  it('AWS_ACCOUNT_ID unset: asks STS once per process', async () => {
    const s = sts([{ accountId: '444455556666', partition: 'aws' }])
    const resolve = deploymentResolver(loadConfig({ AWS_REGION: 'eu-west-1' }), s.adapter)
    expect(await resolve()).toEqual({ partition: 'aws', accountId: '444455556666', regions: ['eu-west-1'] })
    await resolve()
    expect(s.calls).toHaveLength(1)
  })

  it('a failed STS call is not kept: the next run asks again', async () => {
    const s = sts([new Error('ExpiredToken'), { accountId: '444455556666', partition: 'aws' }])
    const resolve = deploymentResolver(loadConfig({}), s.adapter)
    await expect(resolve()).rejects.toThrow('ExpiredToken')
    expect((await resolve()).accountId).toBe('444455556666')
  })
})
