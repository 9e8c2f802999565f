/** What an alert is composed from, and what it composes to: plain data, no SDK types. */
import type { DriftReport } from '../drift/findings'
import type { HealPlan, HealWrite } from '../drift/plan-heal'
import type { Change } from '../events/change'

export const AlertKind = {
  /** a role an environment uses lost something it needs */
  drift: 'drift',
  /** an MWAA CreateEnvironment/UpdateEnvironment names a role that falls short: the call fails 20–30 minutes later */
  preflight: 'preflight',
  /** a role an environment still uses was deleted: nothing to heal */
  roleDeleted: 'role-deleted',
  /** an environment's data (GetEnvironment, or a Create/UpdateEnvironment request) failed validation: never used */
  environmentRefused: 'environment-refused',
  /** the mode tag of a watched role changed: it decides what the guard may write */
  modeChange: 'mode-change',
  /** an open incident is over: the role grants everything again (who or what fixed it in `resolvedBy`) */
  resolved: 'resolved',
  /** heals keep being undone: healing is stopped for the role until the fight is over */
  contested: 'contested',
  /** the role could not be checked: a permanent error, or retryable errors until the retries ran out (`failure`) */
  reconcileFailed: 'reconcile-failed',
} as const
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind]

/**
 * What the guard did. `critical` is what the shell reports for a deleted role (nothing was attempted), `refused` for
 * refused environment data (nothing derived from it), `noted` for a mode change (nothing to do but tell), `resolved`
 * for an incident that is over, `contested` when healing stopped because heals keep being undone.
 */
export type AlertOutcome =
  | 'reported'
  | 'healed'
  | 'partially-healed'
  | 'blocked'
  | 'failed'
  | 'critical'
  | 'refused'
  | 'noted'
  | 'resolved'
  | 'contested'

/** One environment value refused by validation (lib/baseline/validate-environment). */
export type RefusedValue = { environment: string; field: string; value: string; why: string }

/** Where the incident a notice is about stands (SNS attribute `incident_state`). */
export type IncidentNoticeState = 'open' | 'changed' | 'reminder' | 'contested' | 'resolved'

export const Severity = { critical: 'critical', high: 'high', medium: 'medium', info: 'info' } as const
export type Severity = (typeof Severity)[keyof typeof Severity]

export type BlockedFinding = HealPlan['blocked'][number]

export type AlertInput = {
  kind: AlertKind
  role: { arn: string; name: string }
  environments: ReadonlyArray<{ name: string; region: string }>
  /** the role's mode; `off` never alerts, and is worded like `alert` if it does */
  mode: 'heal' | 'alert' | 'off'
  /** who did what (changeOf); absent when no event triggered the check */
  change?: Change
  report: DriftReport
  outcome: AlertOutcome
  /** writes the heal made; for `failed`, the ones that completed before the failure */
  writes: readonly HealWrite[]
  /** alert mode: the writes a heal would make */
  proposed?: readonly HealWrite[]
  /** findings no heal fixes, each with the reason */
  blocked: readonly BlockedFinding[]
  /** `failed`: why the heal failed */
  error?: string
  /** when the role was evaluated (ISO-8601 UTC), from the caller's clock */
  at?: string
  /** the tag that opts a role into healing; default `mwaa-role-guard:mode` */
  modeTagKey?: string
  /** `environment-refused`: the values refused */
  refusals?: readonly RefusedValue[]
  /**
   * `mode-change`: the mode before the change, when known. CloudTrail does not record it, so it stays unset until a
   * store remembers each role's last mode (the state table of a later version fills it).
   */
  previousMode?: 'heal' | 'alert' | 'off'
  /** the incident(s) the notice is about: subscribers thread on the id and filter on the state */
  incident?: { ids: readonly string[]; state: IncidentNoticeState; openedAt?: string }
  /** what changed since the role was last known good, one line per statement or policy (shown, never written back) */
  changes?: readonly string[]
  /** other changes that were coalesced into this check (the settle window), after `change` */
  moreChanges?: readonly Change[]
  /** kind contested: whose changes undid the heals, what they keep removing, how many heals in what window */
  contest?: { actors: readonly string[]; removing: readonly string[]; heals: number; windowMinutes: number }
  /** kind resolved: who or what fixed it */
  resolvedBy?: string
  /** kind resolved: what was resolved (absent: the role's drift; `refusal`: refused environment data) */
  about?: 'refusal'
  /** the notice of a heal whose own run stopped before sending it, sent by a later run */
  recovered?: boolean
  /** kind reconcile-failed: the error, whether it was retryable (then the tries ran out), and how many tries */
  failure?: { error: string; retryable: boolean; tries: number }
}

/** An SNS message attribute (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html). */
export type SnsAttribute = { DataType: 'String'; StringValue: string }
export type AlertAttributes = Record<
  'severity' | 'environment' | 'outcome' | 'mode' | 'kind' | 'incident' | 'incident_state',
  SnsAttribute
>

export type PlainText = { type: 'plain_text'; text: string; emoji?: boolean }
export type MrkdwnText = { type: 'mrkdwn'; text: string; verbatim: true }
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: MrkdwnText }
  | { type: 'section'; fields: MrkdwnText[] }
  | { type: 'context'; elements: MrkdwnText[] }

/** An incoming-webhook payload (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks). */
export type SlackPayload = {
  text: string
  blocks: SlackBlock[]
  unfurl_links: false
  unfurl_media: false
}

export type Alert = {
  /** SNS Subject: ASCII, no line breaks, under 100 characters */
  subject: string
  /** SNS Message: the e-mail body */
  text: string
  attributes: AlertAttributes
  slack: SlackPayload
}
