/**
 * The sweep Lambda's handler over in-memory adapters: the metrics it emits (calls and throttled calls included), the
 * deadline it derives from the Lambda context, and the error it ends in when something failed (the Errors alarm).
 */
import type { Context } from 'aws-lambda'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSweepHandler, DEADLINE_MARGIN_MS } from '../../lib/lambda/sweep'
import { metrics } from '../../lib/lambda/telemetry'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { SweepFailedError } from '../../lib/reconcile/sweep-failed'
import { accessDenied, fleet } from '../reconcile/fleet'

// Before the handler modules build their logger and metrics: no EMF, no log lines in the test output.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true'
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'
})

const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context

afterEach(() => vi.restoreAllMocks())

describe('the sweep handler', () => {
  it('emits the totals as metrics: roles, drifted, healed, failed, not reached, calls, throttled, duration', async () => {
    const f = fleet(3)
    f.drift(1)
    const counter = new ApiCallCounter({ keep: false })
    // What the SDK middleware would record while the sweep runs: 12 calls, 4 attempts throttled.
    const bulk = f.deps.iam.readAccountRoles
    f.deps.iam.readAccountRoles = async () => {
      for (let i = 0; i < 12; i++) counter.record({ service: 'iam', operation: 'X' })
      for (let i = 0; i < 4; i++) counter.recordThrottled({ service: 'iam', operation: 'X' })
      return bulk()
    }
    const added: Record<string, number> = {}
    vi.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      added[name] = value
      return metrics
    })
    const summary = await createSweepHandler(() => ({ ...f.deps, counter }))({}, context(600_000))
    expect(summary.totals).toMatchObject({ roles: 3, drifted: 1, calls: 12, throttled: 4 })
    expect(added).toMatchObject({
      roles_healthy: 2,
      roles_reported: 1,
      sweep_roles: 3,
      sweep_drifted: 1,
      sweep_healed: 0,
      sweep_failed: 0,
      sweep_not_reached: 0,
      sweep_calls: 12,
      sweep_throttled: 4,
    })
    expect(added).toHaveProperty('sweep_duration')
  })

  it('ends in SweepFailedError (the Errors alarm) carrying the summary when a role failed', async () => {
    const f = fleet(2)
    f.drift(0)
    f.readFailures.set('role-000', [accessDenied()])
    const error = await createSweepHandler(() => f.deps)({}, context(600_000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SweepFailedError)
    expect((error as SweepFailedError).summary.totals.failed).toBe(1)
    expect((error as Error).message).toBe('sweep of 2 role(s): 1 failed, 0 not reached (see the sweep summary)')
  })

  it(`starts no role in the last ${DEADLINE_MARGIN_MS / 1000} s before the function's timeout`, async () => {
    const f = fleet(2)
    f.drift(0)
    const error = await createSweepHandler(() => f.deps)({}, context(DEADLINE_MARGIN_MS)).catch((e: unknown) => e)
    expect((error as SweepFailedError).summary.notReached).toEqual(['role-000'])
    expect(f.liveReads()).toBe(0)
  })
})
