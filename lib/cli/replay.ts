/**
 * `replay [--queue failed-events|reconcile-dlq|URL] [--dry-run] [--max N] [--json] [--verbose]`: reads a failed-work
 * queue, replays each message with the deployed chain (lib/reconcile/replay.ts), deletes it once its event was
 * handled, leaves it otherwise, and prints one line (or, with --json, one JSON object) per message. With the same
 * environment variables as `handle`, plus the queue's URL (FAILED_EVENTS_QUEUE_URL, RECONCILE_DLQ_URL: the stack's
 * outputs). --dry-run replays as `handle --dry-run` does (nothing written, published or remembered) and deletes
 * nothing. Exit 0: every message replayed (or none waiting); 1: some left in the queue; 2: bad usage; 3: an AWS
 * error reading the queue.
 */
import * as z from 'zod'
import { createSqsClient, credentialsFromEnv } from '../aws/clients'
import { createDeadLetterQueue, type ReceivedMessage } from '../aws/dead-letter-queue'
import { InputError } from '../input-error'
import { regionFromEnv } from '../region'
import { replayMessage } from '../reconcile/replay'
import { parseReplayMessage } from '../reconcile/replay-message'
import { wireDeps } from '../reconcile/wire'
import { stsFor } from '../reconcile/wire-sts'
import { UsageError, parseFlags } from './args'
import { routeLogsToStderr } from './handle'
import type { Io } from './io'
import { DEFAULT_LOOP, drainQueue, type ReplayStep } from './replay-queue'
import { type MessageReport, messageLine, totalsLine } from './replay-print'

/** The queues the stack outputs, by name, and the variable holding each one's URL. */
const NAMED_QUEUES = {
  'failed-events': { variable: 'FAILED_EVENTS_QUEUE_URL', output: 'FailedEventsQueueUrl' },
  'reconcile-dlq': { variable: 'RECONCILE_DLQ_URL', output: 'ReconcileDeadLetterQueueUrl' },
} as const

const queueUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an SQS queue URL' })

/** The CLI command. */
export async function replayCommand(argv: string[], io: Io, loop = DEFAULT_LOOP): Promise<number> {
  const flags = parseFlags(argv, {
    queue: { type: 'string' },
    'dry-run': { type: 'boolean' },
    max: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
  })
  const url = queueUrlOf(flags.queue ?? 'failed-events', io.env)
  const max = flags.max === undefined ? Number.MAX_SAFE_INTEGER : maxOf(flags.max)
  const dryRun = flags['dry-run'] === true
  routeLogsToStderr(io, flags.verbose === true)
  const { log } = await import('../lambda/telemetry')
  let wouldAlert: string[] = []
  // A dry run leaves the state table alone too (as handle --dry-run): no incident opened, no history written.
  const env = dryRun ? { ...io.env, STATE_TABLE: undefined } : io.env
  const sent = (alert: { subject: string }) => void wouldAlert.push(alert.subject)
  const deps = wireDeps(env, { log, dryRun, sent, sts: stsFor(env) })
  const client = createSqsClient({
    env: io.env,
    credentials: credentialsFromEnv(io.env),
    region: regionOf(url, io.env),
  })
  const queue = createDeadLetterQueue(client, url)
  const counts = { replayed: 0, left: 0, unreadable: 0 }
  const replay = async (message: ReceivedMessage): Promise<ReplayStep> => {
    wouldAlert = []
    const parsed = parseReplayMessage(message.body, message.attributes)
    let report: MessageReport
    if (parsed.shape === 'unreadable') {
      report = { messageId: message.id, shape: 'unreadable', result: 'unreadable', reason: parsed.reason, roles: [] }
    } else {
      const replayed = await replayMessage(deps, parsed)
      const handled = replayed.handled
      report = {
        messageId: message.id,
        shape: parsed.shape,
        result: handled ? (dryRun ? 'would-replay' : 'replayed') : 'left',
        ...(replayed.eventName ? { eventName: replayed.eventName } : {}),
        ...(replayed.eventId ? { eventId: replayed.eventId } : {}),
        ...('prior' in parsed ? { prior: parsed.prior } : {}),
        roles: replayed.roles,
        ...(replayed.reason ? { reason: replayed.reason } : {}),
        ...(dryRun ? { wouldAlert } : {}),
      }
    }
    if (report.result === 'unreadable') counts.unreadable++
    else if (report.result === 'left') counts.left++
    else counts.replayed++
    const print = (deleted: boolean) => {
      const line = { ...report, deleted }
      io.out(flags.json ? JSON.stringify(line) : messageLine(line))
    }
    return { handled: report.result === 'replayed', report: print }
  }
  const warn = (line: string) => io.err(`mwaa-role-guard replay: ${line}`)
  const done = await drainQueue(queue, replay, { ...loop, max, deleteHandled: !dryRun }, warn)
  const totals = totalsLine({ ...counts, ...done, dryRun, url })
  if (flags.json) io.err(totals)
  else io.out(totals)
  if (deps.state === undefined && !dryRun)
    io.err("memory off (STATE_TABLE unset): replayed without incidents or history, and without the roles' leases")
  return counts.left + counts.unreadable > 0 ? 1 : 0
}

/** --queue: a name the stack outputs (its URL from the environment) or a queue URL. */
function queueUrlOf(value: string, env: Io['env']): string {
  const named = Object.hasOwn(NAMED_QUEUES, value) ? NAMED_QUEUES[value as keyof typeof NAMED_QUEUES] : undefined
  if (named) {
    const url = env[named.variable]?.trim()
    if (!url)
      throw new InputError(
        named.variable,
        '',
        `not set: set it to the stack output ${named.output}, or pass --queue URL`,
      )
    const parsed = queueUrlSchema.safeParse(url)
    if (!parsed.success) throw new InputError(named.variable, '', 'expected an SQS queue URL')
    return url
  }
  if (!queueUrlSchema.safeParse(value).success)
    throw new UsageError(
      `--queue: expected failed-events, reconcile-dlq or an SQS queue URL, not "${value.slice(0, 80)}"`,
    )
  return value
}

function maxOf(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1)
    throw new UsageError(`--max: expected a whole number of messages from 1 to 999999, not "${value}"`)
  return Number(value)
}

/**
 * The queue's region from its URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, or the legacy
 * https://REGION.queue.amazonaws.com/...): requests are signed for it. Another host (a local endpoint): the
 * environment's region.
 */
function regionOf(url: string, env: Io['env']): string {
  const host = new URL(url).hostname
  const match =
    /^sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(host) ??
    /^([a-z]{2}(?:-[a-z]+)+-\d)\.queue\.amazonaws\.com(?:\.cn)?$/.exec(host)
  return match?.[1] ?? regionFromEnv(env)
}
