/**
 * The reconcile worker's batch, grouped by role. Each SQS record carries one role and the CloudTrail event that
 * named it; the event is parsed again here (an edge: a message could have been sent by anyone allowed to), and a
 * record that fails is dropped with its reason (logged, deleted, never retried forever). The records of one role
 * coalesce into one reconcile that knows every event, ordered by event time (not by position: SQS keeps a group's
 * order, but a redelivered batch need not start where the first one did).
 */
import type { SQSRecord } from 'aws-lambda'
import * as z from 'zod'
import { isIgnored, parseEvent, type ParsedEvent } from '../events'
import { toIsoTime } from '../events/cloudtrail-time'

/** A reconcile queue message (lib/aws/reconcile-queue.ts); role: IAM role names (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html) */
export const roleMessageSchema = z.object({
  v: z.literal(1),
  role: z.string().regex(/^[\w+=,.@-]{1,64}$/),
  event: z.unknown(),
})

export type RoleGroup = {
  /** the role name as the first message spelled it */
  role: string
  records: SQSRecord[]
  /** the distinct events (by event id), oldest first */
  events: ParsedEvent[]
}

export type GroupedBatch = { groups: RoleGroup[]; dropped: Array<{ record: SQSRecord; reason: string }> }

/** Groups a batch by role (case-insensitively), dropping the records that are not a valid role message. */
export function groupByRole(records: readonly SQSRecord[]): GroupedBatch {
  const groups = new Map<string, RoleGroup>()
  const dropped: GroupedBatch['dropped'] = []
  for (const record of records) {
    const parsed = parseMessage(record.body)
    if ('reason' in parsed) {
      dropped.push({ record, reason: parsed.reason })
      continue
    }
    const key = parsed.role.toLowerCase()
    const group = groups.get(key) ?? { role: parsed.role, records: [], events: [] }
    group.records.push(record)
    if (!group.events.some((e) => e.eventId !== undefined && e.eventId === parsed.event.eventId))
      group.events.push(parsed.event)
    groups.set(key, group)
  }
  for (const group of groups.values()) group.events.sort((a, b) => timeOf(a) - timeOf(b))
  return { groups: [...groups.values()], dropped }
}

function parseMessage(body: string): { role: string; event: ParsedEvent } | { reason: string } {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return { reason: 'body: not JSON' }
  }
  const message = roleMessageSchema.safeParse(json)
  if (!message.success)
    return { reason: `body.${String(message.error.issues[0]?.path.join('.') || 'v')}: not a role message` }
  const event = parseEvent(message.data.event)
  if (isIgnored(event)) return { reason: `event: ${event.reason}` }
  return { role: message.data.role, event }
}

function timeOf(event: ParsedEvent): number {
  const iso = toIsoTime(event.eventTime)
  return iso === undefined ? 0 : Date.parse(iso)
}
