/** What `replay` prints: one line (or JSON object) per message, then the totals. */
import { plainValue } from '../alerts/plain-value'
import type { PriorFailure } from '../reconcile/replay-message'
import type { RoleResult } from '../reconcile/types'

export type MessageReport = {
  messageId: string
  shape: 'lambda-failure' | 'rule-dead-letter' | 'role-message' | 'event' | 'unreadable'
  /** replayed: handled and deleted; would-replay: --dry-run, handled; left: in the queue, with the reason */
  result: 'replayed' | 'would-replay' | 'left' | 'unreadable'
  eventName?: string
  eventId?: string
  /** why the event failed before, as the sender recorded it */
  prior?: PriorFailure
  roles: RoleResult[]
  reason?: string
  /** --dry-run: the alerts that would go out */
  wouldAlert?: string[]
}

const SHAPES: Record<MessageReport['shape'], string> = {
  'lambda-failure': 'Lambda failure record',
  'rule-dead-letter': 'EventBridge dead letter',
  'role-message': 'reconcile message',
  event: 'event',
  unreadable: 'message',
}

/** One line for a terminal; every value from the message is made one plain line. */
export function messageLine(report: MessageReport & { deleted: boolean }): string {
  const verdict =
    report.result === 'replayed'
      ? report.deleted
        ? 'replayed, deleted'
        : 'replayed, NOT deleted'
      : report.result === 'would-replay'
        ? 'would replay'
        : report.result === 'unreadable'
          ? 'unreadable, left in the queue'
          : 'left in the queue'
  const event = [report.eventName, report.eventId].filter(Boolean).join(' ')
  const prior = report.prior
    ? [
        report.prior.condition,
        report.prior.attempts !== undefined ? `${report.prior.attempts} attempt(s)` : undefined,
        report.prior.error,
      ].filter(Boolean)
    : []
  const what = `${SHAPES[report.shape]} ${report.messageId}${event ? ` (${event})` : ''}${prior.length ? ` [${prior.join('; ')}]` : ''}`
  const roles = report.roles.map(roleText).join(', ')
  // A role's own error is already in its text: the reason would say it twice.
  const reason = report.roles.some((r) => r.error && report.reason?.includes(r.error)) ? undefined : report.reason
  const details = [roles, reason, report.wouldAlert?.length ? `would alert: ${report.wouldAlert.join(' | ')}` : '']
  return plainValue(
    `${verdict}: ${what}${details.some(Boolean) ? ` -> ${details.filter(Boolean).join('; ')}` : ''}`,
    2000,
  )
}

function roleText(r: RoleResult): string {
  const extra = r.error
    ? ` (${r.error})`
    : r.wouldWrite?.length
      ? ` (would write: ${r.wouldWrite.join(', ')})`
      : r.writes.length
        ? ` (${r.writes.join(', ')})`
        : ''
  return `${r.role} ${r.result}${extra}`
}

/** The last line: how many messages, what became of them, and whether the queue may hold more. */
export function totalsLine(t: {
  received: number
  replayed: number
  left: number
  unreadable: number
  deleted: number
  stoppedAtMax: boolean
  dryRun: boolean
  url: string
}): string {
  const queue = plainValue(t.url, 300)
  if (t.received === 0) return `replay: no message waiting in ${queue}`
  const more = t.stoppedAtMax ? '; stopped at --max, the queue may hold more' : ''
  if (t.dryRun)
    return `replay --dry-run: ${t.received} message(s) in ${queue}: ${t.replayed} would be replayed, ${t.left} would be left, ${t.unreadable} unreadable; nothing deleted, written or published${more}`
  return `replay: ${t.received} message(s) in ${queue}: ${t.replayed} replayed (${t.deleted} deleted), ${t.left} left in the queue, ${t.unreadable} unreadable${more}`
}
