/**
 * `mwaa-role-guard replay` on moto, against the queues as serverless.yml defines them: the failed-events queue (the
 * ingest function's on-failure destination and the rules' dead-letter queue) and the reconcile dead-letter queue (a
 * message lands there after maxReceiveCount receives), with the MWAA stand-in and heal-tagged roles that drifted.
 * What an operator sees: which roles were healed, which messages are gone and which are still in the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../lib/cli/main'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { aboutEnvironment } from '../support/alert-inbox'
import {
  createFailedEventsQueueOnMoto,
  deadLetterRoleMessage,
  depth,
  sendLambdaFailure,
  sendRaw,
  sendRuleDeadLetter,
  visibleBodies,
} from '../support/failed-events-queue'
import { uniqueName } from '../support/names'
import { startWorld, type World } from '../support/world'

const LAMBDA_RECORD = 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html'
const RULE_DLQ = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html'
const SQS_DLQ = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

type Line = {
  messageId: string
  shape: string
  result: string
  deleted: boolean
  eventName?: string
  roles: Array<{ role: string; result: string; wouldWrite?: string[] }>
  reason?: string
  prior?: { condition?: string; attempts?: number; error?: string }
  wouldAlert?: string[]
}

async function replay(env: Record<string, string | undefined>, ...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['replay', ...argv], { out: (t) => void out.push(t), err: (t) => void err.push(t), env })
  const lines = argv.includes('--json') ? out.map((l) => JSON.parse(l) as Line) : []
  return { code, out, lines, err: err.join('\n') }
}

/** A heal-tagged environment's role, with its `logs` inline policy deleted: the event CloudTrail sent for it. */
async function drifted() {
  const env = await world.createEnvironment({ mode: 'heal' })
  const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
  return { env, event }
}

async function failedEventsQueue() {
  const url = await createFailedEventsQueueOnMoto(world.sqs, uniqueName('failed-events'))
  return { url, env: { ...world.env, FAILED_EVENTS_QUEUE_URL: url } }
}

describe('replay of the failed-events queue', () => {
  it(`a Lambda failure record (${LAMBDA_RECORD}) and an EventBridge dead letter (${RULE_DLQ}) heal their roles and are deleted; a garbage message is reported and stays`, async () => {
    const { url, env } = await failedEventsQueue()
    const a = await drifted()
    const b = await drifted()
    await sendLambdaFailure(world.sqs, url, a.event, world.account)
    await sendRuleDeadLetter(world.sqs, url, b.event, world.account)
    const garbage = await sendRaw(world.sqs, url, 'this is not an event {')

    const run = await replay(env, '--json')

    expect(run.code).toBe(1)
    const byShape = Object.fromEntries(run.lines.map((l) => [l.shape, l]))
    expect(byShape['lambda-failure']).toMatchObject({
      result: 'replayed',
      deleted: true,
      eventName: 'DeleteRolePolicy',
      prior: { condition: 'RetriesExhausted', attempts: 3 },
      roles: [{ role: a.env.roleName, result: 'healed' }],
    })
    expect(byShape['rule-dead-letter']).toMatchObject({
      result: 'replayed',
      deleted: true,
      prior: { condition: 'SDK_CLIENT_ERROR', attempts: 10 },
      roles: [{ role: b.env.roleName, result: 'healed' }],
    })
    expect(byShape.unreadable).toMatchObject({ messageId: garbage, result: 'unreadable', deleted: false })
    expect(byShape.unreadable!.reason).toBe('body: not JSON')
    expect(run.err).toContain('2 replayed (2 deleted), 0 left in the queue, 1 unreadable')
    // Both roles grant what their environments need again; each heal was told.
    for (const { env: e } of [a, b]) {
      expect((await world.recheck(e)).code).toBe(0)
      const alerts = await world.inbox.take(aboutEnvironment(e.name))
      expect(alerts.map((x) => x.attributes.outcome)).toContain('healed')
    }
    // Only the garbage is left, and visible again at once (not after the run's visibility timeout).
    expect(await visibleBodies(world.sqs, url)).toEqual(['this is not an event {'])
    expect(await depth(world.sqs, url)).toBe(1)
  })

  it('a message whose handling fails stays in the queue with the reason, and is replayed once it can be', async () => {
    const { url, env } = await failedEventsQueue()
    const { env: e, event } = await drifted()
    // Put back at once: the role never shows the delete the event reports, so the read is taken as stale (IAM's
    // eventual consistency: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
    await world.as(world.callers.operator).putRolePolicy(e.roleName, 'logs', e.inline.logs!)
    await sendLambdaFailure(world.sqs, url, event, world.account)

    const failed = await replay(env, '--json')
    expect(failed.code).toBe(1)
    expect(failed.lines).toHaveLength(1)
    expect(failed.lines[0]).toMatchObject({ result: 'left', deleted: false, eventName: 'DeleteRolePolicy' })
    expect(failed.lines[0]!.reason).toMatch(/StaleReadError: role .* still does not reflect the change/)
    expect(await depth(world.sqs, url)).toBe(1)

    // Deleted again (the state the event reported): the replay now heals, and the message is gone.
    await world.as(world.callers.operator).deleteRolePolicy(e.roleName, 'logs')
    const again = await replay(env)
    expect(again.code).toBe(0)
    expect(again.out[0]).toMatch(new RegExp(`^replayed, deleted: Lambda failure record .* -> ${e.roleName} healed`))
    expect(again.out.at(-1)).toContain('1 replayed (1 deleted), 0 left in the queue')
    expect(await depth(world.sqs, url)).toBe(0)
    expect((await world.recheck(e)).code).toBe(0)
  })

  it("an event the guard ignores (another account's) is left, not deleted: the operator checks AWS_ACCOUNT_ID", async () => {
    const { url, env } = await failedEventsQueue()
    const { env: e, event } = await drifted()
    const foreign = {
      ...event,
      account: '999999999999',
      detail: { ...event.detail, recipientAccountId: '999999999999' },
    }
    await sendRuleDeadLetter(world.sqs, url, foreign, world.account)

    const run = await replay(env, '--json')

    expect(run.code).toBe(1)
    expect(run.lines[0]).toMatchObject({ shape: 'rule-dead-letter', result: 'left', deleted: false, roles: [] })
    expect(run.lines[0]!.reason).toMatch(/^event ignored: .*999999999999/)
    expect(await depth(world.sqs, url)).toBe(1)
    expect((await world.recheck(e)).code).toBe(1)
  })

  it('--dry-run: says what it would write and alert; deletes nothing, writes nothing, publishes nothing', async () => {
    const { url, env } = await failedEventsQueue()
    const { env: e, event } = await drifted()
    // An alert-mode role too: its alert is composed (wouldAlert), not published.
    const watched = await world.createEnvironment({ mode: 'alert' })
    const alerting = await world.as(world.callers.operator).deleteRolePolicy(watched.roleName, 'logs')
    await sendLambdaFailure(world.sqs, url, event, world.account)
    await sendRuleDeadLetter(world.sqs, url, alerting, world.account)

    const run = await replay(env, '--dry-run', '--json')

    expect(run.code).toBe(0)
    const heal = run.lines.find((l) => l.shape === 'lambda-failure')!
    expect(heal).toMatchObject({ result: 'would-replay', deleted: false, roles: [{ result: 'dry-run' }] })
    expect(String(heal.roles[0]!.wouldWrite)).toContain(`put inline policy ${RESTORE_POLICY_NAME}`)
    const alert = run.lines.find((l) => l.shape === 'rule-dead-letter')!
    expect(alert).toMatchObject({ result: 'would-replay', deleted: false, roles: [{ result: 'reported' }] })
    expect(alert.wouldAlert!.join()).toContain(watched.name)
    expect(run.err).toContain(
      '2 would be replayed, 0 would be left, 0 unreadable; nothing deleted, written or published',
    )
    expect(await visibleBodies(world.sqs, url)).toHaveLength(2)
    const role = await world.readRole(e.roleName)
    expect(role!.inlinePolicies.map((p) => p.name)).not.toContain(RESTORE_POLICY_NAME)
    expect((await world.recheck(e)).code).toBe(1)
    expect(await world.inbox.about(e.name)).toEqual([])
    expect(await world.inbox.about(watched.name)).toEqual([])
    expect((await world.state!.roleHistory(e.roleName, 0)).items).toEqual([])
    expect((await world.state!.roleHistory(watched.roleName, 0)).items).toEqual([])
  })
})

describe('replay of the reconcile dead-letter queue', () => {
  it(`a role message that failed every receive (${SQS_DLQ}): the role is healed and the message deleted`, async () => {
    const queue = world.reconcileQueue!
    const { env: e, event } = await drifted()
    await deadLetterRoleMessage(world.sqs, queue, { role: e.roleName, eventId: String(event.detail.eventID), event })

    const run = await replay({ ...world.env, RECONCILE_DLQ_URL: queue.deadLetterUrl }, '--queue', 'reconcile-dlq')

    expect(run.code).toBe(0)
    expect(run.out[0]).toMatch(
      new RegExp(`^replayed, deleted: reconcile message .*DeleteRolePolicy.* -> ${e.roleName} healed`),
    )
    expect(await depth(world.sqs, queue.deadLetterUrl)).toBe(0)
    expect((await world.recheck(e)).code).toBe(0)
  })
})

describe('replay: usage and AWS errors', () => {
  it('FAILED_EVENTS_QUEUE_URL unset, or a bad --queue / --max: exit 2, one line', async () => {
    const unset = await replay({ ...world.env, FAILED_EVENTS_QUEUE_URL: undefined })
    expect(unset).toMatchObject({ code: 2, out: [] })
    expect(unset.err).toBe(
      'mwaa-role-guard replay: FAILED_EVENTS_QUEUE_URL: not set: set it to the stack output FailedEventsQueueUrl, or pass --queue URL',
    )
    expect((await replay(world.env, '--queue', 'dead-letters')).code).toBe(2)
    expect((await replay(world.env, '--queue', 'http://127.0.0.1:1/q', '--max', '0')).code).toBe(2)
  })

  it('a queue that does not exist: exit 3, one line naming the AWS error, no stack trace', async () => {
    const missing = `${world.env.AWS_ENDPOINT_URL}/${world.account}/${uniqueName('no-such-queue')}`
    const run = await replay(world.env, '--queue', missing)
    expect(run.code).toBe(3)
    expect(run.err).toMatch(/^mwaa-role-guard replay: AWS error: \S+/)
    expect(run.err).not.toContain('\n')
  })
})
