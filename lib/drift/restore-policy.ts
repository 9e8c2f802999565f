/**
 * The one inline policy heal writes. It holds exactly what is still missing once it is left out: each heal rewrites it
 * (or deletes it when nothing is missing), so a grant no environment needs any more (an UpdateEnvironment moved the
 * bucket, an environment was deleted) disappears on the next reconcile instead of surviving every sweep.
 */
import type { PolicyDocument, PolicyStatement } from '../iam/types'
import type { RoleState } from './types'

export const RESTORE_POLICY_NAME = 'mwaa-role-guard-restore'

/** The restore policy holding these statements, Sids made unique; undefined when there is nothing to hold. */
export function restoreDocument(statements: readonly PolicyStatement[]): PolicyDocument | undefined {
  return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: uniqueSids(statements) }
}

/** The role as it would be without the restore policy: what a heal measures "still missing" against. */
export function withoutRestorePolicy(role: RoleState): RoleState {
  if (!role.inlinePolicies.some((p) => p.name === RESTORE_POLICY_NAME)) return role
  return { ...role, inlinePolicies: role.inlinePolicies.filter((p) => p.name !== RESTORE_POLICY_NAME) }
}

/** The restore policy the role holds now, if any. */
export function currentRestorePolicy(role: RoleState): PolicyDocument | undefined {
  return role.inlinePolicies.find((p) => p.name === RESTORE_POLICY_NAME)?.document
}

/** IAM requires Sids to be unique within a policy; two environments sharing a role bring the same baseline Sids.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html */
function uniqueSids(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const seen = new Set<string>()
  return statements.map((s) => {
    if (s.Sid === undefined) return s
    let sid = s.Sid
    for (let n = 2; seen.has(sid); n++) sid = `${s.Sid}${n}`
    seen.add(sid)
    return sid === s.Sid ? s : { ...s, Sid: sid }
  })
}
