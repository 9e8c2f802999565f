/** Words shared by the subject, the e-mail body and the Slack message. */
import { describeStatement } from '../report/describe'
import type { Feature } from '../baseline/types'
import type { Caller, Change } from '../events/change'
import type { AlertInput, AlertKind, AlertOutcome, BlockedFinding } from './types'

export const DEFAULT_MODE_TAG_KEY = 'mwaa-role-guard:mode'

/** Short feature names for a subject line. */
export const FEATURE_SHORT: Readonly<Record<Feature, string>> = {
  'task-queue': 'task queue',
  logs: 'logs',
  'dag-bucket': 'DAG bucket',
  metrics: 'metrics',
  encryption: 'KMS',
  trust: 'trust',
  extra: 'DAG extras',
}

export const KIND_TITLE: Readonly<Record<AlertKind, string>> = {
  drift: 'MWAA role drift',
  preflight: 'MWAA preflight',
  'role-deleted': 'MWAA role deleted',
  'environment-refused': 'MWAA data refused',
  'mode-change': 'MWAA role mode changed',
  resolved: 'MWAA role drift resolved',
  contested: 'MWAA role contested',
  'reconcile-failed': 'MWAA role not checked',
}

/** The alert's title: its kind's, or for a resolved refusal of environment data, that. */
export function titleOf(input: Pick<AlertInput, 'kind' | 'about'>): string {
  return input.kind === 'resolved' && input.about === 'refusal' ? 'MWAA data refusal resolved' : KIND_TITLE[input.kind]
}

/** The outcome in two or three words, for the subject and the Slack header. */
export const OUTCOME_SHORT: Readonly<Record<AlertOutcome, string>> = {
  reported: 'not healed',
  healed: 'healed',
  'partially-healed': 'partly healed',
  blocked: 'heal blocked',
  failed: 'heal failed',
  critical: 'nothing to heal',
  refused: 'nothing written',
  noted: 'no write',
  resolved: 'resolved',
  contested: 'healing stopped',
}

/** The outcome in the subject and headers: a role that could not be checked had no heal to fail. */
export function outcomeShort(input: Pick<AlertInput, 'kind' | 'outcome'>): string {
  return input.kind === 'reconcile-failed' ? 'not checked' : OUTCOME_SHORT[input.outcome]
}

/** Why a check failed, in one line: the error, and for a retryable one how many tries it took. */
export function failureLine(failure: NonNullable<AlertInput['failure']>): string {
  return failure.retryable
    ? `${failure.error} (still failing after ${failure.tries} tries; each one was retryable)`
    : `${failure.error} (not retryable: trying again would fail the same way)`
}

/** Features in first-seen order, without repeats. */
export function featuresOf(findings: ReadonlyArray<{ feature: Feature }>): Feature[] {
  return [...new Set(findings.map((f) => f.feature))]
}

/** Stable sort by feature (first-seen order), so each feature is printed once. */
export function byFeatureOrder<T extends { feature: Feature }>(findings: readonly T[]): T[] {
  const order = featuresOf(findings)
  return [...findings].sort((a, b) => order.indexOf(a.feature) - order.indexOf(b.feature))
}

/** What the preflight call was, for "the creation would fail". */
export function preflightNoun(change: Change | undefined): string {
  return change?.eventName === 'UpdateEnvironment' ? 'update' : 'creation'
}

/** The caller in one line: principal, type and how (console, MFA, via a service). */
export function describeCaller(caller: Caller): string {
  const who = caller.arn ?? caller.invokedBy ?? 'an unknown principal'
  const how = [caller.type]
  if (caller.viaConsole) how.push('console')
  if (caller.mfa === true) how.push('MFA')
  if (caller.invokedBy && caller.arn) how.push(`via ${caller.invokedBy}`)
  return `${who} (${how.join(', ')})`
}

/** Who can lift a block: the owner of the Deny, of the boundary, or an IAM administrator. */
export function whoToAsk(blocked: BlockedFinding): string {
  const { finding } = blocked
  switch (finding.kind) {
    case 'denied':
      return `the owner of ${finding.by.map(describeStatement).join(', ')}`
    case 'blocked-by-boundary':
      return `whoever manages the permissions boundary ${finding.boundary} (usually the platform or security team)`
    case 'trust-missing':
      return `the owner of the role's trust policy (${finding.by.map(describeStatement).join(', ')})`
    case 'not-granted':
      return 'an IAM administrator (move inline statements into a managed policy to make room)'
    case 'blocked-by-document':
      return `the owner of ${finding.documents.join(', ')}`
    case 'key-unusable':
      return `the owner of the KMS key ${finding.key} (kms:EnableKey, kms:CancelKeyDeletion)`
  }
}

/** `unknown → heal`: the mode change of a `mode-change` alert (the previous mode is unknown until a store keeps it). */
export function modeChangeText(input: AlertInput): string {
  return `${input.previousMode ?? 'unknown (not recorded)'} → ${input.mode}`
}

/** `environment data refused: FIELD, VALUE, WHY` per refused value. */
export function refusalLines(input: AlertInput): string[] {
  return (input.refusals ?? []).map(
    (r) => `${r.environment}: environment data refused: ${r.field}, ${r.value.slice(0, 300)}, ${r.why}`,
  )
}

/** The CLI command that re-checks one environment. */
export function recheckCommand(environment: { name: string; region: string }): string {
  return `npx mwaa-role-guard check --env ${environment.name} --region ${environment.region}`
}

export function modeTagKey(input: AlertInput): string {
  return input.modeTagKey ?? DEFAULT_MODE_TAG_KEY
}
