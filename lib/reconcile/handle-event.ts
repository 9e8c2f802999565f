/**
 * The whole chain in one process, for `mwaa-role-guard handle` and the tests that need no queue: the event is ingested
 * (each event id once, through the state table), the settle window is waited out as the queue's delay would, then
 * every role it named is reconciled. Two such processes for one role coordinate through the role's lease in the state
 * table, as two invocations do. Without a state table (STATE_TABLE unset) it acts at once and remembers nothing, and
 * says so in its summary. A role whose reconcile throws is classified as the worker classifies it (role-failure.ts):
 * `failed` with `retryable`; a permanent failure is alerted as the worker alerts it, a retryable one is left to the
 * person who ran it (the CLI's exit code says "try again later"), as this process has no queue to retry it.
 */
import type { Context } from 'aws-lambda'
import { changeOf, isIgnored, parseEvent } from '../events'
import { startRun } from './extras'
import { ingestEvent, type RoleMessageInput, screenEvent } from './ingest'
import { settleFailure } from './role-failure'
import type { Deps, EventSummary, RoleResult } from './types'
import { reconcileWork } from './work'

export type ChainOptions = {
  /** the settle window in ms (default: SETTLE_SECONDS; 0 acts at once) */
  settleMs?: number
  /** handle the event even if its id was handled before (a re-run after a failure) */
  replay?: boolean
  context?: Context
}

/** Ingests the event, waits the settle window, reconciles its roles; returns one summary. */
export async function handleEvent(raw: unknown, deps: Deps, options: ChainOptions = {}): Promise<EventSummary> {
  let messages: RoleMessageInput[] = []
  const ingest = async (event: unknown) => {
    const ingested = await ingestEvent(event, deps)
    messages = ingested.messages
    return ingested.summary
  }
  let summary: EventSummary
  // A bad, foreign or own event is dropped before anything is recorded: it costs no DynamoDB call.
  const screened = await screenEvent(raw, deps)
  if ('ignored' in screened) return { ...screened.ignored, ...(deps.state ? {} : { memory: 'off' as const }) }
  if (deps.dedupe && !options.replay) {
    const once = await deps.dedupe(ingest)(raw, options.context ?? localContext())
    if (once.kind === 'duplicate') {
      deps.log.info('duplicate event: handled before (or being handled); nothing done', { eventId: eventIdOf(raw) })
      return { status: 'duplicate', ...(once.result?.eventId ? { eventId: once.result.eventId } : {}), roles: [] }
    }
    summary = once.result
  } else summary = await ingest(raw)
  const memory = deps.state ? {} : { memory: 'off' as const }
  if (messages.length === 0) return { ...summary, ...memory }
  const settleMs = deps.state ? (options.settleMs ?? deps.config.settleSeconds * 1000) : 0
  if (settleMs > 0) {
    deps.log.info(`waiting ${settleMs / 1000} s for the role(s) to settle`, { roles: messages.map((m) => m.role) })
    await deps.sleep(settleMs)
  }
  const run = await startRun(deps)
  const roles: RoleResult[] = [...summary.roles]
  for (const message of messages) {
    const event = parseEvent(message.event)
    if (isIgnored(event)) continue
    try {
      roles.push(await reconcileWork(deps, run, { role: message.role, events: [event] }))
    } catch (error) {
      const settled = await settleFailure(deps, {
        role: message.role,
        error,
        tries: 1,
        onRetryable: 'return',
        change: changeOf(event),
      })
      roles.push(settled.result)
    }
  }
  return {
    ...summary,
    roles,
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
    ...memory,
  }
}

function eventIdOf(raw: unknown): string | undefined {
  const detail = (raw as { detail?: { eventID?: unknown } } | null)?.detail
  return typeof detail?.eventID === 'string' ? detail.eventID : undefined
}

/** Powertools idempotency reads the remaining time to expire an in-progress record if the run dies. */
function localContext(): Context {
  return { getRemainingTimeInMillis: () => 300_000, functionName: 'mwaa-role-guard-local' } as unknown as Context
}
