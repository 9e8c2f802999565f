/**
 * Replays one message of a failed-work queue (`mwaa-role-guard replay`). An event (from a Lambda failure record, an
 * EventBridge dead letter, or sent back by hand) runs the whole chain again as `handle --replay` does: its id was
 * seen before, so the duplicate check is bypassed, and it acts at once (the settle window is long over). A reconcile
 * message already went through the ingest (its preflight and mode-tag alerts were sent): only its role is reconciled
 * for its event, as the reconcile worker would, after the event passes the same origin checks as at the ingest.
 * Level-triggered either way: the live state decides what is written, never the message.
 */
import { handleEvent } from './handle-event'
import { screenEvent } from './ingest'
import { startRun } from './extras'
import type { ReplayMessage } from './replay-message'
import { describeError } from './retry-later'
import type { Deps, EventSummary, RoleResult } from './types'
import { reconcileWork } from './work'

export type Replayed = {
  /** true when the message may be deleted: the event was handled and every role it named was reconciled */
  handled: boolean
  eventName?: string
  eventId?: string
  roles: RoleResult[]
  /** why it was not handled (the first role that was not, the error, or why the event is ignored) */
  reason?: string
}

/**
 * Results that leave a role for later: it failed, another run holds it, or its heal waits out a back-off. Every other
 * result is an outcome (healthy, reported, healed, contested, ...), told to whoever it concerns.
 */
const NOT_DONE: ReadonlySet<RoleResult['result']> = new Set(['failed', 'busy', 'deferred'])

/** Handles one readable message; never throws (an error is a result that is not handled). */
export async function replayMessage(deps: Deps, message: ReplayMessage): Promise<Replayed> {
  try {
    if (message.shape === 'role-message') return await replayRole(deps, message.role, message.event)
    return outcomeOf(await handleEvent(message.event, deps, { replay: true, settleMs: 0 }))
  } catch (error) {
    return { handled: false, roles: [], reason: describeError(error), ...idsOf(message.event) }
  }
}

async function replayRole(deps: Deps, role: string, raw: unknown): Promise<Replayed> {
  const screened = await screenEvent(raw, deps)
  if ('ignored' in screened) return outcomeOf(screened.ignored)
  const { event } = screened
  const ids = { eventName: event.name, ...(event.eventId ? { eventId: event.eventId } : {}) }
  try {
    const result = await reconcileWork(deps, await startRun(deps), { role, events: [event] })
    return { ...judge([result]), ...ids }
  } catch (error) {
    return { handled: false, roles: [], reason: `${role}: ${describeError(error)}`, ...ids }
  }
}

function outcomeOf(summary: EventSummary): Replayed {
  const ids = {
    ...(summary.eventName ? { eventName: summary.eventName } : {}),
    ...(summary.eventId ? { eventId: summary.eventId } : {}),
  }
  if (summary.status !== 'handled')
    return {
      handled: false,
      roles: summary.roles,
      reason: `event ${summary.status}: ${summary.reason ?? ''}`.trim(),
      ...ids,
    }
  return { ...judge(summary.roles), ...ids }
}

function judge(roles: RoleResult[]): Pick<Replayed, 'handled' | 'roles' | 'reason'> {
  const left = roles.find((r) => NOT_DONE.has(r.result))
  if (!left) return { handled: true, roles }
  const why = left.error ?? (left.deferredUntil ? `heal deferred until ${left.deferredUntil}` : undefined)
  return { handled: false, roles, reason: `${left.role}: ${left.result}${why ? ` (${why})` : ''}` }
}

/** The event's name and id as it states them, for the report of a message whose handling threw. */
function idsOf(raw: unknown): Pick<Replayed, 'eventName' | 'eventId'> {
  const detail = (raw as { detail?: { eventName?: unknown; eventID?: unknown } } | null)?.detail
  const text = (v: unknown) => (typeof v === 'string' && /^[\w:.-]{1,128}$/.test(v) ? v : undefined)
  const eventName = text(detail?.eventName)
  const eventId = text(detail?.eventID)
  return { ...(eventName ? { eventName } : {}), ...(eventId ? { eventId } : {}) }
}
