/**
 * The event fuzz: mutated real CloudTrail events (test/support/event-mutator.ts, most aimed at the fuzz world's names)
 * handed to the deployed chain handler (lib/lambda/chain.ts over wireDeps, as `handle` runs it, SETTLE 0, the state
 * table on moto) by a few warm "processes" at once, each with its own dependencies and its own recording proxy in
 * front of moto. Every AWS call is seen at the HTTP level, so nothing the handler does can bypass the count. What it
 * checks, per event:
 *
 * - the handler throws only an error a retry is for (a retryable AWS error, a stale read: none is expected on moto,
 *   or RoleBusyError: the role's record kept changing under it, another process reconciling it);
 * - no role result says `failed`, no state-table error is logged (the memory or a lease lost);
 * - no IAM call but Get and List, except the heal of heal-drifted: exactly the restore policy its baseline requires,
 *   and at most once per drift (after it, the role is healthy: any further write would come from the event alone);
 * - no call that changes a document beyond the role (S3, KMS, EC2, Organizations: reads only);
 * - every alert is well-formed text (no lone surrogate) and its SNS Publish succeeds.
 *
 * The drift of heal-drifted is restored `rounds` times (with the clock moved on 2 hours, past the fight window and the
 * heal back-off), so the heal path runs more than once; within a round the clock moves 16 minutes every 100 events,
 * so the memory's back-off cannot hide a write that should not happen (reminders and cache expiry run too). Events
 * come from per-event seeds: event i of seed S is the same event on every run.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda'
import fc from 'fast-check'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { PolicyStatement } from '../../lib/iam/types'
import { RoleBusyError } from '../../lib/reconcile/lease'
import { isRetryable } from '../../lib/reconcile/retry-later'
import type { EventSummary } from '../../lib/reconcile/types'
import { wireDeps } from '../../lib/reconcile/wire'
import { withDedupe } from '../../lib/reconcile/wire-chain'
import { describeMutated, type MutatedEvent, mutatedEvents } from './event-mutator'
import { startFaultProxy, type FaultProxy, type ProxiedCall } from './fault-proxy'
import type { FuzzWorld } from './fuzz-world'

export type FuzzOptions = {
  events: number
  seed: number
  /** warm processes handling events at once (default 4) */
  concurrency?: number
  /** how many times heal-drifted is drifted (default 5; the first drift is the world's) */
  rounds?: number
  /** progress lines */
  progress?: (line: string) => void
  /** handle only these events of the run (by index): to replay a failure */
  only?: readonly number[]
}

export type Violation = {
  index: number
  problem: string
  /** the mutated event: its source file and mutations, and its JSON text (cut when long) */
  event: string
  text: string
  textLength: number
}

export type FuzzReport = {
  seed: number
  events: number
  seconds: number
  concurrency: number
  /** handled / ignored / duplicate */
  status: Record<string, number>
  /** events whose handling read a role (reached the evaluation) */
  reachedRoles: number
  /** role results, by result */
  results: Record<string, number>
  /** AWS calls seen at the proxies, by service */
  calls: Record<string, number>
  iamWrites: number
  heals: number
  /** rounds in which heal-drifted was drifted and then healed */
  healedRounds: number
  rounds: number
  alerts: number
  /** thrown errors a retry is for (allowed, though none is expected on moto): the error and the event */
  retryable: Violation[]
  /**
   * RoleBusyError: another process kept the role's record changing through three attempts (allowed: the chain says
   * "retry later", as the worker does by re-queueing; several processes hammering a few roles make it likely)
   */
  busy: number
  violations: Violation[]
}

const IAM_READ = /^(Get|List)/
const DOCUMENT_READ = /^(GET |HEAD |Describe|Get|List)/
/** Between rounds: past the fight window (an hour) and the heal back-off, so each drift is healed at once. */
const CLOCK_STEP_MS = 2 * 3_600_000
/**
 * Every STEP_EVENTS events the clock moves STEP_MS on: past the longest heal back-off (15 minutes), so a write the
 * memory would only defer (a heal of a healthy role, a heal the event alone asks for) is attempted, and caught.
 */
const STEP_EVENTS = 100
const STEP_MS = 16 * 60_000
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Event `index` of the run with `seed` (the same on every run). */
export function fuzzEvent(arb: fc.Arbitrary<MutatedEvent>, seed: number, index: number): MutatedEvent {
  return fc.sample(arb, { seed: (seed + Math.imul(index + 1, 0x9e3779b1)) | 0, numRuns: 1 })[0]!
}

/** Feeds `events` mutated events to the chain handler and returns what happened (violations included). */
export async function runFuzz(fuzz: FuzzWorld, options: FuzzOptions): Promise<FuzzReport> {
  const concurrency = options.concurrency ?? 4
  const rounds = Math.max(1, Math.min(options.rounds ?? 5, options.events))
  // 20,000 levels is past V8's recursion as surely as 100,000 (JSON.stringify throws RangeError by 5,000), at a
  // fifth of the cost of writing and parsing the event (event-handling.integration.test.ts sends one 100,000 deep).
  const arb = mutatedEvents({ aim: fuzz.aim, depths: [40, 1_000, 20_000] })
  let clockOffset = 0
  const report: FuzzReport = {
    seed: options.seed,
    events: options.events,
    seconds: 0,
    concurrency,
    status: {},
    reachedRoles: 0,
    results: {},
    calls: {},
    iamWrites: 0,
    heals: 0,
    healedRounds: 0,
    rounds,
    alerts: 0,
    retryable: [],
    busy: 0,
    violations: [],
  }
  const expected = canonical(fuzz.expectedRestore)
  let healBudget = 0
  const workers = await Promise.all(
    Array.from({ length: concurrency }, () => startWorker(fuzz, () => new Date(Date.now() + clockOffset))),
  )
  const started = performance.now()
  try {
    for (let round = 0; round < rounds; round++) {
      if (round > 0) {
        await fuzz.redrift()
        clockOffset += CLOCK_STEP_MS
      }
      healBudget = 1
      const healsBefore = report.heals
      const from = Math.floor((options.events * round) / rounds)
      const to = Math.floor((options.events * (round + 1)) / rounds)
      for (let stepFrom = from; stepFrom < to; stepFrom += STEP_EVENTS) {
        // Between steps, with no event in flight (a lease never expires under a running reconcile): time passes.
        if (stepFrom > from) clockOffset += STEP_MS
        let next = stepFrom
        const stepTo = Math.min(to, stepFrom + STEP_EVENTS)
        await Promise.all(
          workers.map(async (worker) => {
            for (let index = next++; index < stepTo; index = next++) {
              if (options.only && !options.only.includes(index)) continue
              const mutated = fuzzEvent(arb, options.seed, index)
              const seen = await worker.handle(mutated.text)
              const noted = (problem: string): Violation => ({
                index,
                problem,
                event: describeMutated(mutated),
                text: mutated.text.length > 4_000 ? `${mutated.text.slice(0, 4_000)}...` : mutated.text,
                textLength: mutated.text.length,
              })
              for (const problem of check(seen)) report.violations.push(noted(problem))
              if (seen.error instanceof RoleBusyError) report.busy++
              else if (seen.error !== undefined && isRetryable(seen.error))
                report.retryable.push(noted(`the handler threw ${describe(seen.error)} (a retry is for it)`))
            }
          }),
        )
      }
      if (report.heals > healsBefore) report.healedRounds++
      options.progress?.(
        `round ${round + 1}/${rounds}: events ${to}, reached roles ${report.reachedRoles}, heals ${report.heals}, ` +
          `violations ${report.violations.length}, ${Math.round(performance.now() - started) / 1000} s`,
      )
    }
  } finally {
    report.seconds = Math.round(performance.now() - started) / 1000
    await Promise.all(workers.map((w) => w.stop()))
  }
  return report

  function check(seen: Handled): string[] {
    const problems: string[] = []
    const status = seen.summary?.status ?? 'threw'
    report.status[status] = (report.status[status] ?? 0) + 1
    if (seen.calls.some((c) => c.service === 'iam' && IAM_READ.test(c.action))) report.reachedRoles++
    for (const call of seen.calls) report.calls[call.service] = (report.calls[call.service] ?? 0) + 1
    for (const r of seen.summary?.roles ?? []) report.results[r.result] = (report.results[r.result] ?? 0) + 1
    if (seen.error !== undefined && !isRetryable(seen.error) && !(seen.error instanceof RoleBusyError))
      problems.push(`the handler threw ${describe(seen.error)}`)
    for (const r of seen.summary?.roles ?? [])
      if (r.result === 'failed') problems.push(`role ${r.role}: result failed (${r.error ?? 'no error'})`)
    // Refused environment data is logged as an error by design; the state table's errors mean lost memory or leases.
    for (const line of seen.errorLogs) if (line.startsWith('state:')) problems.push(`logged an error: ${line}`)
    for (const call of seen.calls) {
      if (call.service === 'iam' && !IAM_READ.test(call.action)) {
        report.iamWrites++
        problems.push(...checkWrite(call))
      } else if (['s3', 'kms', 'ec2', 'organizations'].includes(call.service) && !DOCUMENT_READ.test(call.action))
        problems.push(`${call.service} ${call.action}: a document beyond the role was written`)
      if (call.service === 'sns' && call.action === 'Publish') {
        report.alerts++
        if (call.status !== 200) problems.push(`sns Publish answered ${call.status}`)
      }
    }
    for (const text of seen.alertTexts)
      if (LONE_SURROGATE.test(text))
        problems.push(`an alert holds a lone surrogate: ${JSON.stringify(text.slice(0, 200))}`)
    return problems
  }

  function checkWrite(call: ProxiedCall): string[] {
    const what = `iam ${call.action} ${call.roleName ?? ''} ${call.target ?? ''}`.trim()
    if (call.roleName !== fuzz.healDrifted.roleName)
      return [`${what}: a write to a role no heal may change (not tagged heal, or not used by a live environment)`]
    const document = call.params?.PolicyDocument
    if (call.action !== 'PutRolePolicy' || call.target !== RESTORE_POLICY_NAME || !document)
      return [`${what}: not the heal the drift requires (the ${RESTORE_POLICY_NAME} policy)`]
    const written = canonical((JSON.parse(document) as { Statement: PolicyStatement[] }).Statement)
    if (written !== expected) return [`${what}: wrote ${written}, the baseline requires ${expected}`]
    if (healBudget <= 0)
      return [`${what}: a second write for one drift (the role was healthy: the event alone drove it)`]
    healBudget--
    report.heals++
    return []
  }
}

type Handled = {
  summary?: EventSummary
  error?: unknown
  calls: ProxiedCall[]
  alertTexts: string[]
  errorLogs: string[]
}

type Worker = { handle(text: string): Promise<Handled>; stop(): Promise<void> }

/** One warm process: its own proxy in front of moto, its own dependencies (caches), the chain handler. */
async function startWorker(fuzz: FuzzWorld, now: () => Date): Promise<Worker> {
  const { world } = fuzz
  const proxy: FaultProxy = await startFaultProxy({ upstream: world.moto.endpoint })
  const env = { ...world.env, AWS_ENDPOINT_URL: proxy.endpoint }
  let alertTexts: string[] = []
  let errorLogs: string[] = []
  const ignore = () => undefined
  const deps = withDedupe(
    wireDeps(env, {
      log: {
        debug: ignore,
        info: ignore,
        warn: ignore,
        error: (message, fields) => void errorLogs.push(`${message} ${JSON.stringify(fields ?? {}).slice(0, 300)}`),
      },
      now,
      sent: (alert) => void alertTexts.push(alert.subject, alert.text, ...strings(alert.attributes, alert.slack)),
    }),
    env,
  )
  // Imported here, once the world has set Powertools' log level (the module builds its logger when first imported).
  const { createChainHandler } = await import('../../lib/lambda/chain')
  const handler = createChainHandler(() => deps, { settleMs: 0 })
  const context = {
    functionName: 'mwaa-role-guard-fuzz',
    awsRequestId: 'fuzz',
    getRemainingTimeInMillis: () => 300_000,
  } as unknown as Context
  return {
    async handle(text) {
      const mark = proxy.calls.length
      alertTexts = []
      errorLogs = []
      let summary: EventSummary | undefined
      let error: unknown
      try {
        summary = await handler(JSON.parse(text) as EventBridgeEvent<string, unknown>, context)
      } catch (thrown) {
        error = thrown
      }
      return { summary, error, calls: proxy.calls.slice(mark), alertTexts, errorLogs }
    },
    stop: () => proxy.stop(),
  }
}

/** Every string inside a value (alert attributes, the Slack payload). */
function strings(...values: unknown[]): string[] {
  const out: string[] = []
  const stack = [...values]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'string') out.push(v)
    else if (typeof v === 'object' && v !== null) stack.push(...Object.values(v))
  }
  return out
}

/** Statements as one comparable string: in Sid order, their action and resource lists sorted (order means nothing). */
function canonical(statements: readonly PolicyStatement[]): string {
  const sorted = (v: unknown) => (Array.isArray(v) ? [...v].sort() : v)
  return JSON.stringify(
    [...statements]
      .sort((a, b) => (a.Sid ?? '').localeCompare(b.Sid ?? ''))
      .map((s) => ({ ...s, Action: sorted(s.Action), Resource: sorted(s.Resource) })),
  )
}

function describe(error: unknown): string {
  const cause =
    error instanceof Error && error.cause instanceof Error
      ? ` (cause: ${error.cause.name}: ${error.cause.message})`
      : ''
  const text = error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error)
  return (text.split('\n')[0] ?? text).slice(0, 300)
}
