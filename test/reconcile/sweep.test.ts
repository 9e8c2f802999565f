/**
 * The sweep over in-memory adapters: one bulk read and one description per environment, live reads only for drifted
 * roles, throttled roles retried later, failures reported, and a deadline that never leaves the same tail unchecked.
 */
import { describe, expect, it } from 'vitest'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { ROUNDS } from '../../lib/reconcile/sweep-drifted'
import { sweep, sweepFailed } from '../../lib/reconcile/sweep'
import { accessDenied, fleet, throttling } from './fleet'

const GAAD = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html'
const THROTTLING = 'https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html'
const HEAL = { 'mwaa-role-guard:mode': 'heal' }

describe('sweep: reads', () => {
  it(`one bulk IAM read, each environment described once, no live read of a healthy role (${GAAD})`, async () => {
    const f = fleet(30)
    const summary = await sweep(f.deps)
    expect(f.counts).toMatchObject({ bulkReads: 1, describes: 30, lists: 1 })
    expect(f.liveReads()).toBe(0)
    expect(summary.totals).toMatchObject({ environments: 30, roles: 30, healthy: 30, drifted: 0, failed: 0 })
    expect(sweepFailed(summary)).toBe(false)
  })

  it('a drifted role is re-read live once, then reported as an event would report it', async () => {
    const f = fleet(10)
    f.drift(3)
    const summary = await sweep(f.deps)
    expect([...f.counts.liveReads]).toEqual([['role-003', 1]])
    expect(summary.roles.find((r) => r.role === 'role-003')).toMatchObject({ result: 'reported', findings: 6 })
    expect(f.alerts.map((a) => a.role.name)).toEqual(['role-003'])
    expect(f.alerts[0]!.environments).toEqual([{ name: 'env-003', region: 'us-east-1' }])
    expect(summary.totals).toMatchObject({ roles: 10, healthy: 9, drifted: 1 })
  })

  it('a role drifted in the bulk read but fixed since is healthy live: no alert, no write', async () => {
    const f = fleet(3)
    f.role(1).tags = HEAL
    const fixed = structuredClone(f.role(1))
    f.drift(1)
    const step = async (...args: Parameters<NonNullable<Parameters<typeof sweep>[1]>['step'] & object>) => {
      f.roles.set('role-001', fixed) // someone restored it between the bulk read and the live read
      const { reconcileNow } = await import('../../lib/reconcile/sweep-drifted')
      return reconcileNow(...args)
    }
    const summary = await sweep(f.deps, { step })
    expect(summary.roles.find((r) => r.role === 'role-001')?.result).toBe('healthy')
    expect(f.alerts).toEqual([])
    expect(f.writes).toEqual([])
  })

  it('heal mode: the drifted role is healed through the per-role path (one write, verified)', async () => {
    const f = fleet(3)
    f.drift(2).tags = HEAL
    const summary = await sweep(f.deps)
    expect(summary.roles.find((r) => r.role === 'role-002')).toMatchObject({ result: 'healed' })
    expect(f.writes).toEqual([`put role-002 ${RESTORE_POLICY_NAME}`])
    expect(summary.totals).toMatchObject({ drifted: 1, healed: 1 })
  })

  it('mode off from the bulk read: skipped, never read live', async () => {
    const f = fleet(2)
    f.drift(0).tags = { 'mwaa-role-guard:mode': 'off' }
    const summary = await sweep(f.deps)
    expect(summary.roles[0]).toMatchObject({ role: 'role-000', result: 'off' })
    expect(f.liveReads()).toBe(0)
    expect(summary.totals.skipped).toBe(1)
  })

  it('a role the bulk read does not list (created or deleted since) is read live', async () => {
    const f = fleet(2)
    const gone = f.role(1)
    const bulkRead = f.deps.iam.readAccountRoles
    f.deps.iam.readAccountRoles = async () => {
      const read = await bulkRead()
      f.roles.delete(gone.name)
      return read
    }
    f.roles.delete(gone.name)
    const summary = await sweep(f.deps)
    expect(summary.roles.find((r) => r.role === 'role-001')?.result).toBe('role-not-found')
    expect(f.counts.liveReads.get('role-001')).toBe(1)
  })
})

describe('sweep: faults', () => {
  it(`a throttled live read is retried after the others, not dropped (${THROTTLING})`, async () => {
    const f = fleet(4)
    f.drift(1)
    f.drift(2)
    f.readFailures.set('role-001', [throttling(), throttling()])
    const summary = await sweep(f.deps)
    expect(summary.roles.find((r) => r.role === 'role-001')).toMatchObject({ result: 'reported' })
    expect(f.counts.liveReads.get('role-001')).toBe(3)
    expect(f.counts.liveReads.get('role-002')).toBe(1)
    expect(f.slept.length).toBeGreaterThanOrEqual(2)
    expect(summary.totals.failed).toBe(0)
    expect(f.alerts.map((a) => a.role.name).sort()).toEqual(['role-001', 'role-002'])
  })

  it(`throttled in every one of its ${ROUNDS} attempts: reported failed, the sweep fails`, async () => {
    const f = fleet(2)
    f.drift(0)
    f.readFailures.set('role-000', Array.from({ length: ROUNDS }, throttling))
    const summary = await sweep(f.deps)
    expect(summary.roles.find((r) => r.role === 'role-000')).toMatchObject({
      result: 'failed',
      error: expect.stringMatching(new RegExp(`^Throttling: Rate exceeded; after ${ROUNDS} attempt`)),
    })
    expect(summary.totals.failed).toBe(1)
    expect(sweepFailed(summary)).toBe(true)
  })

  it('a permanent error (AccessDenied) is reported at once, not retried', async () => {
    const f = fleet(2)
    f.drift(1)
    f.readFailures.set('role-001', [accessDenied()])
    const summary = await sweep(f.deps)
    expect(summary.roles.find((r) => r.role === 'role-001')).toMatchObject({
      result: 'failed',
      error: 'AccessDenied: not authorized to perform: iam:GetRole',
    })
    expect(f.counts.liveReads.get('role-001')).toBe(1)
    expect(f.slept).toEqual([])
  })

  it('a heal that wrote and then failed is reported failed, never retried: no second write', async () => {
    const f = fleet(1)
    f.drift(0).tags = HEAL
    // The write lands, the verifying read is throttled past every retry.
    f.readFailures.set('role-000', [undefined, throttling(), throttling(), throttling(), throttling()])
    const summary = await sweep(f.deps)
    expect(f.writes).toEqual([`put role-000 ${RESTORE_POLICY_NAME}`])
    expect(summary.roles[0]).toMatchObject({
      result: 'failed',
      error: expect.stringContaining('a heal write was made before it failed, so it was not retried'),
    })
  })

  it('a role still to retry when the deadline leaves no time for the pause is reported failed, with why', async () => {
    const f = fleet(1)
    f.drift(0)
    f.readFailures.set('role-000', [throttling()])
    const summary = await sweep(f.deps, { deadline: f.now() + 1_000 })
    expect(summary.roles[0]).toMatchObject({
      result: 'failed',
      error: 'Throttling: Rate exceeded; after 1 attempt(s); no time left to retry',
    })
    expect(f.slept).toEqual([])
  })

  it('the bulk read failing past its retries: every role is read live, and the summary says why', async () => {
    const f = fleet(3)
    f.drift(2)
    f.failures.bulk.push(throttling(), throttling(), throttling())
    const summary = await sweep(f.deps)
    expect(f.counts.bulkReads).toBe(3)
    expect(f.liveReads()).toBe(3)
    expect(summary.bulkReadError).toBe('Throttling: Rate exceeded')
    expect(summary.totals).toMatchObject({ healthy: 2, drifted: 1, failed: 0 })
  })

  it('an environment that cannot be described is a failure of the sweep; the other roles are checked', async () => {
    const f = fleet(3)
    f.failures.describe.set('env-001', [accessDenied()])
    const summary = await sweep(f.deps)
    expect(summary.failures).toEqual([
      {
        subject: 'environment env-001 in us-east-1 (GetEnvironment)',
        error: 'AccessDenied: not authorized to perform: iam:GetRole',
        throttled: false,
      },
    ])
    expect(summary.roles.map((r) => r.role)).toEqual(['role-000', 'role-002'])
    expect(sweepFailed(summary)).toBe(true)
  })
})

describe('sweep: environments', () => {
  it('a throttled ListEnvironments is tried again a moment later; the sweep goes on', async () => {
    const f = fleet(2)
    f.failures.list.push(throttling())
    const summary = await sweep(f.deps)
    expect(f.counts.lists).toBe(2)
    expect(f.slept).toEqual([1_000])
    expect(summary.totals).toMatchObject({ roles: 2, healthy: 2, failed: 0 })
  })

  it('a region that cannot be listed is a failure of the sweep (its roles were not checked)', async () => {
    const f = fleet(2)
    f.failures.list.push(accessDenied())
    const summary = await sweep(f.deps)
    expect(summary.failures.map((x) => x.subject)).toEqual(['region us-east-1 (ListEnvironments)'])
    expect(summary.totals).toMatchObject({ roles: 0, failed: 1 })
  })

  it('an environment whose execution role ARN is not a role ARN is skipped; deleting ones need no role', async () => {
    const f = fleet(3)
    f.environments[0]!.ExecutionRoleArn = 'not-an-arn'
    f.environments[1]!.Status = 'DELETING'
    f.drift(1)
    const summary = await sweep(f.deps)
    expect(summary.roles.map((r) => r.role)).toEqual(['role-002'])
    expect(summary.totals.environments).toBe(3)
  })
})

describe('sweep: deadline and order', () => {
  it('starts no role after the deadline; the rest are reported not reached', async () => {
    const f = fleet(40)
    for (let i = 0; i < 40; i++) f.drift(i)
    f.timing.readMs = 1_000
    const summary = await sweep(f.deps, { deadline: f.now() + 10_000 })
    expect(summary.totals.notReached).toBeGreaterThan(0)
    expect(summary.totals.notReached + summary.totals.drifted).toBe(40)
    expect(summary.notReached).toHaveLength(summary.totals.notReached)
    expect(sweepFailed(summary)).toBe(true)
  })

  it('consecutive sweeps (6 hours apart) start at different places, so a timeout never leaves the same tail', async () => {
    const reached: Array<Set<string>> = []
    for (let sweepNumber = 0; sweepNumber < 8; sweepNumber++) {
      const f = fleet(40)
      for (let i = 0; i < 40; i++) f.drift(i)
      f.advance(sweepNumber * 6 * 3_600_000)
      f.timing.readMs = 1_000
      const summary = await sweep(f.deps, { deadline: f.now() + 10_000 })
      reached.push(new Set(summary.roles.map((r) => r.role)))
    }
    const firsts = reached.map((s) => [...s].sort()[0])
    expect(new Set(firsts).size).toBeGreaterThan(1)
    // Every role was reconciled by one of the sweeps, although each one reached only a quarter of them.
    const union = new Set(reached.flatMap((s) => [...s]))
    expect(union.size).toBe(40)
  })
})
