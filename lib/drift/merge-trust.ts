/** Merges missing service principals into a trust policy without dropping or changing any existing statement. */
import type { PolicyDocument, PolicyStatement } from '../iam/types'

export const TRUST_STATEMENT_SID = 'MwaaRoleGuardAirflowTrust'
const OUR_SID = new RegExp(`^${TRUST_STATEMENT_SID}\\d*$`)

/**
 * Appends (or extends) one statement letting the given services call sts:AssumeRole; every other statement, Deny
 * included, is kept as it is. https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html (trust policy)
 * Our earlier statement is extended only while it still has the plain shape we wrote: a user who added a condition to
 * it (https://docs.aws.amazon.com/mwaa/latest/userguide/cross-service-confused-deputy-prevention.html) keeps it, and
 * the new principals go in a statement of their own (Sids stay unique:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
 */
export function mergeTrust(trust: PolicyDocument, services: readonly string[]): PolicyDocument {
  const statements = Array.isArray(trust.Statement) ? [...trust.Statement] : [trust.Statement]
  const at = statements.findIndex((s) => OUR_SID.test(s.Sid ?? '') && isPlain(s))
  const existing = at >= 0 ? statements[at] : undefined
  const already = servicesOf(existing)
  const merged: PolicyStatement = {
    Sid: existing?.Sid ?? freeSid(statements),
    Effect: 'Allow',
    Principal: { Service: [...new Set([...already, ...services])].sort() },
    Action: 'sts:AssumeRole',
  }
  if (at >= 0) statements[at] = merged
  else statements.push(merged)
  return { Version: trust.Version ?? '2012-10-17', Statement: statements }
}

/** Exactly the statement mergeTrust writes: Allow, service principals only, sts:AssumeRole, nothing else. */
function isPlain(s: PolicyStatement): boolean {
  const keys = Object.keys(s).sort().join(',')
  const principal = s.Principal
  const onlyServices = typeof principal === 'object' && Object.keys(principal).join(',') === 'Service'
  return keys === 'Action,Effect,Principal,Sid' && s.Effect === 'Allow' && s.Action === 'sts:AssumeRole' && onlyServices
}

function freeSid(statements: readonly PolicyStatement[]): string {
  const taken = new Set(statements.map((s) => s.Sid))
  let sid = TRUST_STATEMENT_SID
  for (let n = 2; taken.has(sid); n++) sid = `${TRUST_STATEMENT_SID}${n}`
  return sid
}

function servicesOf(statement: PolicyStatement | undefined): string[] {
  const principal = statement?.Principal
  if (!principal || principal === '*') return []
  const service = principal.Service
  return service === undefined ? [] : Array.isArray(service) ? service : [service]
}
