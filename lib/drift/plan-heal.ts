/**
 * Findings + role state -> the writes a heal would make. Pure. The plan restores only what the baselines require:
 * it re-attaches a detached managed policy only when that policy is within the baselines, lets the MWAA principals
 * assume the role again for the environments that use it (pinned, see merge-trust), puts a removed inline policy back
 * exactly as it was when the role was last known good (only when it is within the baselines, see exact-restore), and
 * keeps one inline policy holding exactly what is still missing without it (rewritten, or deleted when nothing is). It never removes a Deny, never
 * touches a permissions boundary, and never writes an extras permission the limits forbid: those are reported as
 * blocked.
 */
import { compilePolicy, evaluateRequest } from '../iam'
import type { PolicyDocument, PolicyStatement, StatementRef } from '../iam/types'
import type { Baseline, RequiredCheck } from '../baseline/types'
import type { Catalogue } from '../catalogue'
import { findDrift } from './find-drift'
import { isBeyondRole, isHealable, type Finding } from './findings'
import { DEFAULT_HEAL_LIMITS, extraBlockReason, type HealLimits } from './heal-limits'
import { exactRestores } from './exact-restore'
import { compileBaselines, firstGrantBeyond } from './within-baseline'
import { mergeTrust, type TrustNeed } from './merge-trust'
import { currentRestorePolicy, RESTORE_POLICY_NAME, restoreDocument, withoutRestorePolicy } from './restore-policy'
import type { RoleState } from './types'

/** Inline policies of one role share this aggregate quota (whitespace not counted).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length */
export const INLINE_POLICY_QUOTA = 10_240

/** Role trust policy length quota, by default (it can be raised to 4,096).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length */
export const TRUST_POLICY_DEFAULT_QUOTA = 2_048

export type ManagedPolicyCandidate = { arn: string; name: string; document: PolicyDocument }

export type HealWrite =
  | { kind: 'attach-managed-policy'; policyArn: string; restores: string[] }
  | { kind: 'update-trust-policy'; document: PolicyDocument; adds: string[] }
  /** `pruned`: the policy held grants nothing needs any more; they are dropped */
  | { kind: 'put-inline-policy'; policyName: string; document: PolicyDocument; restores: string[]; pruned?: boolean }
  | { kind: 'delete-inline-policy'; policyName: string }
  /** a removed inline policy put back under its own name, exactly as it was when the role was last known good */
  | { kind: 'restore-inline-policy'; policyName: string; document: PolicyDocument; restores: string[] }

export type HealPlan = {
  role: string
  writes: HealWrite[]
  blocked: Array<{ finding: Finding; reason: string }>
  /** candidates considered for re-attachment and why they were not used */
  notes: string[]
}

export type PlanHealInput = {
  role: RoleState
  baselines: readonly Baseline[]
  /** the findings on the role as it is (restore policy included) */
  findings: readonly Finding[]
  catalogue: Catalogue
  /** managed policies recently detached from the role (from the triggering event), documents already read */
  detached?: readonly ManagedPolicyCandidate[]
  /** what extras a heal may write (default: none) */
  limits?: HealLimits
  /** the inline policies the role had when last known good (read back from the state table: checked, never trusted) */
  lastKnownGood?: ReadonlyArray<{ name: string; document: PolicyDocument }>
}

type NotGranted = Extract<Finding, { kind: 'not-granted' }>

/** Plans the minimal writes that converge the role on its baselines, never broader than them. */
export function planHeal(input: PlanHealInput): HealPlan {
  const { role, baselines, findings } = input
  const limits = input.limits ?? DEFAULT_HEAL_LIMITS
  const plan: HealPlan = { role: role.arn, writes: [], blocked: [], notes: [] }
  for (const finding of findings) if (!isHealable(finding)) plan.blocked.push({ finding, reason: blockReason(finding) })

  // What is missing once the restore policy is left out: the restore policy is rewritten to exactly that.
  const current = currentRestorePolicy(role)
  const base = current ? findDrift(withoutRestorePolicy(role), baselines).findings : findings
  let missing: NotGranted[] = []
  for (const finding of base) {
    if (finding.kind !== 'not-granted') continue
    const refused = extraBlockReason(finding, limits)
    if (refused) plan.blocked.push({ finding, reason: refused })
    else missing.push(finding)
  }
  missing = reattach(input, missing, plan)
  missing = restoreExactly(input, missing, plan)

  const trustNeeds: TrustNeed[] = findings.flatMap((f) =>
    f.kind === 'trust-missing' && isHealable(f)
      ? [
          {
            principal: f.check.principal,
            sourceAccount: String(f.check.context['aws:SourceAccount']),
            sourceArn: String(f.check.context['aws:SourceArn']),
          },
        ]
      : [],
  )
  if (trustNeeds.length > 0) {
    const document = mergeTrust(role.trustPolicy, trustNeeds, role.arn)
    plan.writes.push({ kind: 'update-trust-policy', document, adds: [...new Set(trustNeeds.map((n) => n.principal))] })
    const size = policySize(document)
    if (size > TRUST_POLICY_DEFAULT_QUOTA) {
      plan.notes.push(
        `the merged trust policy has ${size} characters, over the default ${TRUST_POLICY_DEFAULT_QUOTA} quota (raisable to 4,096): IAM may reject the update`,
      )
    }
  }

  planRestore(
    role,
    current,
    restoreStatements(
      baselines,
      missing.map((f) => f.check),
    ),
    missing,
    plan,
  )
  return plan
}

/** Puts the restore policy that holds exactly `statements`, deletes it when there are none, or leaves it as it is. */
function planRestore(
  role: RoleState,
  current: PolicyDocument | undefined,
  statements: PolicyStatement[],
  missing: readonly NotGranted[],
  plan: HealPlan,
): void {
  const document = restoreDocument(statements)
  if (!document) {
    if (current) plan.writes.push({ kind: 'delete-inline-policy', policyName: RESTORE_POLICY_NAME })
    return
  }
  if (current && !grantsBeyond(current, document) && !grantsBeyond(document, current)) return
  const others = role.inlinePolicies.filter((p) => p.name !== RESTORE_POLICY_NAME)
  const size = [...others.map((p) => p.document), document].reduce((n, d) => n + policySize(d), 0)
  if (size > INLINE_POLICY_QUOTA) {
    for (const finding of missing)
      plan.blocked.push({
        finding,
        reason: `restoring it would bring the role's inline policies to ${size} characters, over the ${INLINE_POLICY_QUOTA} quota`,
      })
    return
  }
  const pruned = current !== undefined && grantsBeyond(current, document)
  plan.writes.push({
    kind: 'put-inline-policy',
    policyName: RESTORE_POLICY_NAME,
    document,
    restores: missing.map((f) => f.check.id),
    ...(pruned ? { pruned } : {}),
  })
}

/** Puts removed inline policies back as they were, when that is within the baselines; returns what is left. */
function restoreExactly(input: PlanHealInput, missing: NotGranted[], plan: HealPlan): NotGranted[] {
  if (!input.lastKnownGood || input.lastKnownGood.length === 0) return missing
  const exact = exactRestores({
    role: withoutRestorePolicy(input.role),
    baselines: input.baselines,
    catalogue: input.catalogue,
    lastKnownGood: input.lastKnownGood.filter((p) => p.name !== RESTORE_POLICY_NAME),
    missing,
    quota: INLINE_POLICY_QUOTA,
  })
  plan.notes.push(...exact.notes)
  for (const r of exact.restores)
    plan.writes.push({
      kind: 'restore-inline-policy',
      policyName: r.policyName,
      document: r.document,
      restores: r.restores.map((f) => f.check.id),
    })
  return exact.left
}

/** Characters IAM counts against the size quotas: the JSON without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length
}

/** What heal never writes: the documents beyond the role are alert-only. */
const DOCUMENTS_ARE_ALERT_ONLY =
  'heal never changes a bucket policy, key policy, VPC endpoint policy, SCP or RCP (alert only)'

function blockReason(finding: Finding): string {
  switch (finding.kind) {
    case 'denied': {
      const beyondRole = finding.by.some(isBeyondRole)
      return `explicitly denied by ${finding.by.map(describeRef).join(', ')}; heal never removes a Deny${beyondRole ? `, nor ${DOCUMENTS_ARE_ALERT_ONLY.replace('heal never changes', 'changes')}` : ''}`
    }
    case 'blocked-by-document':
      return `not allowed by ${finding.documents.join(', ')}; ${DOCUMENTS_ARE_ALERT_ONLY}`
    case 'key-unusable':
      return `the KMS key ${finding.key} is ${finding.state}; ${DOCUMENTS_ARE_ALERT_ONLY}`
    case 'blocked-by-boundary':
      return `not allowed by the permissions boundary ${finding.boundary}; heal never changes a boundary`
    case 'trust-missing':
      return `the trust policy explicitly denies it (${finding.by.map(describeRef).join(', ')}); heal never removes a Deny`
    default:
      return 'not healable'
  }
}

function describeRef(ref: StatementRef): string {
  const beyondRole = isBeyondRole(ref)
  return `${ref.policy}${beyondRole ? ',' : ''} statement ${ref.sid ? `"${ref.sid}"` : `#${ref.index}`}`
}

/** Re-attach detached managed policies that restore something and stay within the baselines; returns what is left. */
function reattach(input: PlanHealInput, missing: NotGranted[], plan: HealPlan): NotGranted[] {
  const candidates = (input.detached ?? []).filter((c) => !input.role.attachedPolicies.some((a) => a.arn === c.arn))
  if (candidates.length === 0 || missing.length === 0) return missing
  const baselinePolicies = compileBaselines(input.baselines)
  let left = missing
  for (const candidate of candidates) {
    const compiled = compilePolicy(candidate.document, candidate.arn, 'identity')
    const restores = left.filter((f) => evaluateRequest({ identity: [compiled] }, f.check).decision === 'allowed')
    if (restores.length === 0) continue
    const beyond = firstGrantBeyond(candidate.document, baselinePolicies, input.catalogue)
    if (beyond) {
      plan.notes.push(
        `not re-attaching ${candidate.arn}: it grants more than the baseline (${beyond}); restoring the missing permissions inline instead`,
      )
      continue
    }
    plan.writes.push({
      kind: 'attach-managed-policy',
      policyArn: candidate.arn,
      restores: restores.map((f) => f.check.id),
    })
    left = left.filter((f) => !restores.includes(f))
  }
  return left
}

/**
 * One statement per baseline statement (same Sid, Effect, Condition), restricted to the missing actions and to the
 * baseline resources that cover a missing check: never broader than the baseline statement it comes from.
 */
function restoreStatements(baselines: readonly Baseline[], checks: readonly RequiredCheck[]): PolicyStatement[] {
  const out: PolicyStatement[] = []
  for (const baseline of baselines) {
    for (const source of baseline.policy.Statement) {
      const mine = checks.filter((c) => c.statement === source.Sid && baseline.checks.includes(c))
      if (mine.length === 0 || source.Effect !== 'Allow') continue
      const actions = [...new Set(mine.map((c) => c.action))].sort()
      const statement: PolicyStatement = { Sid: source.Sid, Effect: 'Allow', Action: actions }
      if (source.NotResource !== undefined) statement.NotResource = source.NotResource
      else statement.Resource = coveringResources(source, mine)
      if (source.Condition) statement.Condition = source.Condition
      out.push(statement)
    }
  }
  return out
}

function coveringResources(source: PolicyStatement, checks: readonly RequiredCheck[]): string[] {
  const resources =
    source.Resource === undefined ? [] : Array.isArray(source.Resource) ? source.Resource : [source.Resource]
  return resources.filter((resource) => {
    const one = compilePolicy(
      { Version: '2012-10-17', Statement: { ...source, Resource: resource } },
      'probe',
      'identity',
    )
    return checks.some((c) => evaluateRequest({ identity: [one] }, c).decision === 'allowed')
  })
}

/** Whether `old` holds an (effect, action, resource, condition) grant that `next` does not. */
function grantsBeyond(old: PolicyDocument, next: PolicyDocument): boolean {
  const key = (s: PolicyStatement) =>
    ([] as string[])
      .concat(s.Action ?? [], (s.NotAction ?? []) as string[])
      .flatMap((a) =>
        [
          ...([] as string[]).concat(s.Resource ?? []).map((r) => `R ${r}`),
          ...([] as string[]).concat(s.NotResource ?? []).map((r) => `N ${r}`),
        ].map(
          (r) =>
            `${s.Effect}|${s.NotAction ? 'not ' : ''}${a.toLowerCase()}|${r}|${JSON.stringify(s.Condition ?? null)}`,
        ),
      )
  const kept = new Set(([] as PolicyStatement[]).concat(next.Statement).flatMap(key))
  return ([] as PolicyStatement[])
    .concat(old.Statement)
    .flatMap(key)
    .some((k) => !kept.has(k))
}
