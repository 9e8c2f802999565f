/**
 * Exact restore: an inline policy that was removed goes back under its own name, exactly as it was when the role was
 * last known good, instead of a copy of the missing statements in the guard's restore policy. The remembered document
 * is data read back from storage, so it is trusted for nothing: it is put back only when every grant in it is within
 * the live baselines (firstGrantBeyond), it restores something that is missing, and it fits the inline quota.
 */
import { compilePolicy, evaluateRequest } from '../iam'
import type { PolicyDocument } from '../iam/types'
import type { Baseline } from '../baseline/types'
import type { Catalogue } from '../catalogue'
import type { Finding } from './findings'
import type { RoleState } from './types'
import { compileBaselines, firstGrantBeyond } from './within-baseline'

type NotGranted = Extract<Finding, { kind: 'not-granted' }>

export type ExactRestoreInput = {
  role: RoleState
  baselines: readonly Baseline[]
  catalogue: Catalogue
  /** the inline policies the role had when it was last known good */
  lastKnownGood: ReadonlyArray<{ name: string; document: PolicyDocument }>
  /** the not-granted findings still to restore */
  missing: readonly NotGranted[]
  /** the aggregate inline policy quota (characters without whitespace) */
  quota: number
}

export type ExactRestore = { policyName: string; document: PolicyDocument; restores: NotGranted[] }

/** The removed inline policies to put back as they were, what is left for the restore policy, and why not others. */
export function exactRestores(input: ExactRestoreInput): {
  restores: ExactRestore[]
  left: NotGranted[]
  notes: string[]
} {
  const { role } = input
  const removed = input.lastKnownGood.filter((p) => !role.inlinePolicies.some((q) => q.name === p.name))
  const notes: string[] = []
  const restores: ExactRestore[] = []
  let left = [...input.missing]
  if (removed.length === 0 || left.length === 0) return { restores, left, notes }
  const scope = compileBaselines(input.baselines)
  let size = role.inlinePolicies.reduce((n, p) => n + JSON.stringify(p.document).length, 0)
  for (const policy of removed) {
    const compiled = compilePolicy(policy.document, `inline:${policy.name}`, 'identity')
    const fixes = left.filter((f) => evaluateRequest({ identity: [compiled] }, f.check).decision === 'allowed')
    if (fixes.length === 0) continue
    const beyond = firstGrantBeyond(policy.document, scope, input.catalogue)
    if (beyond) {
      notes.push(
        `not restoring inline policy ${policy.name} as it was: it grants more than the baseline (${beyond}); restoring the missing permissions in the restore policy instead`,
      )
      continue
    }
    const added = JSON.stringify(policy.document).length
    if (size + added > input.quota) {
      notes.push(
        `not restoring inline policy ${policy.name} as it was: the role's inline policies would exceed ${input.quota} characters`,
      )
      continue
    }
    size += added
    restores.push({ policyName: policy.name, document: policy.document, restores: fixes })
    left = left.filter((f) => !fixes.includes(f))
  }
  return { restores, left, notes }
}
