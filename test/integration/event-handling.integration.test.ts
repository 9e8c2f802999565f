/**
 * How the guard treats the events it gets, on moto: an explicit Deny, a role no environment uses, failed calls,
 * malformed events, duplicates, and the remediator's own follow-up events. Level-triggered: every decision is made
 * on the role as IAM shows it, so a repeated or superseded event does no harm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { PolicyDocument } from '../../lib/iam/types'
import { SUPERSEDED_AFTER_MS } from '../../lib/reconcile/read-fresh'
import { aboutEnvironment } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'
import { inlineOf } from './drift-vectors'

const CLOUDTRAIL_RECORD =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html'
const EVENTBRIDGE_EVENT = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html'
const IDEMPOTENCY = 'https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/'
const ASYNC_RETRY = 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html'
const DELETE_ROLE = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('an explicit Deny added to a healing role', () => {
  it('is blocked, never removed, and the alert names the statement and who added it', async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const freeze: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'FreezeDagBucket', Effect: 'Deny', Action: 's3:GetObject*', Resource: `${env.wire.SourceBucketArn}/*` },
      ],
    }
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.admin).putRolePolicy(env.roleName, 'freeze', freeze))

    const [result] = handled.summary.roles
    expect(result).toMatchObject({ result: 'blocked', writes: [] })
    expect(handled.writes).toEqual([])
    expect(inlineOf(await world.readRole(env.roleName), 'freeze')).toEqual(freeze)
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.attributes).toMatchObject({ outcome: 'blocked', severity: 'medium', mode: 'heal' })
    expect(alert?.message).toContain(`Blocked: ${result?.blocked} permissions no heal restores (fix by hand):`)
    expect(alert?.message).toContain(
      'explicitly denied by inline:freeze statement "FreezeDagBucket"; heal never removes a Deny',
    )
    expect(alert?.message).toContain('Ask: the owner of inline:freeze statement "FreezeDagBucket"')
    expect(alert?.message).toContain(
      `The change above was made by ${world.callerArn(world.callers.admin)} (AssumedRole, console)`,
    )
  })
})

describe('events the guard leaves alone', () => {
  it('a role no environment uses: ignored quietly, no alert, no write', async () => {
    const role = await world.unusedRole({ mode: 'heal' })
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.operator).deleteRolePolicy(role.roleName, 'logs'))
    expect(handled.summary.roles.map((r) => r.result)).toEqual(['no-environment'])
    expect(handled.writes).toEqual([])
    expect(handled.alerts).toEqual([])
    expect(inlineOf(await world.readRole(role.roleName), RESTORE_POLICY_NAME)).toBeUndefined()
  })

  it(`a failed call (errorCode present) changed nothing: ignored without a read or a write (${CLOUDTRAIL_RECORD})`, async () => {
    // The role already lacks its logs policy (an event the guard never saw): a processed event would heal it.
    const env = await world.createEnvironment({ mode: 'heal' })
    await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const failing = world.as(world.callers.operator, { allowFailure: true })
    const event = await failing.detachRolePolicy(env.roleName, `arn:aws:iam::${world.account}:policy/never-attached`)
    expect(event.detail.errorCode).toBe('NoSuchEntityException')

    const handled = await world.guard().handle(event)
    expect(handled.summary).toMatchObject({ status: 'ignored', roles: [] })
    expect(handled.summary.reason).toContain(
      "detail.errorCode: 'NoSuchEntityException': the DetachRolePolicy call failed and changed nothing",
    )
    expect(handled.calls).toEqual([])
    expect((await world.recheck(env)).code).toBe(1) // still drifted: nothing was healed
  })

  const malformed: Array<[string, (roleName: string) => unknown, RegExp]> = [
    [
      'a role ARN where IAM records a name',
      (r) =>
        patched(
          r,
          (d) => (d.requestParameters = { roleName: `arn:aws:iam::${world.account}:role/${r}`, policyName: 'logs' }),
        ),
      /^detail\.requestParameters\.roleName: expected an IAM role name/,
    ],
    [
      'requestParameters without the role',
      (r) => patched(r, (d) => (d.requestParameters = { policyName: 'logs' })),
      /^detail\.requestParameters\.roleName: missing/,
    ],
    [
      'a bare CloudTrail record, not an EventBridge event',
      (r) => patched(r, () => undefined, true),
      /bare CloudTrail record/,
    ],
    [
      'another detail-type',
      (r) => ({ ...patched(r, () => undefined), 'detail-type': 'Object Created' }),
      /^detail-type: 'Object Created' is not 'AWS API Call via CloudTrail'/,
    ],
    [
      'a source the guard does not watch',
      (r) => ({ ...patched(r, () => undefined), source: 'aws.sqs' }),
      /^source: 'aws\.sqs' is not watched/,
    ],
    ['no detail at all', () => ({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam' }), /^detail: /],
    // Processed as a success, this would heal the role the event names (the role really lacks its logs policy).
    [
      'an empty errorCode (neither success nor failure)',
      (r) => patched(r, (d) => (d.errorCode = '')),
      /^detail\.errorCode: empty \(''\): CloudTrail writes errorCode only for a failed call/,
    ],
    [
      'requestParameters nested 100,000 levels deep',
      (r) =>
        patched(r, (d) => {
          ;(d.requestParameters as Record<string, unknown>).extra = JSON.parse(
            `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
          )
        }),
      /^detail\.requestParameters\.extra\[0\]\.\.\.: nested deeper than 32 levels/,
    ],
    [
      'a policyArn IAM would refuse (a lone surrogate)',
      (r) =>
        patched(r, (d) => {
          d.eventName = 'CreatePolicyVersion'
          d.requestParameters = { policyArn: `arn:aws:iam::${world.account}:policy/\ud800`, setAsDefault: true }
        }),
      /^detail\.requestParameters\.policyArn: expected an IAM policy ARN/,
    ],
    ['not even an object', () => 'DeleteRolePolicy', /invalid|expected object/],
    // Found by the event fuzz: no read could be told stale from superseded, so every delivery threw StaleReadError.
    [
      'an eventTime that is not a time',
      (r) => patched(r, (d) => (d.eventTime = '{"Version":"2012-10-17"}')),
      /^detail\.eventTime: expected an ISO-8601 time/,
    ],
  ]
  it.each(malformed)(
    `a malformed event (%s): a clear reason, no call, no throw (${EVENTBRIDGE_EVENT})`,
    async (_, build, reason) => {
      const env = await world.createEnvironment({ mode: 'heal' })
      await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
      const handled = await world.guard().handle(build(env.roleName))
      expect(handled.summary.status).toBe('ignored')
      expect(handled.summary.reason).toMatch(reason)
      expect(handled.calls).toEqual([])
      expect(await world.inbox.about(env.name)).toEqual([])
    },
  )
})

describe('an eventID no DynamoDB text can hold (found by the event fuzz)', () => {
  it(`a lone surrogate in it: handled under the EventBridge id, no throw; a second delivery is a duplicate (${IDEMPOTENCY})`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    event.detail.eventID = `${String(event.detail.eventID).slice(0, 8)}\udc00${String(event.detail.eventID).slice(8)}`
    const guard = world.guard()
    const first = await guard.handle(event)
    expect(first.errors).toEqual([])
    expect(first.summary).toMatchObject({ status: 'handled', eventId: event.id })
    expect(first.summary.roles).toMatchObject([{ role: env.roleName, result: 'reported' }])
    const again = await guard.handle(event)
    expect(again.errors).toEqual([])
    expect(again.summary).toMatchObject({ status: 'duplicate', roles: [] })
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 300 })).toHaveLength(1)
  })

  it('neither id usable (an eventID of 1,036 characters, a lone surrogate in the id): handled, no throw', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    event.detail.eventID = `${String(event.detail.eventID)}${'x'.repeat(1_000)}`
    event.id = `${event.id.slice(0, 8)}\udbff${event.id.slice(8)}`
    const handled = await world.guard().handle(event)
    expect(handled.errors).toEqual([])
    expect(handled.summary.status).toBe('handled')
    expect(handled.summary).not.toHaveProperty('eventId')
    expect(handled.summary.roles).toMatchObject([{ role: env.roleName, result: 'reported' }])
  })
})

describe('DeleteRole: the role is re-read before a "deleted while in use" alert', () => {
  it(`a replayed DeleteRole of a role recreated since: no critical alert, the role is checked as it is (${DELETE_ROLE})`, async () => {
    const env = await world.createEnvironment({ mode: 'alert', layout: 'inline' })
    const event = await world.as(world.callers.operator).deleteRole(env.roleName)
    // The same role name again, granting what the environment needs.
    await world.unusedRole({ name: env.name, layout: 'inline' })
    const guard = world.guard()
    // The fresh event: the role shows although it was just deleted (IAM may lag); its message comes back in a minute.
    const first = await guard.handle(event)
    expect(first.summary.roles).toMatchObject([{ result: 'failed', retryable: true, retryInSeconds: 60 }])
    expect(first.alerts).toEqual([])
    expect(guard.logs.some((l) => l.message === 'reconcile retried later' && l.fields?.seconds === 60)).toBe(true)
    // The queue's redelivery a minute later: the role exists, that is the truth.
    guard.advanceClock(SUPERSEDED_AFTER_MS + 1_000)
    const handled = await guard.retryFailed()
    expect(handled.summary.roles).toMatchObject([{ role: env.roleName, result: 'healthy', alerted: false }])
    expect(handled.alerts).toEqual([])
    expect(await world.inbox.about(env.name)).toEqual([])
  })

  it('a DeleteRole of a role that is gone still raises the critical alert, once', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const handled = await world.guard().handle(await world.as(world.callers.operator).deleteRole(env.roleName))
    expect(handled.summary.roles).toMatchObject([{ result: 'role-deleted-in-use', alerted: true }])
    expect(handled.calls.filter((c) => c.operation === 'GetRole')).toHaveLength(1)
    const alerts = await world.inbox.take(aboutEnvironment(env.name))
    expect(alerts.map((a) => a.attributes.severity)).toEqual(['critical'])
  })
})

describe('a policy document nested deep inside its text', () => {
  it('is compared without a RangeError; the role is reconciled as IAM shows it', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    event.detail.eventName = 'PutRolePolicy'
    // 60,000 levels: within the 131,072 characters IAM's PolicyDocument takes (API_PutRolePolicy.html).
    event.detail.requestParameters = {
      roleName: env.roleName,
      policyName: 'logs',
      policyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/t":${'['.repeat(60_000)}"x"${']'.repeat(60_000)}}}}]}`,
    }
    const guard = world.guard()
    guard.advanceClock(SUPERSEDED_AFTER_MS + 1_000) // no live document will ever equal it: read as a superseded event
    const handled = await guard.handle(event)
    expect(handled.summary.roles).toMatchObject([{ role: env.roleName, result: 'reported' }])
  })
})

describe('level-triggered: a second pass finds nothing to do', () => {
  it(`the same event delivered twice: recognised by its id, the second delivery reads, writes and sends nothing (${IDEMPOTENCY})`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const guard = world.guard()
    expect((await guard.handle(event)).summary.roles[0]?.result).toBe('healed')
    const again = await guard.handle(event)
    expect(again.summary).toMatchObject({ status: 'duplicate', roles: [] })
    expect(again.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['dynamodb:PutItem'])
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 300 })).toHaveLength(1)
  })

  it(`an event a later change overwrote is retried a minute later, then taken as superseded: nothing written (${ASYNC_RETRY})`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const operator = world.as(world.callers.operator)
    const deleted = await operator.deleteRolePolicy(env.roleName, 'logs')
    await operator.putRolePolicy(env.roleName, 'logs', env.inline.logs!)
    const guard = world.guard()
    // The read shows the policy the event says was deleted: stale, or superseded; a fresh event is not trusted yet.
    const first = await guard.handle(deleted)
    expect(first.summary.roles).toMatchObject([{ result: 'failed', retryable: true, retryInSeconds: 60 }])
    expect(first.writes).toEqual([])
    guard.advanceClock(SUPERSEDED_AFTER_MS + 1_000)
    const retried = await guard.retryFailed()
    expect(retried.summary.roles).toMatchObject([{ result: 'healthy', writes: [] }])
    expect(retried.writes).toEqual([])
    expect(await world.inbox.about(env.name)).toEqual([])
  })

  it("the remediator's own follow-up events are skipped; processed as someone else's, they find nothing to do", async () => {
    // One drift per kind of heal write: re-attach, restore inline, merge the trust policy.
    const env = await world.createEnvironment({ mode: 'heal' })
    const operator = world.as(world.callers.operator)
    const guard = world.guard()
    const drifts = [
      () => operator.detachRolePolicy(env.roleName, env.managed[`${env.name}-queue-kms`]!.arn),
      () => operator.deleteRolePolicy(env.roleName, 'dag-bucket'),
      () =>
        operator.updateAssumeRolePolicy(env.roleName, {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'airflow.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
    ]
    const followUps = []
    for (const drift of drifts) {
      // Past the back-off between heals (1 minute, then 2): three heals within the hour are not yet a fight.
      guard.advanceClock(5 * 60_000)
      followUps.push(...guard.followUps(await guard.handle(await drift())))
    }
    expect(followUps.map((e) => e.detail.eventName)).toEqual([
      'AttachRolePolicy',
      'PutRolePolicy',
      'UpdateAssumeRolePolicy',
    ])
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 3 })).toHaveLength(3)

    for (const event of followUps) {
      const own = await guard.handle(event)
      expect(own.summary).toMatchObject({ status: 'ignored', reason: 'caused by mwaa-role-guard itself' })
      expect(own.calls).toEqual([])
    }
    for (const event of followUps.map((e) => asCaller(e, world.callerArn(world.callers.operator)))) {
      const other = await guard.handle(event)
      expect(other.summary.roles[0]).toMatchObject({ result: 'healthy', writes: [] })
      expect(other.writes).toEqual([])
    }
    expect(await world.inbox.about(env.name)).toEqual([])
    expect((await world.recheck(env)).code).toBe(0)
  })

  it('handleEvent directly (same deps, no middy) decides as the Lambda does', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'), 'direct')
    expect(handled.summary.roles[0]).toMatchObject({ result: 'reported', mode: 'alert', alerted: true })
    expect(await world.inbox.take(aboutEnvironment(env.name))).toHaveLength(1)
  })
})

/** A CloudTrail-shaped event for the role, with `change` applied to its detail (`bare`: the detail alone). */
function patched(
  roleName: string,
  change: (detail: Record<string, unknown>) => void,
  bare = false,
): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: { type: 'IAMUser', arn: world.callerArn(world.callers.operator), accountId: world.account },
    eventTime: `${new Date().toISOString().slice(0, 19)}Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: 'DeleteRolePolicy',
    awsRegion: 'us-east-1',
    requestParameters: { roleName, policyName: 'logs' },
    responseElements: null,
    eventID: crypto.randomUUID(),
    recipientAccountId: world.account,
  }
  change(detail)
  if (bare) return detail
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: world.account,
    time: detail.eventTime,
    region: 'us-east-1',
    resources: [],
    detail,
  }
}

/** The same event as if an IAM user had made the call. */
function asCaller<E extends { detail: Record<string, unknown> }>(event: E, userArn: string): E {
  return {
    ...event,
    detail: {
      ...event.detail,
      userIdentity: {
        type: 'IAMUser',
        arn: userArn,
        accountId: userArn.split(':')[4],
        userName: userArn.split('/').at(-1),
      },
    },
  }
}
