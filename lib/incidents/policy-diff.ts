/**
 * What changed since the role was last known good, statement by statement, for the person reading the alert:
 * "statement S3Dags removed from inline policy mwaa-exec". It covers everything the role lost, permissions outside
 * the baseline included; it is only ever shown, never written back.
 */
import type { PolicyDocument, PolicyStatement } from '../iam/types'
import type { RoleState } from '../drift/types'
import { canonicalJson } from './hash'
import type { LastKnownGood } from './role-record'

export type PolicyChange =
  | { kind: 'inline-removed'; policy: string; statements: string[] }
  | { kind: 'statement-removed'; policy: string; statement: string; actions: string[] }
  | { kind: 'statement-changed'; policy: string; statement: string; actions: string[]; resources: string[] }
  | { kind: 'deny-added'; policy: string; statement: string; actions: string[] }
  | { kind: 'managed-detached'; policy: string }
  | { kind: 'managed-version-changed'; policy: string; from?: string; to?: string }

/** The differences that can take something away, from the last-known-good policies to the role as read now. */
export function diffAgainstLastKnownGood(lkg: LastKnownGood, role: RoleState): PolicyChange[] {
  const changes: PolicyChange[] = []
  for (const before of lkg.inline) {
    const now = role.inlinePolicies.find((p) => p.name === before.name)
    if (!now) {
      changes.push({
        kind: 'inline-removed',
        policy: before.name,
        statements: statementsOf(before.document).map(label),
      })
      continue
    }
    changes.push(...statementChanges(before.name, before.document, now.document))
  }
  for (const before of lkg.managed) {
    const now = role.attachedPolicies.find((p) => p.arn === before.arn)
    if (!now) changes.push({ kind: 'managed-detached', policy: before.arn })
    else if (before.versionId && now.versionId && before.versionId !== now.versionId)
      changes.push({ kind: 'managed-version-changed', policy: before.arn, from: before.versionId, to: now.versionId })
  }
  for (const now of role.inlinePolicies) {
    if (lkg.inline.some((p) => p.name === now.name)) continue
    for (const [i, s] of statementsOf(now.document).entries())
      if (s.Effect === 'Deny')
        changes.push({
          kind: 'deny-added',
          policy: now.name,
          statement: label(s, i),
          actions: list(s.Action ?? s.NotAction),
        })
  }
  return changes
}

/** One line per change, e.g. "statement `S3Dags` removed from inline policy `mwaa-exec` (s3:GetObject, s3:ListBucket)". */
export function describeChange(change: PolicyChange): string {
  switch (change.kind) {
    case 'inline-removed':
      return `inline policy \`${change.policy}\` removed (${count(change.statements.length, 'statement')}: ${change.statements.join(', ')})`
    case 'statement-removed':
      return `statement ${change.statement} removed from inline policy \`${change.policy}\`${actions(change.actions)}`
    case 'statement-changed': {
      const lost = [
        ...(change.actions.length > 0 ? [`actions ${change.actions.join(', ')}`] : []),
        ...(change.resources.length > 0 ? [`resources ${change.resources.join(', ')}`] : []),
      ]
      return `statement ${change.statement} of inline policy \`${change.policy}\` changed${lost.length > 0 ? `: lost ${lost.join('; ')}` : ''}`
    }
    case 'deny-added':
      return `Deny statement ${change.statement} added in inline policy \`${change.policy}\`${actions(change.actions)}`
    case 'managed-detached':
      return `managed policy ${change.policy} detached`
    case 'managed-version-changed':
      return `managed policy ${change.policy} default version changed (${change.from ?? '?'} -> ${change.to ?? '?'})`
  }
}

function statementChanges(policy: string, before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const old = statementsOf(before)
  const next = statementsOf(after)
  const nextText = new Set(next.map((s) => canonicalJson(s)))
  const changes: PolicyChange[] = []
  for (const [i, s] of old.entries()) {
    if (nextText.has(canonicalJson(s))) continue
    const twin = s.Sid === undefined ? undefined : next.find((n) => n.Sid === s.Sid)
    if (!twin) {
      changes.push({
        kind: 'statement-removed',
        policy,
        statement: label(s, i),
        actions: list(s.Action ?? s.NotAction),
      })
      continue
    }
    changes.push({
      kind: 'statement-changed',
      policy,
      statement: label(s, i),
      actions: missingFrom(list(s.Action), list(twin.Action), true),
      resources: missingFrom(list(s.Resource), list(twin.Resource), false),
    })
  }
  const oldText = new Set(old.map((s) => canonicalJson(s)))
  for (const [i, s] of next.entries())
    if (
      s.Effect === 'Deny' &&
      !oldText.has(canonicalJson(s)) &&
      !old.some((o) => o.Sid !== undefined && o.Sid === s.Sid)
    )
      changes.push({ kind: 'deny-added', policy, statement: label(s, i), actions: list(s.Action ?? s.NotAction) })
  return changes
}

function statementsOf(document: PolicyDocument): PolicyStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement]
}

function label(statement: PolicyStatement, index: number): string {
  return statement.Sid ? `\`${statement.Sid}\`` : `#${index + 1}`
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** Values of `before` not in `after`. Action names compare case-insensitively, ARNs exactly
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html). */
function missingFrom(before: readonly string[], after: readonly string[], ignoreCase: boolean): string[] {
  const key = (v: string) => (ignoreCase ? v.toLowerCase() : v)
  const kept = new Set(after.map(key))
  return before.filter((b) => !kept.has(key(b)))
}

function actions(values: readonly string[]): string {
  if (values.length === 0) return ''
  const shown = values.slice(0, 6).join(', ')
  return ` (${values.length > 6 ? `${shown} and ${values.length - 6} more` : shown})`
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
