/**
 * `npm run bench:events [-- --events N --latency MS --faults --retry-mode adaptive|standard --json]`: N heal-mode drift
 * events (default 50; a DeleteRolePolicy each, on its own execution role with two inline policies) through the deployed
 * event path -- the ingest handler, the reconcile FIFO queue on moto, five reconcile handlers (the event source's
 * maximumConcurrency) taking one batch of up to 10 messages each at a time -- against moto and the MWAA stand-in, both
 * started here, behind a proxy that adds `--latency` ms (default 65) to every call. `--faults`: 30 % of IAM calls
 * answered Throttling and 5 % HTTP 500. The clients retry as deployed (adaptive, 5 attempts) unless `--retry-mode`
 * says otherwise. A message a handler returns comes back as soon as nothing else is visible (SQS's clock moved past
 * the wait it asked for: the figure is the work, not the back-off). Prints the wall time, the IAM calls and throttled
 * attempts, how many receives it took, what became of each role (re-read without the proxy), the writes, any write
 * made twice and the alerts. The setup (roles, drifts) is made without the proxy and is not timed. Not a test.
 */
import { parseArgs } from 'node:util'
import { Sid } from '../lib/baseline'
import { findDrift } from '../lib/drift/find-drift'
import type { RoleResult } from '../lib/reconcile/types'
import { startFaultProxy } from '../test/support/fault-proxy'
import type { Guard, SentAlert } from '../test/support/guard'
import { startWorld } from '../test/support/world'

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '50' },
    latency: { type: 'string', default: '65' },
    faults: { type: 'boolean' },
    'retry-mode': { type: 'string', default: 'adaptive' },
    seed: { type: 'string', default: '8' },
    json: { type: 'boolean' },
  },
})
const count = (name: string, value: string | undefined, min: number) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench:events: --${name} must be a whole number from ${min}`)
    process.exit(2)
  }
  return n
}
const EVENTS = count('events', flags.events, 1)
const LATENCY = count('latency', flags.latency, 0)
const MODE = flags['retry-mode']
if (MODE !== 'adaptive' && MODE !== 'standard') {
  console.error('bench:events: --retry-mode must be adaptive or standard')
  process.exit(2)
}
const WORKERS = 5
const layout = () => [
  { kind: 'inline' as const, name: 'logs', sids: [Sid.logs] },
  { kind: 'inline' as const, name: 'rest', sids: Object.values(Sid).filter((s) => s !== Sid.logs) },
]

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR'
const world = await startWorld()
try {
  const envs = []
  for (let i = 0; i < EVENTS; i++) envs.push(await world.createEnvironment({ prefix: 'bench', mode: 'heal', layout }))
  const operator = world.as(world.callers.operator)
  const events = []
  for (const env of envs) events.push(await operator.deleteRolePolicy(env.roleName, 'logs'))
  const proxy = await startFaultProxy({
    upstream: world.moto.endpoint,
    latencyMs: LATENCY,
    faults: flags.faults ? { throttle: 0.3, serverError: 0.05 } : {},
    seed: Number(flags.seed),
    perCall: true,
  })
  const guard = () =>
    world.guard({ env: { AWS_ENDPOINT_URL: proxy.endpoint, ...(MODE === 'standard' ? { AWS_RETRY_MODE: MODE } : {}) } })

  const started = performance.now()
  const ingest = guard()
  for (const event of events) await ingest.ingestOnly(event)
  const ingested = performance.now()
  const workers: Guard[] = Array.from({ length: WORKERS }, guard)
  const results: RoleResult[] = []
  const alerts: SentAlert[] = []
  let rounds = 0
  for (; rounds < 200; ) {
    rounds++
    const handled = await Promise.all(workers.map((w) => w.drainOnce()))
    for (const h of handled) results.push(...h.summary.roles)
    for (const h of handled) alerts.push(...h.alerts)
    if ((await workers[0]!.pump!.pending()) === 0) break
    if (handled.every((h) => h.summary.roles.length === 0)) for (const w of workers) await w.pump!.redeliverFailed()
  }
  const seconds = (performance.now() - started) / 1000

  const final = new Map(results.map((r) => [r.role, r]))
  let healthy = 0
  for (const env of envs) {
    const role = await world.readRole(env.roleName)
    if (role && findDrift(role, [env.baseline]).findings.length === 0) healthy++
  }
  const iam = proxy.calls.filter((c) => c.service === 'iam')
  const writes = proxy.writes()
  const keys = writes.map((w) => `${w.action} ${w.roleName} ${w.target}`)
  const receives = workers.reduce((n, w) => n + w.pump!.deliveries.reduce((m, d) => m + d.records.length, 0), 0)
  const by = (result: string) => [...final.values()].filter((r) => r.result === result).length
  const report = {
    events: EVENTS,
    latencyMs: LATENCY,
    faults: flags.faults === true,
    retryMode: MODE,
    seconds: Number(seconds.toFixed(1)),
    ingestSeconds: Number(((ingested - started) / 1000).toFixed(1)),
    iamAttempts: iam.length,
    iamThrottled: iam.filter((c) => c.fault === 'throttle').length,
    iamServerErrors: iam.filter((c) => c.fault === 'server-error').length,
    receives,
    rounds,
    healed: by('healed'),
    failed: by('failed'),
    failedRetryable: [...final.values()].filter((r) => r.result === 'failed' && r.retryable).length,
    healthyAfter: healthy,
    writes: writes.length,
    writtenTwice: keys.length - new Set(keys).size,
    alerts: alerts.length,
    notChecked: alerts.filter((a) => a.request.kind === 'reconcile-failed').length,
  }
  if (flags.json) console.log(JSON.stringify(report, null, 2))
  else {
    console.log(
      `events: ${EVENTS} heal-mode drift events, ${WORKERS} workers, ${LATENCY} ms a call${flags.faults ? ', 30 % of IAM calls throttled, 5 % HTTP 500' : ''}, ${MODE} retries`,
    )
    console.log(
      `  wall ${report.seconds} s (ingest ${report.ingestSeconds} s), ${receives} receives in ${rounds} rounds`,
    )
    console.log(
      `  IAM: ${report.iamAttempts} attempts, ${report.iamThrottled} throttled, ${report.iamServerErrors} HTTP 500`,
    )
    console.log(
      `  roles: ${report.healed} healed, ${report.failed} failed (${report.failedRetryable} retryable); ${healthy} of ${EVENTS} without drift when re-read`,
    )
    console.log(`  writes: ${writes.length}, made twice: ${report.writtenTwice}; alerts: ${alerts.length}`)
  }
  await proxy.stop()
} finally {
  await world.stop()
}
