/**
 * The event path under faults (issue 8): 50 heal-mode drift events (and 5 in alert mode) through the deployed chain --
 * the ingest handler, the reconcile FIFO queue on moto, five reconcile workers (the event source's maximumConcurrency)
 * whose failed messages come back as SQS returns them -- with 30 % of IAM calls answered `Throttling` and 5 % HTTP 500
 * by a proxy in front of moto (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). Every role ends
 * healed (the live state re-read without the proxy shows no drift) or reported failed with one alert; no write reaches
 * a role not tagged heal; no write is made twice; nothing is left on the queue or in its dead-letter queue.
 *
 * On top of the random faults, chosen calls fail on purpose: one role's heal write is throttled on every SDK attempt
 * (retried through the queue, written once), one role's verifying re-read likewise (the retry finds it healed and
 * sends the notice once), one role's write is refused (AccessDenied: one "heal failed" alert, no retry). A role whose
 * reads keep failing is reported on the queue's last receive (its own test below).
 *
 * The clients use the SDK's standard retry mode here (AWS_RETRY_MODE, the SDK's own setting): the deployed adaptive
 * mode also throttles itself on the client (measured: 200 GetRole calls under these faults take 44 s in five adaptive
 * clients, 11 s in five standard ones), which makes this run minutes long without changing what it proves. The
 * adaptive figures are `npm run bench:events`'s.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { RoleResult } from '../../lib/reconcile/types'
import type { CloudTrailEvent } from '../support/cloudtrail-event'
import type { WorldEnvironment } from '../support/environments'
import { startFaultProxy, type Fault, type FaultProxy, type ProxiedCall } from '../support/fault-proxy'
import type { Guard, SentAlert } from '../support/guard'
import { startWorld, type World } from '../support/world'

const FAULTS = { throttle: 0.3, serverError: 0.05 }
const WORKERS = 5
/** Attempts the SDK makes per call (RETRY.maxAttempts): a rule that throttles this many in a row defeats them. */
const SDK_ATTEMPTS = 5
/** Two inline policies: the drift deletes `logs`, the heal puts it back (a read is 5 IAM calls). */
const layout = () => [
  { kind: 'inline' as const, name: 'logs', sids: [Sid.logs] },
  { kind: 'inline' as const, name: 'rest', sids: Object.values(Sid).filter((s) => s !== Sid.logs) },
]

let world: World
let proxy: FaultProxy
const heal: WorldEnvironment[] = []
const alertOnly: WorldEnvironment[] = []
const events: CloudTrailEvent[] = []
/** special roles, by what is done to them */
let writeThrottled: WorldEnvironment
let verifyThrottled: WorldEnvironment
let refused: WorldEnvironment
/** a role whose every GetRole fails (set by the last test) */
let stuck: string | undefined

/** The faults forced on chosen calls, whatever the draw (state per role: the calls of one role come in order). */
function rules(): (call: ProxiedCall) => Fault | undefined {
  const count = new Map<string, number>()
  const bump = (key: string) => {
    const n = (count.get(key) ?? 0) + 1
    count.set(key, n)
    return n
  }
  let verifying = false
  return (call) => {
    if (call.roleName === writeThrottled?.roleName && call.action === 'PutRolePolicy')
      return bump('write') <= SDK_ATTEMPTS ? 'throttle' : undefined
    if (call.roleName === verifyThrottled?.roleName) {
      if (call.action === 'PutRolePolicy') verifying = true
      else if (verifying && call.action === 'GetRole') {
        if (bump('verify') <= SDK_ATTEMPTS) return 'throttle'
        verifying = false
      }
      return undefined
    }
    if (call.roleName === refused?.roleName && call.action === 'PutRolePolicy') return 'access-denied'
    if (call.roleName === stuck && call.action === 'GetRole') return 'server-error'
    return undefined
  }
}

beforeAll(async () => {
  world = await startWorld()
  for (let i = 0; i < 50; i++) heal.push(await world.createEnvironment({ prefix: 'heal', mode: 'heal', layout }))
  for (let i = 0; i < 5; i++) alertOnly.push(await world.createEnvironment({ prefix: 'alert', mode: 'alert', layout }))
  ;[writeThrottled, verifyThrottled, refused] = [heal[3]!, heal[17]!, heal[31]!]
  proxy = await startFaultProxy({
    upstream: world.moto.endpoint,
    faults: FAULTS,
    seed: 8,
    perCall: true,
    rule: rules(),
  })
  // The drifts are made directly on moto (not through the proxy): the operator's calls are not under test.
  const operator = world.as(world.callers.operator)
  for (const env of [...heal, ...alertOnly]) events.push(await operator.deleteRolePolicy(env.roleName, 'logs'))
}, 120_000)
afterAll(async () => {
  await proxy?.stop()
  await world?.stop()
})

/** A guard process whose AWS calls go through the proxy (MWAA keeps its stand-in: only IAM is faulted). */
const guardBehindProxy = (env: Record<string, string> = {}): Guard =>
  world.guard({ env: { AWS_ENDPOINT_URL: proxy.endpoint, AWS_RETRY_MODE: 'standard', ...env } })

/**
 * Lambda's event source for the FIFO queue with five concurrent invocations: each round, every worker takes one batch
 * (up to 10 messages) at once; results are in the order the rounds ran. A returned message is hidden for the wait it
 * asked for (30 s and more): once nothing is visible, SQS's clock is moved past it (the messages become visible).
 */
async function drainAll(workers: Guard[]): Promise<{ results: RoleResult[]; alerts: SentAlert[] }> {
  const results: RoleResult[] = []
  const alerts: SentAlert[] = []
  for (let round = 1; round <= 60; round++) {
    const handled = await Promise.all(workers.map((w) => w.drainOnce()))
    for (const h of handled) {
      results.push(...h.summary.roles)
      alerts.push(...h.alerts)
      expect(h.errors).toEqual([])
    }
    if ((await workers[0]!.pump!.pending()) === 0) return { results, alerts }
    if (handled.every((h) => h.summary.roles.length === 0)) for (const w of workers) await w.pump!.redeliverFailed()
  }
  throw new Error('the queue never emptied')
}

describe('50 heal-mode drift events under 30 % throttling and 5 % HTTP 500 on IAM', () => {
  let results: RoleResult[]
  let alerts: SentAlert[]
  let workers: Guard[]
  let seconds: number
  const final = (env: WorldEnvironment) => results.filter((r) => r.role === env.roleName).at(-1)
  const alertsAbout = (env: WorldEnvironment) => alerts.filter((a) => a.request.role.name === env.roleName)

  beforeAll(async () => {
    const ingest = guardBehindProxy()
    for (const event of events) {
      const ingested = await ingest.ingestOnly(event)
      expect(ingested.errors).toEqual([])
      expect(ingested.summary.enqueued).toHaveLength(1)
    }
    workers = Array.from({ length: WORKERS }, () => guardBehindProxy())
    const started = performance.now()
    ;({ results, alerts } = await drainAll(workers))
    seconds = (performance.now() - started) / 1000
  }, 240_000)

  it('the faults happened: throttles, 5xx, and roles that needed the queue to come back', () => {
    console.info(`50 + 5 events reconciled by ${WORKERS} workers in ${seconds.toFixed(1)} s`)
    const faults = proxy.calls.filter((c) => c.fault)
    expect(faults.filter((c) => c.fault === 'throttle').length).toBeGreaterThan(100)
    expect(faults.filter((c) => c.fault === 'server-error').length).toBeGreaterThan(10)
    const retried = results.filter((r) => r.result === 'failed' && r.retryable && r.retryInSeconds !== undefined)
    expect(retried.map((r) => r.role)).toEqual(
      expect.arrayContaining([writeThrottled.roleName, verifyThrottled.roleName]),
    )
  })

  it('every heal-mode role is healed (re-read without the proxy: no drift) or reported failed with one alert', async () => {
    for (const env of heal.filter((e) => e !== refused)) {
      const result = final(env)
      if (result?.result === 'failed') {
        expect(alertsAbout(env)).toHaveLength(1)
        continue
      }
      expect(result, env.roleName).toMatchObject({ result: 'healed', alerted: true })
      expect((await world.recheck(env)).code, env.roleName).toBe(0)
      // One notice per heal: the drift found and healed in one reconcile (or told late by the retry, once).
      expect(alertsAbout(env).map((a) => a.request.outcome)).toEqual(['healed'])
    }
    expect(heal.filter((e) => final(e)?.result === 'healed')).toHaveLength(heal.length - 1)
  })

  it('a heal write throttled on every SDK attempt is retried through the queue and written once', async () => {
    expect(final(writeThrottled)).toMatchObject({ result: 'healed' })
    const landed = proxy.writes().filter((w) => w.roleName === writeThrottled.roleName)
    expect(landed.map((w) => w.action)).toEqual(['PutRolePolicy'])
    expect(alertsAbout(writeThrottled).map((a) => a.request.outcome)).toEqual(['healed'])
  })

  it('a heal whose verifying re-read stays throttled: the retry finds it healed, tells it once (late), writes nothing', async () => {
    expect(final(verifyThrottled)).toMatchObject({ result: 'healed', writes: [] })
    expect(proxy.writes().filter((w) => w.roleName === verifyThrottled.roleName)).toHaveLength(1)
    const told = alertsAbout(verifyThrottled)
    expect(told.map((a) => [a.request.outcome, a.request.recovered])).toEqual([['healed', true]])
  })

  it('a write refused for good (AccessDenied) is one "heal failed" alert, not retried', async () => {
    expect(final(refused)).toMatchObject({ result: 'failed', retryable: false, alerted: true })
    expect(results.filter((r) => r.role === refused.roleName)).toHaveLength(1)
    expect(alertsAbout(refused).map((a) => [a.request.outcome, a.request.error])).toEqual([
      ['failed', expect.stringMatching(/^AccessDenied/)],
    ])
    expect((await world.recheck(refused)).code).toBe(1)
  })

  it('alert-mode roles are reported, never written; no write is made twice', () => {
    for (const env of alertOnly) expect(final(env)?.result).toMatch(/^(reported|failed)$/)
    const healRoles = new Set(heal.map((e) => e.roleName))
    const writes = proxy.writes()
    for (const w of writes) expect(healRoles.has(w.roleName!), w.roleName).toBe(true)
    const keys = writes.map((w) => `${w.action} ${w.roleName} ${w.target}`)
    expect(new Set(keys).size).toBe(keys.length)
    // Each healed role was written exactly once (the restore of its `logs` statements).
    for (const env of heal.filter((e) => final(e)?.result === 'healed'))
      expect(
        keys.filter((k) => k.includes(` ${env.roleName} `)),
        env.roleName,
      ).toHaveLength(1)
    expect(writes.every((w) => w.target === 'logs' || w.target === RESTORE_POLICY_NAME)).toBe(true)
  })

  it('each message was handled by one worker at a time; nothing is left behind (queue and dead-letter queue empty)', async () => {
    const receives = workers.flatMap((w) =>
      w.pump!.deliveries.flatMap((d) => d.records.map((r) => `${r.messageId}@${r.attributes.ApproximateReceiveCount}`)),
    )
    expect(new Set(receives).size).toBe(receives.length)
    expect(await workers[0]!.pump!.pending()).toBe(0)
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: world.moto.endpoint, credentials: credentialsOf(world) })
    const depth = async (url: string) => {
      const out = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
      return Number(out.Attributes?.ApproximateNumberOfMessages)
    }
    expect(await depth(deadLetterUrl(world))).toBe(0)
    sqs.destroy()
  })
})

describe("a role whose reads keep failing (IAM's 500 on every GetRole)", () => {
  it("is retried on each receive, then reported once on the queue's last one (maxReceiveCount 10), not dead-lettered", async () => {
    const env = await world.createEnvironment({ prefix: 'stuck', mode: 'heal', layout })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    stuck = env.roleName
    // One attempt per call: each receive fails at once instead of after the SDK's back-off.
    const guard = guardBehindProxy({ AWS_MAX_ATTEMPTS: '1' })
    await guard.ingestOnly(event)
    const results: RoleResult[] = []
    const alerts: SentAlert[] = []
    for (let receive = 1; receive <= 10; receive++) {
      const handled = await guard.drain()
      results.push(...handled.summary.roles)
      alerts.push(...handled.alerts)
      await guard.pump!.redeliverFailed()
    }
    expect(results.map((r) => [r.result, r.retryable, r.tries])).toEqual(
      Array.from({ length: 10 }, (_, i) => ['failed', true, i + 1]),
    )
    expect(results.slice(0, 9).map((r) => r.retryInSeconds)).toEqual([30, 60, 120, 240, 480, 900, 900, 900, 900])
    expect(results[9]).toMatchObject({ alerted: true, error: expect.stringMatching(/^ServiceFailure/) })
    expect(alerts.map((a) => [a.request.kind, a.request.role.name, a.request.failure?.tries])).toEqual([
      ['reconcile-failed', env.roleName, 10],
    ])
    expect(alerts[0]?.alert.subject).toMatch(/^\[HIGH\] MWAA role not checked: role .* \(ServiceFailure.*10 tries\)$/)
    expect(await guard.pump!.pending()).toBe(0)
    expect(proxy.writes().filter((w) => w.roleName === env.roleName)).toEqual([])
  }, 60_000)
})

function credentialsOf(w: World) {
  return {
    accessKeyId: w.env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: w.env.AWS_SECRET_ACCESS_KEY!,
    sessionToken: w.env.AWS_SESSION_TOKEN!,
  }
}

function deadLetterUrl(w: World): string {
  return w.env.RECONCILE_QUEUE_URL!.replace(/\.fifo$/, '-dlq.fifo')
}
