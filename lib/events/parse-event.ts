/**
 * Turns an EventBridge event into a typed, checked ParsedEvent, or says in one line why it is ignored.
 * Never throws: a bad event is logged and dropped by the shell, never retried forever.
 */
import { formatPath } from '../input-error'
import { tooDeepAt } from '../json-depth'
import { envelopeSchema, type RequestOf, requestSchemas } from './cloudtrail-schema'
import { WATCHED_SOURCES, type WatchedEventName, type WatchedSource } from './event-names'

export type Ignored = { ignored: true; reason: string }

/** Who made the call, as CloudTrail's userIdentity tells it. */
export type Identity = {
  type: string
  arn?: string
  accountId?: string
  /** the role behind an AssumedRole session (sessionContext.sessionIssuer.arn, with the role's path) */
  sessionIssuerArn?: string
  /** set when an AWS service made the call for the principal (e.g. cloudformation.amazonaws.com) */
  invokedBy?: string
  mfaAuthenticated?: boolean
  sessionCredentialFromConsole?: boolean
}

type Common = {
  source: WatchedSource
  /** the account whose role or environment changed */
  account: string
  /** the account fields as the event states them, for the origin check (originProblem) */
  accounts: { envelope?: string; recipient?: string }
  /** where the call was made: us-east-1 for IAM, the environment's region for MWAA */
  region: string
  /** CloudTrail eventID, else the EventBridge event id */
  eventId?: string
  /** eventTime as recorded (see toIsoTime) */
  eventTime: string
  identity: Identity
  sourceIp?: string
  userAgent?: string
}

/** A watched, successful call with its request parameters checked; `name` discriminates `request`. */
export type ParsedEvent = { [N in WatchedEventName]: Common & { name: N; request: RequestOf<N> } }[WatchedEventName]

export const DETAIL_TYPE = 'AWS API Call via CloudTrail'

/**
 * No record of a watched call nests deeper than a few levels (envelope > detail > requestParameters >
 * LoggingConfiguration > DagProcessingLogs is the deepest): the APIs' request shapes are fixed and policy documents
 * arrive as JSON text, so a caller cannot make CloudTrail nest deeper. A deeper event is malformed or forged.
 */
export const MAX_EVENT_DEPTH = 32

/** Checks the fields the code reads; returns the parsed event or `{ ignored, reason }` naming the field. */
export function parseEvent(raw: unknown): ParsedEvent | Ignored {
  if (isObject(raw) && !('detail-type' in raw) && 'eventName' in raw) {
    return ignore(
      `detail-type: missing; this looks like a bare CloudTrail record, wrap it as the detail of an '${DETAIL_TYPE}' event`,
    )
  }
  const deep = tooDeepAt(raw, MAX_EVENT_DEPTH)
  if (deep)
    return ignore(`${describePath(deep)}: nested deeper than ${MAX_EVENT_DEPTH} levels, which no CloudTrail record is`)
  const parsed = envelopeSchema.safeParse(raw)
  if (!parsed.success) return ignore(describeIssue(parsed.error.issues, ''))
  const event = parsed.data
  const { detail } = event
  if (event['detail-type'] !== DETAIL_TYPE) {
    return ignore(`detail-type: ${quote(event['detail-type'])} is not '${DETAIL_TYPE}'`)
  }
  const watched = Object.hasOwn(WATCHED_SOURCES, event.source)
    ? WATCHED_SOURCES[event.source as WatchedSource]
    : undefined
  if (!watched)
    return ignore(
      `source: ${quote(event.source)} is not watched (expected ${Object.keys(WATCHED_SOURCES).join(' or ')})`,
    )
  if (detail.eventSource !== watched.eventSource) {
    return ignore(`detail.eventSource: ${quote(detail.eventSource)} does not belong to source ${quote(event.source)}`)
  }
  const name = watched.names.find((n) => n === detail.eventName)
  if (!name) return ignore(`detail.eventName: ${quote(detail.eventName)} is not a watched ${event.source} call`)
  // CloudTrail writes errorCode only for a call that failed, which changed nothing
  // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
  // An empty one (or null, or not a string) says neither success nor failure: a malformed record, never a success.
  if (detail.errorCode !== undefined) {
    const code = detail.errorCode
    if (typeof code === 'string' && code.trim() !== '')
      return ignore(`detail.errorCode: ${quote(code)}: the ${name} call failed and changed nothing`)
    return ignore(
      `detail.errorCode: ${describeValue(code)}: CloudTrail writes errorCode only for a failed call, with the error's name; this record is malformed`,
    )
  }

  const request = requestSchemas[name].safeParse(detail.requestParameters ?? {})
  if (!request.success) return ignore(describeIssue(request.error.issues, 'detail.requestParameters'))
  const account = detail.recipientAccountId ?? event.account ?? detail.userIdentity.accountId
  if (!account) return ignore('detail.recipientAccountId: missing, and the event has no account either')

  const { userIdentity: u } = detail
  return {
    name,
    request: request.data,
    source: event.source as WatchedSource,
    account,
    accounts: { envelope: event.account, recipient: detail.recipientAccountId },
    region: detail.awsRegion,
    eventId: detail.eventID ?? event.id,
    eventTime: detail.eventTime,
    identity: {
      type: u.type,
      arn: u.arn,
      accountId: u.accountId,
      sessionIssuerArn: u.sessionContext?.sessionIssuer?.arn,
      invokedBy: u.invokedBy,
      mfaAuthenticated: u.sessionContext?.attributes?.mfaAuthenticated,
      sessionCredentialFromConsole: detail.sessionCredentialFromConsole,
    },
    sourceIp: detail.sourceIPAddress,
    userAgent: detail.userAgent,
  } as ParsedEvent
}

/** True for the `{ ignored: true }` outcome of parseEvent. */
export function isIgnored(value: object): value is Ignored {
  return 'ignored' in value && value.ignored === true
}

/** Event values in a reason: escaped onto one line and cut short, since reasons end up in logs. */
function quote(value: string): string {
  const text = JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}...` : value).slice(1, -1)
  return `'${text}'`
}

/** A non-string event value in a reason: its type, or the quoted string. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.trim() === '' ? `empty (${quote(value)})` : quote(value)
  if (value === null) return 'null'
  return Array.isArray(value)
    ? 'an array'
    : typeof value === 'object'
      ? 'an object'
      : `${typeof value} ${String(value)}`
}

/** A path of event keys for a reason: the first few, odd keys cut short (keys are event contents too). */
function describePath(path: ReadonlyArray<string | number>): string {
  const keys = path.slice(0, 4).map((k) => (typeof k === 'number' || /^[\w-]{1,40}$/.test(k) ? k : quote(k)))
  return `${formatPath(keys)}${path.length > 4 ? '...' : ''}`
}

function ignore(reason: string): Ignored {
  return { ignored: true, reason }
}

function describeIssue(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, prefix: string): string {
  const issue = issues[0]
  if (!issue) return `${prefix || '(top level)'}: invalid`
  const path = issue.path.length ? formatPath(issue.path) : ''
  const field = [prefix, path].filter(Boolean).join('.') || '(top level)'
  const problem = /received undefined$/.test(issue.message) ? 'missing' : issue.message
  return `${field}: ${problem}`.replace(/\s+/g, ' ')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
