/**
 * readFresh waits for IAM's eventual consistency for exactly CONSISTENCY_WAIT_MS before calling a read stale
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
 */
import { describe, expect, it } from 'vitest'
import { StaleReadError, readFresh } from '../../lib/reconcile/read-fresh'
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
