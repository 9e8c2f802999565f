/**
 * readFresh waits for IAM's eventual consistency for exactly CONSISTENCY_WAIT_MS before calling a read stale
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
 */
import { describe, expect, it } from 'vitest'
import { FUTURE_TOLERANCE_MS, StaleReadError, readFresh, SUPERSEDED_AFTER_MS } from '../../lib/reconcile/read-fresh'
import { healthyWorld } from './fakes'

describe('readFresh: the wait budget', () => {
  it.each([
    // budget, the sleeps between reads (doubling from 250 ms, the last one cut to what is left)
    [4000, [250, 500, 1000, 2000, 250]],
    [3750, [250, 500, 1000, 2000]],
    [1000, [250, 500, 250]],
    [250, [250]],
    [100, [100]],
    [0, []],
  ])('CONSISTENCY_WAIT_MS=%i: waits %j in all, then throws StaleReadError', async (budget, sleeps) => {
    const world = healthyWorld({ CONSISTENCY_WAIT_MS: String(budget) })
    const slept: number[] = []
    const deps = { ...world.deps, sleep: async (ms: number) => void slept.push(ms) }
    const role = [...world.roles.keys()][0]!
    const error = await readFresh(deps, role, { reflects: () => false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StaleReadError)
    expect(slept).toEqual(sleeps)
    expect(slept.reduce((a, b) => a + b, 0)).toBe(budget)
    expect((error as Error).message).toContain(`after ${budget} ms`)
  })

  it('returns the first read that reflects the change, without waiting more', async () => {
    const world = healthyWorld({ CONSISTENCY_WAIT_MS: '4000' })
    const slept: number[] = []
    let reads = 0
    const deps = { ...world.deps, sleep: async (ms: number) => void slept.push(ms) }
    const role = [...world.roles.keys()][0]!
    const result = await readFresh(deps, role, { reflects: () => ++reads === 3 })
    expect(result.kind).toBe('found')
    expect(slept).toEqual([250, 500])
  })
})

describe('readFresh: how old the event is', () => {
  const NOW = Date.parse('2026-12-02T12:00:00Z')
  const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString()
  it.each([
    ['seconds old: the read may still be catching up', at(-5_000), 'stale'],
    ['a minute old: a later change superseded it', at(-SUPERSEDED_AFTER_MS), 'evaluated'],
    ['a minute ahead (clock skew): still waited for', at(60_000), 'stale'],
    ['beyond the skew tolerance ahead: never waited for', at(FUTURE_TOLERANCE_MS + 1_000), 'evaluated'],
    ['years ahead: never waited for', '2999-01-01T00:00:00Z', 'evaluated'],
    ['no time: waited for', undefined, 'stale'],
  ])('%s', async (_case, changedAt, expected) => {
    const world = healthyWorld({ CONSISTENCY_WAIT_MS: '1000' })
    const deps = { ...world.deps, sleep: async () => {} }
    const role = [...world.roles.keys()][0]!
    const outcome = await readFresh(deps, role, {
      reflects: () => false,
      now: () => new Date(NOW),
      ...(changedAt ? { changedAt } : {}),
    }).then(
      (r) => (r.kind === 'found' ? 'evaluated' : r.kind),
      (e: unknown) => (e instanceof StaleReadError ? 'stale' : String(e)),
    )
    expect(outcome).toBe(expected)
  })
})
