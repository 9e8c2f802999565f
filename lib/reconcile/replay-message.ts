/**
 * What a message of a failed-work queue holds, checked before anything is replayed. Three senders, three shapes:
 * - Lambda's on-failure destination (the ingest function): an invocation record, the event in `requestPayload`
 *   beside `requestContext` (`condition`: RetriesExhausted, EventAgeExceeded, ...) and `responsePayload` (the error)
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html);
 * - an EventBridge rule's dead-letter queue: the event itself as the body, with the message attributes RULE_ARN,
 *   TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION and RETRY_ATTEMPTS
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html);
 * - the reconcile queue's redrive to its dead-letter queue: our own role message `{"v":1,"role":...,"event":{...}}`
 *   (lib/aws/reconcile-queue.ts), moved unchanged
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 * Anything else is unreadable, with the field that says so; the event inside is parsed later, by the chain.
 */
import * as z from 'zod'
import { plainValue } from '../alerts/plain-value'
import { formatPath } from '../input-error'
import { tooDeepAt } from '../json-depth'
import { MAX_EVENT_DEPTH } from '../events/parse-event'
import { roleMessageSchema } from './role-messages'

/** Why an event failed before, as the queue's sender recorded it (shown to the operator, never acted on). */
export type PriorFailure = {
  /** Lambda's `requestContext.condition`, or EventBridge's ERROR_CODE */
  condition?: string
  /** Lambda's `responsePayload` error, or EventBridge's ERROR_MESSAGE */
  error?: string
  /** Lambda's `approximateInvokeCount`, or EventBridge's RETRY_ATTEMPTS */
  attempts?: number
}

export type ReplayMessage =
  | { shape: 'lambda-failure'; event: unknown; prior: PriorFailure }
  | { shape: 'rule-dead-letter'; event: unknown; prior: PriorFailure }
  | { shape: 'role-message'; role: string; event: unknown }
  /** an EventBridge event with no dead-letter attributes (sent back to the queue by hand) */
  | { shape: 'event'; event: unknown }

export type Unreadable = { shape: 'unreadable'; reason: string }

/** Only what replay reads: the invocation's condition and count, the payload, the error. */
const lambdaRecordSchema = z.object({
  requestContext: z.object({
    condition: z.string().optional(),
    approximateInvokeCount: z.number().int().nonnegative().optional(),
  }),
  // present: z.unknown() alone would take a missing key
  requestPayload: z.unknown().refine((v) => v !== undefined),
  responsePayload: z.unknown().optional(),
})

/** An EventBridge event, as far as telling it from the other shapes needs; parseEvent checks the rest. */
const eventSchema = z.object({ 'detail-type': z.string(), source: z.string(), detail: z.object({}).loose() }).loose()

/** The EventBridge dead-letter attributes that tell its messages apart. */
const RULE_DLQ_ATTRIBUTES = ['ERROR_CODE', 'RULE_ARN'] as const

/** Classifies a received message by its body and attributes; never throws. */
export function parseReplayMessage(
  body: string,
  attributes: Readonly<Record<string, string>>,
): ReplayMessage | Unreadable {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return unreadable(body.trim() === '' ? 'body: empty' : 'body: not JSON')
  }
  // The event is one level down in a Lambda record and a role message: the event's own limit, plus those levels.
  const deep = tooDeepAt(json, MAX_EVENT_DEPTH + 2)
  if (deep) return unreadable(`${fieldOf('body', deep.slice(0, 6))}: nested deeper than any event is`)
  if (RULE_DLQ_ATTRIBUTES.some((name) => name in attributes)) {
    const event = eventSchema.safeParse(json)
    if (!event.success)
      return unreadable(`${fieldOf('body', event.error.issues[0]?.path)}: an EventBridge dead letter holds an event`)
    return { shape: 'rule-dead-letter', event: json, prior: ruleFailure(attributes) }
  }
  if (!isObject(json)) return unreadable('body: not a JSON object')
  if ('requestContext' in json || 'requestPayload' in json) {
    const record = lambdaRecordSchema.safeParse(json)
    if (!record.success)
      return unreadable(`${fieldOf('body', record.error.issues[0]?.path)}: not a Lambda invocation record`)
    const event = eventSchema.safeParse(record.data.requestPayload)
    if (!event.success)
      return unreadable(`${fieldOf('body.requestPayload', event.error.issues[0]?.path)}: not an EventBridge event`)
    const { condition, approximateInvokeCount } = record.data.requestContext
    const error = errorOf(record.data.responsePayload)
    return {
      shape: 'lambda-failure',
      event: record.data.requestPayload,
      prior: {
        ...(condition ? { condition: plainValue(condition, 64) } : {}),
        ...(error ? { error } : {}),
        ...(approximateInvokeCount !== undefined ? { attempts: approximateInvokeCount } : {}),
      },
    }
  }
  if ('v' in json || 'role' in json) {
    const message = roleMessageSchema.safeParse(json)
    if (!message.success)
      return unreadable(`${fieldOf('body', message.error.issues[0]?.path)}: not a reconcile message`)
    const event = eventSchema.safeParse(message.data.event)
    if (!event.success)
      return unreadable(`${fieldOf('body.event', event.error.issues[0]?.path)}: not an EventBridge event`)
    return { shape: 'role-message', role: message.data.role, event: message.data.event }
  }
  if (eventSchema.safeParse(json).success) return { shape: 'event', event: json }
  return unreadable('body: neither a Lambda failure record, an EventBridge event nor a reconcile message')
}

function ruleFailure(attributes: Readonly<Record<string, string>>): PriorFailure {
  const attempts = Number(attributes.RETRY_ATTEMPTS)
  const condition = attributes.ERROR_CODE
  const error = attributes.ERROR_MESSAGE
  return {
    ...(condition ? { condition: plainValue(condition, 64) } : {}),
    ...(error ? { error: plainValue(error, 200) } : {}),
    ...(attributes.RETRY_ATTEMPTS !== undefined && Number.isSafeInteger(attempts) && attempts >= 0 ? { attempts } : {}),
  }
}

/** A Lambda error payload: `{ errorType, errorMessage, trace }` (or a string), as one short line. */
function errorOf(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload.trim() ? plainValue(payload, 200) : undefined
  if (!isObject(payload)) return undefined
  const type = typeof payload.errorType === 'string' ? payload.errorType : ''
  const message = typeof payload.errorMessage === 'string' ? payload.errorMessage : ''
  const text = [type, message].filter(Boolean).join(': ')
  return text ? plainValue(text, 200) : undefined
}

/** `body.requestContext.condition`, `body.detail`, `body[0]`: where in the message a problem is. */
function fieldOf(prefix: string, path: ReadonlyArray<PropertyKey> | undefined): string {
  if (!path || path.length === 0) return prefix
  const rest = formatPath(path)
  return typeof path[0] === 'number' ? `${prefix}${rest}` : `${prefix}.${rest}`
}

/** Keys in a path come from the message: one plain line, cut short. */
function unreadable(reason: string): Unreadable {
  return { shape: 'unreadable', reason: plainValue(reason, 300) }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
