/**
 * `handle --events FILE.jsonl`: many events in one process (one set of clients and caches), each handled as
 * `handle --event` handles one, in file order, and one compact JSON summary per line on stdout, with the line number
 * it came from. A line that cannot be read (not JSON, too long, too deep) gets a summary saying so; an error while
 * handling one event fails that event only. The file itself must be readable (exit 2 naming it otherwise).
 * The settle window is not waited by default: every event in a file has already happened, so the live state already
 * reflects it (--settle SECONDS waits before each event's reconcile, as `handle --event` does).
 */
import { describeError } from '../reconcile/retry-later'
import { MAX_EVENT_BYTES, MAX_EVENTS_FILE_BYTES, megabytes, parseJsonText, readText } from './files'
import type { Io } from './io'
import { type EventOutcome, errorOutcome, exitCodeOf, localChain, summaryOutcome } from './local-chain'

export type EventsFileOptions = {
  path: string
  /** seconds; default 0 */
  settle?: number
  replay: boolean
  dryRun: boolean
}

/**
 * Handles every line; exit 0 when every event was handled, ignored or a duplicate, 1 when a line failed for good
 * (unreadable, or a role or the event failed permanently), 75 when what failed was retryable only (as `handle`).
 */
export async function handleEventsFile(options: EventsFileOptions, io: Io): Promise<number> {
  const text = readText(options.path, { maxBytes: MAX_EVENTS_FILE_BYTES, what: 'an events file' })
  const chain = await localChain(io, {
    dryRun: options.dryRun,
    replay: options.replay,
    settleMs: (options.settle ?? 0) * 1000,
  })
  let events = 0
  const outcomes: EventOutcome[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    // A blank line holds no event (a file ending in a newline has one at its end).
    if (line.trim() === '') continue
    events++
    const number = i + 1
    const parsed = checkLine(line)
    if ('problem' in parsed) {
      outcomes.push('permanent')
      io.out(JSON.stringify({ line: number, status: 'unreadable', reason: parsed.problem, roles: [] }))
      continue
    }
    chain.takeWouldAlert() // a line's dry-run alerts are its own
    try {
      const summary = await chain.handle(parsed.value)
      const wouldAlert = chain.takeWouldAlert()
      outcomes.push(summaryOutcome(summary))
      io.out(JSON.stringify({ line: number, ...summary, ...(options.dryRun ? { dryRun: true, wouldAlert } : {}) }))
    } catch (error) {
      const outcome = errorOutcome(error)
      outcomes.push(outcome)
      const retryable = outcome === 'retryable'
      io.out(JSON.stringify({ line: number, status: 'failed', retryable, error: describeError(error), roles: [] }))
    }
  }
  if (events === 0) io.err(`${options.path}: no events (an empty file, or only blank lines)`)
  const failed = outcomes.filter((o) => o !== 'done').length
  if (failed > 0) io.err(`${failed} of ${events} event(s) not handled (status unreadable or failed, or a role failed)`)
  if (chain.deps.state === undefined && !options.dryRun && events > 0)
    io.err('memory off (STATE_TABLE unset): acted at once, no duplicate detection, no incidents, no history')
  return exitCodeOf(outcomes)
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
