/** The one inline policy heal writes, merged with what earlier heals put there. */
import type { PolicyDocument, PolicyStatement } from '../iam/types'

export const RESTORE_POLICY_NAME = 'mwaa-role-guard-restore'

/**
 * Statements with the same Sid, Resource/NotResource and Condition are merged (union of actions); anything already in
 * the existing restore policy is kept, so a second heal never takes back what a first one restored.
 */
export function mergeRestorePolicy(
  existing: PolicyDocument | undefined,
  additions: readonly PolicyStatement[],
): PolicyDocument {
  const current =
    existing === undefined ? [] : Array.isArray(existing.Statement) ? existing.Statement : [existing.Statement]
  const out: PolicyStatement[] = current.map((s) => ({ ...s }))
  for (const add of additions) {
    const twin = out.find((s) => s.Effect === add.Effect && s.Sid === add.Sid && sameScope(s, add))
    if (!twin) {
      out.push(add)
      continue
    }
    twin.Action = union(twin.Action, add.Action)
  }
  return { Version: '2012-10-17', Statement: uniqueSids(out) }
}

/** IAM requires Sids to be unique within a policy; two environments sharing a role bring the same baseline Sids.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html */
function uniqueSids(statements: PolicyStatement[]): PolicyStatement[] {
  const seen = new Set<string>()
  return statements.map((s) => {
    if (s.Sid === undefined) return s
    let sid = s.Sid
    for (let n = 2; seen.has(sid); n++) sid = `${s.Sid}${n}`
    seen.add(sid)
    return sid === s.Sid ? s : { ...s, Sid: sid }
  })
}

function sameScope(a: PolicyStatement, b: PolicyStatement): boolean {
  return (
    canonical(a.Resource) === canonical(b.Resource) &&
    canonical(a.NotResource) === canonical(b.NotResource) &&
    JSON.stringify(a.Condition ?? null) === JSON.stringify(b.Condition ?? null) &&
    a.NotAction === undefined &&
    b.NotAction === undefined
  )
}

function canonical(value: string | string[] | undefined): string {
  if (value === undefined) return ''
  return JSON.stringify((Array.isArray(value) ? [...value] : [value]).sort())
}

function union(a: string | string[] | undefined, b: string | string[] | undefined): string[] {
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
  return [...new Set([...list(a), ...list(b)])].sort()
}
