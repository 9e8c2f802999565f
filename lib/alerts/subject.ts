/**
 * The SNS Subject. Publish rejects the whole message for a bad one: "Subjects must be ASCII text that begins with a
 * letter, number, or punctuation mark; must not include line breaks or control characters; and must be less than 100
 * characters long" (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). Some SDK references say UTF-8;
 * ASCII satisfies both. An alert must not be lost to a long or unusual name, so names are folded and shortened.
 */
import { featuresOf, FEATURE_SHORT, OUTCOME_SHORT, titleOf } from './wording'
import { unresolvedFindings } from './severity'
import type { AlertInput, Severity } from './types'

/** Longest subject SNS accepts ("less than 100 characters"). */
export const SUBJECT_MAX = 99

/** `[HIGH] MWAA role drift: my-env task queue, logs (healed)`: ASCII, one line, at most 99 characters. */
export function composeSubject(input: AlertInput, severity: Severity): string {
  const head = `[${severity.toUpperCase()}] ${titleOf(input)}: `
  const envs = environmentsShort(input.environments.map((e) => e.name))
  if (input.kind === 'role-deleted') return fitSubject(head, `${envs}, role ${input.role.name}`, '')
  if (input.kind === 'environment-refused') {
    const fields = [...new Set((input.refusals ?? []).map((r) => r.field.split('.')[0]))].join(', ')
    return fitSubject(head, `${envs} ${fields}`.trim(), ` (${OUTCOME_SHORT[input.outcome]}${stateNote(input)})`)
  }
  if (input.kind === 'mode-change')
    return fitSubject(head, `role ${input.role.name} -> ${input.mode}`, ` (${OUTCOME_SHORT[input.outcome]})`)
  if (input.kind === 'resolved' && input.about === 'refusal')
    return fitSubject(
      head,
      envs,
      / no longer uses /.test(input.resolvedBy ?? '') ? ' (environment gone)' : ' (valid again)',
    )
  if (input.kind === 'reconcile-failed') {
    const error = (input.failure?.error ?? 'error').split(':')[0] ?? 'error'
    const tries = input.failure?.retryable ? `, ${input.failure.tries} tries` : ''
    return fitSubject(head, `role ${input.role.name}`, ` (${error.slice(0, 40)}${tries})`)
  }
  if (input.kind === 'resolved')
    return fitSubject(head, envs, input.resolvedBy ? ` (${shortBy(input.resolvedBy)})` : '')
  // what drifted, even when healed: the outcome in brackets says whether it is still missing
  const findings = input.report.findings.length > 0 ? input.report.findings : unresolvedFindings(input)
  const features = featuresOf(findings)
    .map((f) => FEATURE_SHORT[f])
    .join(', ')
  const pruned = findings.length === 0 && input.writes.some((w) => w.kind !== 'update-trust-policy')
  const what =
    input.kind === 'preflight'
      ? `${envs} role lacks ${features || 'permissions'}`
      : `${envs} ${pruned ? 'restore policy pruned' : features}`.trim()
  return fitSubject(head, what, ` (${OUTCOME_SHORT[input.outcome]}${stateNote(input)})`)
}

/** `, reminder` or `, changed` after the outcome: the incident was told before. */
function stateNote(input: AlertInput): string {
  const state = input.incident?.state
  return state === 'reminder' ? ', reminder' : state === 'changed' ? ', changed' : ''
}

/** `fixed by arn:...:user/alice` -> `by alice`: the subject has room for a name, not an ARN. */
function shortBy(by: string): string {
  const arn = /arn:[^\s]+/.exec(by)?.[0]
  return (arn ? `by ${arn.split(/[/:]/).pop()}` : by).slice(0, 40)
}

/** `a`, `a, b`, or `a +3` (more would not fit a subject anyway). */
function environmentsShort(names: readonly string[]): string {
  if (names.length === 0) return 'no environment'
  if (names.length <= 2) return names.join(', ')
  return `${names[0]} +${names.length - 1}`
}

/** Folds `middle` to printable ASCII and shortens it with "..." so head + middle + tail fits SUBJECT_MAX. */
export function fitSubject(head: string, middle: string, tail: string): string {
  const clean = toAscii(middle)
  const room = SUBJECT_MAX - head.length - tail.length
  const fitted = clean.length <= room ? clean : `${clean.slice(0, Math.max(0, room - 3)).trimEnd()}...`
  return `${head}${fitted}${tail}`.slice(0, SUBJECT_MAX)
}

/** Printable ASCII only: accents dropped (é -> e), line breaks and control characters to spaces, the rest to '?'. */
export function toAscii(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .replace(/\s+/g, ' ')
    .trim()
}
