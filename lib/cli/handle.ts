/**
 * `handle --event FILE [--settle SECONDS] [--replay] [--dry-run]`: runs the deployed chain in this process (the chain
 * handler of lib/lambda/chain.ts) on an EventBridge event file, with the same environment variables: the event is
 * ingested once per event id (STATE_TABLE), the settle window is waited out as the queue would (SETTLE_SECONDS, or
 * --settle; 0 acts at once), then each role it names is reconciled, coordinating through the state table with any
 * other run. Prints the JSON summary on stdout; logs go to stderr (only warnings and errors unless --verbose).
 * Without STATE_TABLE it acts at once and remembers nothing (the summary says `memory: off`). With --dry-run nothing is
 * written (IAM or the state table) and nothing is published: the summary says what a heal would write (`wouldWrite`)
 * and which alerts would go out (`wouldAlert`). A role that fails is `result: failed` with `retryable` and the error,
 * classified as the reconcile worker classifies it; a permanent failure is alerted as the worker alerts it. Exit 0
 * when handled, ignored or a duplicate; 1 when the event or a role failed for good (AccessDenied, a quota, a refused
 * heal: trying again fails the same way); 75 (EX_TEMPFAIL) when what failed was retryable only (throttled, a 5xx, a
 * stale read, the role busy): run it again later with --replay.
 * `--events FILE.jsonl` handles a file of events, one per line, in one process (lib/cli/events-file.ts).
 */
import { describeError } from '../reconcile/retry-later'
import type { EventSummary } from '../reconcile/types'
import { UsageError, parseFlags, required } from './args'
import { MAX_EVENT_BYTES, readJson } from './files'
import type { Io } from './io'
import { errorOutcome, exitCodeOf, localChain, summaryOutcome } from './local-chain'

/** The CLI command. */
export async function handleCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, {
    event: { type: 'string' },
    verbose: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    settle: { type: 'string' },
    replay: { type: 'boolean' },
    events: { type: 'string' },
  })
  if (flags.events !== undefined) return handleEvents(flags, io)
  const settle = flags.settle === undefined ? undefined : settleSeconds(flags.settle)
  const event = readJson(required(flags.event, 'event'), { maxBytes: MAX_EVENT_BYTES, what: 'an event' })
  const dryRun = flags['dry-run'] === true
  routeLogsToStderr(io, flags.verbose === true)
  const chain = await localChain(io, {
    dryRun,
    replay: flags.replay === true,
    ...(settle !== undefined ? { settleMs: settle * 1000 } : {}),
  })
  let summary: EventSummary
  try {
    summary = await chain.handle(event)
  } catch (error) {
    // The event itself failed (the ingest: the state table, the queue, a preflight): what the ingest Lambda retries.
    const outcome = errorOutcome(error)
    io.err(
      `mwaa-role-guard handle: failed${outcome === 'retryable' ? ' (retryable: run it again later with --replay)' : ''}: ${describeError(error)}`,
    )
    return exitCodeOf([outcome])
  }
  // The AWS calls this run made and the attempts answered with throttling (the Lambdas' aws_calls, aws_throttled).
  const { deps } = chain
  const calls = { calls: deps.counter?.totals.calls ?? 0, throttled: deps.counter?.totals.throttled ?? 0 }
  const wouldAlert = chain.takeWouldAlert()
  io.out(
    JSON.stringify(dryRun ? { ...summary, dryRun: true, wouldAlert, ...calls } : { ...summary, ...calls }, null, 2),
  )
  if (summary.status === 'ignored') io.err(`event ignored: ${summary.reason ?? 'not watched'}`)
  if (summary.status === 'duplicate') io.err('duplicate event: handled before (re-run it with --replay)')
  if (summary.memory === 'off' && !dryRun)
    io.err('memory off (STATE_TABLE unset): acted at once, no duplicate detection, no incidents, no history')
  return exitCodeOf([summaryOutcome(summary)])
}

/** `--events FILE.jsonl` (lib/cli/events-file.ts): exclusive with --event. */
async function handleEvents(
  flags: { events?: string; event?: string; settle?: string } & Record<string, unknown>,
  io: Io,
) {
  if (flags.event !== undefined)
    throw new UsageError('--event and --events are exclusive: one event file, or a JSON Lines file of events')
  const options = {
    path: required(flags.events, 'events'),
    ...(flags.settle === undefined ? {} : { settle: settleSeconds(flags.settle) }),
    replay: flags.replay === true,
    dryRun: flags['dry-run'] === true,
  }
  routeLogsToStderr(io, flags.verbose === true)
  const { handleEventsFile } = await import('./events-file')
  return handleEventsFile(options, io)
}

/** --settle: whole seconds, 0 to 900 (the queue's DelaySeconds range). */
function settleSeconds(value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) > 900)
    throw new UsageError(`--settle: expected whole seconds from 0 to 900, not "${value}"`)
  return Number(value)
}

/**
 * Powertools writes through its own stdout Console unless POWERTOOLS_DEV is set; with it, it uses the global console,
 * which we point at stderr so stdout carries only the summary. Set before the handler module is first imported.
 */
export function routeLogsToStderr(io: Io, verbose: boolean): void {
  process.env.POWERTOOLS_DEV = 'true'
  process.env.POWERTOOLS_LOG_LEVEL ??= verbose ? 'DEBUG' : 'WARN'
  if (!verbose) process.env.POWERTOOLS_METRICS_DISABLED ??= 'true'
  process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'MwaaRoleGuard'
  const toErr = (...args: unknown[]) => io.err(args.map(String).join(' '))
  console.log = toErr
  console.info = toErr
  console.debug = toErr
}
