/** Merges missing service principals into a trust policy without dropping any existing statement. */
import type { PolicyDocument, PolicyStatement } from '../iam/types'

export const TRUST_STATEMENT_SID = 'MwaaRoleGuardAirflowTrust'

/**
 * Appends (or extends) one statement letting the given services call sts:AssumeRole; every other statement, Deny
 * included, is kept as it is. https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html (trust policy)
 */
export function mergeTrust(trust: PolicyDocument, services: readonly string[]): PolicyDocument {
  const statements = Array.isArray(trust.Statement) ? [...trust.Statement] : [trust.Statement]
  const at = statements.findIndex((s) => s.Sid === TRUST_STATEMENT_SID)
  const existing = at >= 0 ? statements[at] : undefined
  const already = servicesOf(existing)
  const merged: PolicyStatement = {
    Sid: TRUST_STATEMENT_SID,
    Effect: 'Allow',
    Principal: { Service: [...new Set([...already, ...services])].sort() },
    Action: 'sts:AssumeRole',
  }
  if (at >= 0) statements[at] = merged
  else statements.push(merged)
  return { Version: trust.Version ?? '2012-10-17', Statement: statements }
}

function servicesOf(statement: PolicyStatement | undefined): string[] {
  const principal = statement?.Principal
  if (!principal || principal === '*') return []
  const service = principal.Service
  return service === undefined ? [] : Array.isArray(service) ? service : [service]
}
