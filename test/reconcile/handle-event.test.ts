import { describe, expect, it } from 'vitest'
import { handleEvent } from '../../lib/reconcile/handle-event'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { healthyWorld, iamEvent } from './fakes'

const EVENTUAL =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency'
const ROLE_DOC = 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html'
const DELETE_ROLE = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html'

function dropQueueStatement(world: ReturnType<typeof healthyWorld>) {
  const role = [...world.roles.values()][0]!
  const doc = role.inlinePolicies[0]!.document
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
  role.inlinePolicies[0]!.document = { ...doc, Statement: statements.filter((s) => s.Sid !== 'CeleryQueue') }
  return role
}

describe('handleEvent: level-triggered reconcile over fake adapters', () => {
  it(`a healthy role: no alert, no write (${ROLE_DOC})`, async () => {
    const world = healthyWorld()
    const role = [...world.roles.values()][0]!
    role.tags = { team: 'data' } // what IAM shows once the TagRole is visible
    const summary = await handleEvent(
      iamEvent('TagRole', { roleName: role.name, tags: [{ key: 'team', value: 'data' }] }),
      world.deps,
    )
    expect(summary.status).toBe('handled')
    expect(summary.roles[0]?.result).toBe('healthy')
    expect(world.alerts).toHaveLength(0)
    expect(world.writes).toHaveLength(0)
  })

  it('alert mode (default): drift is reported with what a heal would do, nothing is written', async () => {
    const world = healthyWorld()
    const role = dropQueueStatement(world)
    const summary = await handleEvent(
      iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' }),
      world.deps,
    )
    expect(summary.roles[0]).toMatchObject({ result: 'reported', mode: 'alert', findings: 6, alerted: true })
    expect(world.writes).toEqual([])
    expect(world.alerts[0]?.proposed?.map((w) => w.kind)).toEqual(['put-inline-policy'])
    expect(world.alerts[0]?.change?.caller.arn).toBe('arn:aws:iam::644160558196:user/alice')
  })

  it('heal by tag: the restore policy is written, verified by a re-read, and a second pass finds nothing to do', async () => {
    const world = healthyWorld()
    const role = dropQueueStatement(world)
    role.tags = { 'mwaa-role-guard:mode': 'heal' }
    const first = await handleEvent(iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' }), world.deps)
    expect(first.roles[0]).toMatchObject({ result: 'healed', writes: ['put-inline-policy'] })
    expect(world.roles.get(role.name)!.inlinePolicies.map((p) => p.name)).toContain(RESTORE_POLICY_NAME)
    const again = await handleEvent(iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' }), world.deps)
    expect(again.roles[0]?.result).toBe('healthy')
    expect(world.writes).toHaveLength(1)
  })

  it('mode off by tag: not evaluated, no alert', async () => {
    const world = healthyWorld()
    const role = dropQueueStatement(world)
    role.tags = { 'MWAA-Role-Guard:Mode': 'off' }
    const summary = await handleEvent(
      iamEvent('DeleteRolePolicy', { roleName: role.name, policyName: 'x' }),
      world.deps,
    )
    expect(summary.roles[0]?.result).toBe('off')
    expect(world.alerts).toHaveLength(0)
  })

  it(`a read that does not reflect the event yet is re-read (${EVENTUAL})`, async () => {
    const world = healthyWorld()
    const role = [...world.roles.values()][0]!
    // The event deleted inline policy "extra"; the first two reads still show it.
    world.staleReads.state = {
      ...structuredClone(role),
      inlinePolicies: [...role.inlinePolicies, { name: 'extra', document: { Version: '2012-10-17', Statement: [] } }],
    }
    world.staleReads.count = 2
    const summary = await handleEvent(
      iamEvent('DeleteRolePolicy', { roleName: role.name, policyName: 'extra' }),
      world.deps,
    )
    expect(summary.roles[0]?.result).toBe('healthy')
    expect(world.staleReads.count).toBe(0)
  })

  it(`a read still stale after the wait budget throws, so the Lambda retries later (${EVENTUAL})`, async () => {
    const world = healthyWorld()
    const role = [...world.roles.values()][0]!
    world.staleReads.state = {
      ...structuredClone(role),
      attachedPolicies: [
        { arn: 'arn:aws:iam::aws:policy/X', name: 'X', document: { Version: '2012-10-17', Statement: [] } },
      ],
    }
    world.staleReads.count = 100
    const summary = await handleEvent(
      iamEvent('DetachRolePolicy', { roleName: role.name, policyArn: 'arn:aws:iam::aws:policy/X' }),
      world.deps,
    )
    // The worker retries it (its messages come back); `handle` reports it retryable (exit 75): nobody is alerted.
    expect(summary.roles).toEqual([
      expect.objectContaining({ result: 'failed', retryable: true, error: expect.stringMatching(/^StaleReadError/) }),
    ])
    expect(world.alerts).toHaveLength(0)
  })

  it('a role no environment uses is ignored quietly', async () => {
    const world = healthyWorld()
    world.roles.set('other', {
      ...[...world.roles.values()][0]!,
      name: 'other',
      arn: 'arn:aws:iam::644160558196:role/other',
    })
    const summary = await handleEvent(iamEvent('DeleteRolePolicy', { roleName: 'other', policyName: 'x' }), world.deps)
    expect(summary.roles[0]?.result).toBe('no-environment')
    expect(world.alerts).toHaveLength(0)
  })

  it("the remediator's own follow-up event is skipped", async () => {
    const world = healthyWorld({ REMEDIATOR_ROLE_ARN: 'arn:aws:iam::644160558196:role/mwaa-role-guard-prod' })
    const role = [...world.roles.values()][0]!
    const event = iamEvent('PutRolePolicy', { roleName: role.name, policyName: RESTORE_POLICY_NAME })
    Object.assign(event.detail.userIdentity, {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::644160558196:assumed-role/mwaa-role-guard-prod/session',
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::644160558196:role/mwaa-role-guard-prod' } },
    })
    const summary = await handleEvent(event, world.deps)
    expect(summary).toMatchObject({ status: 'ignored', reason: 'caused by mwaa-role-guard itself' })
  })

  it('DeleteRole of a role an environment still uses: one critical alert, nothing healed', async () => {
    const world = healthyWorld({ DEFAULT_MODE: 'heal' })
    const role = [...world.roles.values()][0]!
    world.roles.delete(role.name)
    const summary = await handleEvent(iamEvent('DeleteRole', { roleName: role.name }), world.deps)
    expect(summary.roles[0]).toMatchObject({ result: 'role-deleted-in-use', alerted: true })
    expect(world.alerts[0]).toMatchObject({ kind: 'role-deleted', outcome: 'critical' })
    expect(world.writes).toEqual([])
  })

  // A DeleteRole says a role was deleted, not that it is gone now: replays, duplicates and recreated roles exist.
  it(`a replayed DeleteRole of a role that exists again: no critical alert, the role reconciled as it is (${DELETE_ROLE})`, async () => {
    const world = healthyWorld()
    const role = [...world.roles.values()][0]!
    world.deps.clock = () => new Date('2026-11-28T10:05:00Z') // five minutes after the event
    const summary = await handleEvent(iamEvent('DeleteRole', { roleName: role.name }), world.deps)
    expect(summary.roles).toMatchObject([{ role: role.name, result: 'healthy', alerted: false }])
    expect(world.alerts).toEqual([])
  })

  it(`a DeleteRole whose first reads still show the role: re-read until it is gone, then the critical alert (${EVENTUAL})`, async () => {
    const world = healthyWorld()
    const role = [...world.roles.values()][0]!
    world.deps.clock = () => new Date('2026-11-28T10:00:01Z')
    world.staleReads.state = structuredClone(role)
    world.staleReads.count = 2
    world.roles.delete(role.name)
    const summary = await handleEvent(iamEvent('DeleteRole', { roleName: role.name }), world.deps)
    expect(summary.roles[0]).toMatchObject({ result: 'role-deleted-in-use', alerted: true })
    expect(world.alerts.map((a) => a.kind)).toEqual(['role-deleted'])
  })

  it(`a fresh DeleteRole whose role still shows after the wait: StaleReadError (retried later), no alert (${EVENTUAL})`, async () => {
    const world = healthyWorld()
    const role = [...world.roles.values()][0]!
    world.deps.clock = () => new Date('2026-11-28T10:00:01Z')
    const summary = await handleEvent(iamEvent('DeleteRole', { roleName: role.name }), world.deps)
    expect(summary.roles).toEqual([
      expect.objectContaining({ result: 'failed', retryable: true, error: expect.stringMatching(/^StaleReadError/) }),
    ])
    expect(world.alerts).toEqual([])
  })

  it('a malformed event is dropped with a reason naming the field, no write', async () => {
    const world = healthyWorld({ DEFAULT_MODE: 'heal' })
    const event = iamEvent('PutRolePolicy', {})
    const summary = await handleEvent(event, world.deps)
    expect(summary.status).toBe('ignored')
    expect(summary.reason).toMatch(/roleName/)
    expect(world.writes).toEqual([])
  })
})

describe('sweep: every execution role, no event', () => {
  it('reports drift on a role no event mentioned (AWS managed policy updates emit no event in the account)', async () => {
    const { sweep } = await import('../../lib/reconcile/sweep')
    const world = healthyWorld()
    dropQueueStatement(world)
    const summary = await sweep(world.deps)
    expect(summary.environments).toBe(1)
    expect(summary.roles[0]).toMatchObject({ result: 'reported', findings: 6 })
    expect(world.alerts[0]?.change).toBeUndefined()
  })

  it('a healthy account: nothing to report', async () => {
    const { sweep } = await import('../../lib/reconcile/sweep')
    const world = healthyWorld()
    const summary = await sweep(world.deps)
    expect(summary.roles.map((r) => r.result)).toEqual(['healthy'])
    expect(world.alerts).toHaveLength(0)
  })
})
