/**
 * AWS API calls per event, counted on the wire by the SDK middleware (ApiCallCounter; the MWAA client records its
 * calls too), for a role with 2 inline and 2 customer managed policies, through the deployed chain (ingest, the
 * queue, the reconcile). A warm process has handled an event about the role before: MWAA descriptions are cached for
 * a minute, managed policy documents by version, and the role's last-known-good policies are remembered. IAM's
 * request quotas are per account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), so
 * every call counts; no event simulates (iam:SimulatePrincipalPolicy and friends are slow and throttled). Memory's
 * own calls (DynamoDB, and the one SendMessageBatch to the reconcile queue) are counted apart: the receive and delete
 * are Lambda's event source mapping's, not the function's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import type { CloudTrailEvent } from '../support/cloudtrail-event'
import { policyOf, type WorldEnvironment } from '../support/environments'
import { isSimulate, type Guard, type HandledEvent } from '../support/guard'
import type { IamActor } from '../support/iam-actor'
import { startWorld, type World } from '../support/world'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

type Row = {
  event: string
  mode: 'alert' | 'heal'
  drift: (a: IamActor, env: WorldEnvironment) => Promise<CloudTrailEvent>
  calls: Record<string, number>
}

const READ_2_2 = {
  'iam:GetRole': 1,
  'iam:ListRolePolicies': 1,
  'iam:GetRolePolicy': 2,
  'iam:ListAttachedRolePolicies': 1,
  'iam:GetPolicy': 2,
}
const queueKms = (env: WorldEnvironment) => env.managed[`${env.name}-queue-kms`]!.arn
const logsOnly = (env: WorldEnvironment) => policyOf(env.baseline.policy.Statement.filter((s) => s.Sid === Sid.logs))

/** Measured on moto; every row within the budget of 8. */
const withinBudget: Row[] = [
  {
    event: 'TagRole (role healthy)',
    mode: 'alert',
    drift: (a, e) => a.tagRole(e.roleName, { owner: 'data' }),
    calls: READ_2_2,
  },
  {
    event: 'UntagRole (role healthy)',
    mode: 'alert',
    drift: (a, e) => a.untagRole(e.roleName, ['team']),
    calls: READ_2_2,
  },
  {
    event: 'PutRolePolicy, reported',
    mode: 'alert',
    drift: (a, e) => a.putRolePolicy(e.roleName, 'logs', logsOnly(e)),
    calls: { ...READ_2_2, 'sns:Publish': 1 },
  },
  {
    event: 'DeleteRolePolicy, reported',
    mode: 'alert',
    drift: (a, e) => a.deleteRolePolicy(e.roleName, 'logs'),
    calls: { ...READ_2_2, 'iam:GetRolePolicy': 1, 'sns:Publish': 1 },
  },
  // The detached policy is read (its version is cached) to propose re-attaching it.
  {
    event: 'DetachRolePolicy, reported',
    mode: 'alert',
    drift: (a, e) => a.detachRolePolicy(e.roleName, queueKms(e)),
    calls: { ...READ_2_2, 'sns:Publish': 1 },
  },
  {
    event: 'UpdateAssumeRolePolicy, reported',
    mode: 'alert',
    drift: (a, e) =>
      a.updateAssumeRolePolicy(e.roleName, {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'airflow.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    calls: { ...READ_2_2, 'sns:Publish': 1 },
  },
]

/** Measured on moto; above 8 because the event brings more to read, or because a heal writes and verifies. */
const beyondBudget: Array<Row & { why: string }> = [
  {
    event: 'CreatePolicyVersion, reported',
    why: 'the roles the policy is attached to are listed, and the new default version is read',
    mode: 'alert',
    drift: (a, e) =>
      a.createPolicyVersion(
        queueKms(e),
        policyOf(e.baseline.policy.Statement.filter((s) => s.Sid === Sid.celeryQueue)),
        true,
      ),
    calls: { 'iam:ListEntitiesForPolicy': 1, ...READ_2_2, 'iam:GetPolicyVersion': 1, 'sns:Publish': 1 },
  },
  {
    event: 'DeleteRolePolicy, healed',
    why: 'the heal writes, then re-reads the role to verify',
    mode: 'heal',
    drift: (a, e) => a.deleteRolePolicy(e.roleName, 'logs'),
    calls: {
      'iam:GetRole': 2,
      'iam:ListRolePolicies': 2,
      'iam:GetRolePolicy': 3,
      'iam:ListAttachedRolePolicies': 2,
      'iam:GetPolicy': 4,
      'iam:PutRolePolicy': 1,
      'sns:Publish': 1,
    },
  },
]

/** A process that has handled an event about the role already (warm caches), then the drift. */
async function measure(
  row: Row,
): Promise<{ warmUp: HandledEvent; handled: HandledEvent; guard: Guard; env: WorldEnvironment }> {
  const env = await world.createEnvironment({ mode: row.mode })
  const guard = world.guard()
  const operator = world.as(world.callers.operator)
  const warmUp = await guard.handle(await operator.tagRole(env.roleName, { 'warmed-up': 'yes' }))
  expect(warmUp.summary.roles[0]?.result).toBe('healthy')
  return { warmUp, handled: await guard.handle(await row.drift(operator, env)), guard, env }
}

/** Memory's calls for an event that changes nothing to remember: idempotency (2) + the role's record (1). */
const QUIET_MEMORY = {
  'dynamodb:PutItem': 1,
  'dynamodb:UpdateItem': 1,
  'dynamodb:GetItem': 1,
  'sqs:SendMessageBatch': 1,
}
/** ...and for one that notifies or heals: the lease (a conditional PutItem) and the commit (TransactWriteItems). */
const ACTING_MEMORY = { ...QUIET_MEMORY, 'dynamodb:PutItem': 2, 'dynamodb:TransactWriteItems': 1 }
const isMemory = (key: string) => key.startsWith('dynamodb:') || key.startsWith('sqs:')

describe('calls per event, warm process, role with 2 inline + 2 managed policies', () => {
  it.each(withinBudget)('$event: at most 8, no MWAA call, no simulation', async (row) => {
    const { handled } = await measure(row)
    expect(handled.summary.status).toBe('handled')
    const { aws, memory } = split(handled)
    expect(Object.values(aws).reduce((n, v) => n + v, 0)).toBeLessThanOrEqual(8)
    expect(aws).toEqual(row.calls)
    expect(memory).toEqual(row.calls['sns:Publish'] ? ACTING_MEMORY : QUIET_MEMORY)
  })

  it.each(beyondBudget)('$event: above 8 because $why', async (row) => {
    const { handled } = await measure(row)
    const { aws, memory } = split(handled)
    expect(aws).toEqual(row.calls)
    expect(memory).toEqual(ACTING_MEMORY)
    expect(handled.calls.filter(isSimulate)).toEqual([])
  })

  it('memory costs 3 DynamoDB calls per event in the common case (a healthy role, nothing open), measured', async () => {
    const { handled } = await measure(withinBudget[0]!)
    expect(handled.calls.filter((c) => c.service === 'dynamodb')).toHaveLength(3)
  })

  it('a drift already told costs one more (the history entry), and no notice', async () => {
    const row = withinBudget.find((r) => r.event === 'DeleteRolePolicy, reported')!
    const { handled, guard, env } = await measure(row)
    expect(handled.alerts).toHaveLength(1)
    const again = await guard.handle(await world.as(world.callers.operator).tagRole(env.roleName, { again: 'yes' }))
    expect(again.alerts).toEqual([])
    expect(split(again).memory).toEqual({ ...QUIET_MEMORY, 'dynamodb:TransactWriteItems': 1 })
  })

  it('the first event of a cold process also lists and describes the environments, and reads each policy version', async () => {
    const { warmUp } = await measure(withinBudget[0]!)
    const calls = summaryOf(warmUp)
    expect(calls).toMatchObject({ ...READ_2_2, 'iam:GetPolicyVersion': 2, 'mwaa:ListEnvironments': 1 })
    expect(calls['mwaa:GetEnvironment']).toBeGreaterThanOrEqual(1)
    expect(warmUp.calls.filter(isSimulate)).toEqual([])
  })
})

/** The calls of the guard's own work (IAM, MWAA, SNS) apart from memory's (DynamoDB, SQS). */
function split(handled: HandledEvent): { aws: Record<string, number>; memory: Record<string, number> } {
  const all = summaryOf(handled)
  const pick = (memory: boolean) => Object.fromEntries(Object.entries(all).filter(([k]) => isMemory(k) === memory))
  return { aws: pick(false), memory: pick(true) }
}

function summaryOf(handled: HandledEvent): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of handled.calls) out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1
  return out
}
