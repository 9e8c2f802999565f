/**
 * Findings + role state -> the writes a heal would make. Pure. The plan restores only what the baselines require:
 * it re-attaches a detached managed policy only when that policy is within the baselines, merges the missing service
 * principals into the trust policy, and otherwise puts one inline policy holding exactly the missing baseline
 * statements. It never removes a Deny, never touches a permissions boundary: those findings are reported as blocked.
 */
import { compilePolicy, evaluateRequest } from '../iam'
import type { PolicyDocument, PolicyStatement } from '../iam/types'
import type { Baseline, RequiredCheck } from '../baseline/types'
import type { Catalogue } from '../catalogue'
import { isHealable, type Finding } from './findings'
import { compileBaselines, firstGrantBeyond } from './within-baseline'
import { mergeTrust } from './merge-trust'
import { mergeRestorePolicy, RESTORE_POLICY_NAME } from './restore-policy'
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
  | { kind: 'put-inline-policy'; policyName: string; document: PolicyDocument; restores: string[] }

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
  findings: readonly Finding[]
  catalogue: Catalogue
  /** managed policies recently detached from the role (from the triggering event), documents already read */
  detached?: readonly ManagedPolicyCandidate[]
}

/** Plans the minimal writes that restore what is missing, never broader than the baselines. */
export function planHeal(input: PlanHealInput): HealPlan {
  const { role, baselines, findings } = input
  const plan: HealPlan = { role: role.arn, writes: [], blocked: [], notes: [] }
  for (const finding of findings) if (!isHealable(finding)) plan.blocked.push({ finding, reason: blockReason(finding) })

  let missing = findings.filter((f): f is Extract<Finding, { kind: 'not-granted' }> => f.kind === 'not-granted')
  missing = reattach(input, missing, plan)

  const trustMissing = findings.filter((f) => f.kind === 'trust-missing' && isHealable(f))
  if (trustMissing.length > 0) {
    const principals = [...new Set(trustMissing.map((f) => (f.kind === 'trust-missing' ? f.check.principal : '')))]
    const document = mergeTrust(role.trustPolicy, principals)
    plan.writes.push({ kind: 'update-trust-policy', document, adds: principals })
    const size = policySize(document)
    if (size > TRUST_POLICY_DEFAULT_QUOTA) {
      plan.notes.push(
        `the merged trust policy has ${size} characters, over the default ${TRUST_POLICY_DEFAULT_QUOTA} quota (raisable to 4,096): IAM may reject the update`,
      )
    }
  }

  if (missing.length > 0) {
    const statements = restoreStatements(
      baselines,
      missing.map((f) => f.check),
    )
    const existing = role.inlinePolicies.find((p) => p.name === RESTORE_POLICY_NAME)
    const document = mergeRestorePolicy(existing?.document, statements)
    const others = role.inlinePolicies.filter((p) => p.name !== RESTORE_POLICY_NAME)
    const size = [...others.map((p) => p.document), document].reduce((n, d) => n + policySize(d), 0)
    if (size > INLINE_POLICY_QUOTA) {
      for (const finding of missing)
        plan.blocked.push({
          finding,
          reason: `restoring it would bring the role's inline policies to ${size} characters, over the ${INLINE_POLICY_QUOTA} quota`,
        })
    } else {
      plan.writes.push({
        kind: 'put-inline-policy',
        policyName: RESTORE_POLICY_NAME,
        document,
        restores: missing.map((f) => f.check.id),
      })
    }
  }
  return plan
}

/** Characters IAM counts against the size quotas: the JSON without whitespace. */
export function policySize(document: PolicyDocument): number {
  return JSON.stringify(document).length
}

function blockReason(finding: Finding): string {
  switch (finding.kind) {
    case 'denied':
      return `explicitly denied by ${finding.by.map(describeRef).join(', ')}; heal never removes a Deny`
    case 'blocked-by-boundary':
      return `not allowed by the permissions boundary ${finding.boundary}; heal never changes a boundary`
    case 'trust-missing':
      return `the trust policy explicitly denies it (${finding.by.map(describeRef).join(', ')}); heal never removes a Deny`
    default:
      return 'not healable'
  }
}

function describeRef(ref: { policy: string; index: number; sid?: string }): string {
  return `${ref.policy} statement ${ref.sid ? `"${ref.sid}"` : `#${ref.index}`}`
}

/** Re-attach detached managed policies that restore something and stay within the baselines; returns what is left. */
function reattach(
  input: PlanHealInput,
  missing: Array<Extract<Finding, { kind: 'not-granted' }>>,
  plan: HealPlan,
): Array<Extract<Finding, { kind: 'not-granted' }>> {
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
