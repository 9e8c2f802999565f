/**
 * `handle --events FILE.jsonl`: many events in one process (one set of clients and caches), each handled as
 * `handle --event` handles one, in file order, and one compact JSON summary per line on stdout, with the line number
 * it came from. A line that cannot be read (not JSON, too long, too deep) gets a summary saying so; an error while
 * handling one event fails that event only. The file itself must be readable (exit 2 naming it otherwise).
 * The settle window is not waited by default: every event in a file has already happened, so the live state already
 * reflects it (--settle SECONDS waits before each event's reconcile, as `handle --event` does).
 */
import type { Context, EventBridgeEvent } from 'aws-lambda'
import { wireDeps } from '../reconcile/wire'
import { withDedupe } from '../reconcile/wire-chain'
import { stsFor } from '../reconcile/wire-sts'
import { describeError } from '../reconcile/retry-later'
import { MAX_EVENT_BYTES, MAX_EVENTS_FILE_BYTES, megabytes, parseJsonText, readText } from './files'
import type { Io } from './io'

export type EventsFileOptions = {
  path: string
  /** seconds; default 0 */
  settle?: number
  replay: boolean
  dryRun: boolean
}

/** Roles a line's event left for later (the same rule as `handle`'s exit code). */
const NOT_DONE: ReadonlySet<string> = new Set(['failed'])

/** Handles every line; exit 0 when every event was handled, ignored or a duplicate, 1 when a line failed. */
export async function handleEventsFile(options: EventsFileOptions, io: Io, context: () => Context): Promise<number> {
  const text = readText(options.path, { maxBytes: MAX_EVENTS_FILE_BYTES, what: 'an events file' })
  const { createChainHandler } = await import('../lambda/chain')
  const { log } = await import('../lambda/telemetry')
  let wouldAlert: string[] = []
  // The io's environment: the same variables the Lambda reads; a dry run leaves the state table alone (as --event).
  const env = options.dryRun ? { ...io.env, STATE_TABLE: undefined } : io.env
  const sent = (alert: { subject: string }) => void wouldAlert.push(alert.subject)
  const deps = withDedupe(wireDeps(env, { log, dryRun: options.dryRun, sent, sts: stsFor(env) }), env)
  const handler = createChainHandler(() => deps, { settleMs: (options.settle ?? 0) * 1000, replay: options.replay })
  let events = 0
  let failed = 0
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    // A blank line holds no event (a file ending in a newline has one at its end).
    if (line.trim() === '') continue
    events++
    const number = i + 1
    const parsed = checkLine(line)
    if ('problem' in parsed) {
      failed++
      io.out(JSON.stringify({ line: number, status: 'unreadable', reason: parsed.problem, roles: [] }))
      continue
    }
    wouldAlert = []
    try {
      const summary = await handler(parsed.value as EventBridgeEvent<string, unknown>, context())
      if (summary.roles.some((r) => NOT_DONE.has(r.result))) failed++
      io.out(JSON.stringify({ line: number, ...summary, ...(options.dryRun ? { dryRun: true, wouldAlert } : {}) }))
    } catch (error) {
      failed++
      io.out(JSON.stringify({ line: number, status: 'failed', error: describeError(error), roles: [] }))
    }
  }
  if (events === 0) io.err(`${options.path}: no events (an empty file, or only blank lines)`)
  else if (failed > 0)
    io.err(`${failed} of ${events} event(s) not handled (status unreadable or failed, or a role failed)`)
  if (deps.state === undefined && !options.dryRun && events > 0)
    io.err('memory off (STATE_TABLE unset): acted at once, no duplicate detection, no incidents, no history')
  return failed > 0 ? 1 : 0
}

/** One line: within an event's size, JSON, not too deep. */
function checkLine(line: string): { value: unknown } | { problem: string } {
  const bytes = Buffer.byteLength(line, 'utf8')
  if (bytes > MAX_EVENT_BYTES)
    return { problem: `is ${megabytes(bytes)}, more than the ${megabytes(MAX_EVENT_BYTES)} an event may be` }
  const parsed = parseJsonText(line)
  // The line is the file's line: within it, only the column says where.
  return 'problem' in parsed ? { problem: parsed.problem.replace(/ at line 1, column /, ' at column ') } : parsed
}
