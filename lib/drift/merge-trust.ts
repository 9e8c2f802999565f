/**
 * Lets the MWAA service principals assume the role again, for the environments that use it, and for them only: every
 * trust statement a heal adds or extends carries the confused-deputy conditions, aws:SourceAccount = the account and
 * aws:SourceArn = the environments' ARNs (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
 * https://docs.aws.amazon.com/mwaa/latest/userguide/cross-service-confused-deputy-prevention.html). A statement
 * already pinned to environments is extended (its aws:SourceArn list), never joined by an unconditioned one; every
 * other statement, Deny included, is kept as it is.
 */
import { compilePolicy, evaluateResourcePolicy } from '../iam'
import type { PolicyDocument, PolicyStatement } from '../iam/types'

export const TRUST_STATEMENT_SID = 'MwaaRoleGuardAirflowTrust'
const OUR_SID = new RegExp(`^${TRUST_STATEMENT_SID}\\d*$`)
const SOURCE_ARN = 'aws:sourcearn'
const SOURCE_ACCOUNT = 'aws:SourceAccount'
// Operators under which adding the environment's ARN as a value admits exactly that ARN.
const EXTENSIBLE = new Set(['arnequals', 'arnlike', 'stringequals', 'stringlike'])

/** One principal that must be able to assume the role for one environment (the trust check's context). */
export type TrustNeed = { principal: string; sourceAccount: string; sourceArn: string }

/** The trust policy with every need met by a pinned statement (`roleArn`: the resource the checks ask about). */
export function mergeTrust(trust: PolicyDocument, needs: readonly TrustNeed[], roleArn: string): PolicyDocument {
  const statements = (Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement]).map((s) => ({ ...s }))
  for (const need of needs) {
    if (statements.some((s) => allows(s, need, roleArn))) continue
    const pinned = statements.findIndex((s) => isPinnedFor(s, need.principal))
    const extended = pinned >= 0 ? withSourceArn(statements[pinned]!, need.sourceArn) : undefined
    if (extended && allows(extended, need, roleArn)) {
      statements[pinned] = extended
      continue
    }
    const ours = statements.findIndex((s) => isOurs(s, need.sourceAccount))
    if (ours >= 0) statements[ours] = extendOurs(statements[ours]!, need)
    else statements.push(ourStatement(freeSid(statements), need))
  }
  return { Version: trust.Version ?? '2012-10-17', Statement: statements }
}

/** The statement a heal writes: Allow the principal sts:AssumeRole from this account, for these environments. */
function ourStatement(sid: string, need: TrustNeed): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: [need.principal] },
    Action: 'sts:AssumeRole',
    Condition: {
      StringEquals: { [SOURCE_ACCOUNT]: need.sourceAccount },
      ArnLike: { 'aws:SourceArn': [need.sourceArn] },
    },
  }
}

/** Exactly the shape ourStatement writes, for this account. */
function isOurs(s: PolicyStatement, account: string): boolean {
  const condition = s.Condition ?? {}
  return (
    OUR_SID.test(s.Sid ?? '') &&
    s.Effect === 'Allow' &&
    s.Action === 'sts:AssumeRole' &&
    Object.keys(s).sort().join(',') === 'Action,Condition,Effect,Principal,Sid' &&
    typeof s.Principal === 'object' &&
    Object.keys(s.Principal).join(',') === 'Service' &&
    Object.keys(condition).sort().join(',') === 'ArnLike,StringEquals' &&
    Object.keys(condition.StringEquals ?? {}).join(',') === SOURCE_ACCOUNT &&
    list(condition.StringEquals?.[SOURCE_ACCOUNT]).join(',') === account &&
    Object.keys(condition.ArnLike ?? {}).join(',') === 'aws:SourceArn'
  )
}

function extendOurs(s: PolicyStatement, need: TrustNeed): PolicyStatement {
  const principal = s.Principal as Record<string, string | string[]>
  const condition = s.Condition!
  return {
    ...s,
    Principal: { Service: union(list(principal.Service), [need.principal]) },
    Condition: {
      ...condition,
      ArnLike: { 'aws:SourceArn': union(list(condition.ArnLike!['aws:SourceArn']), [need.sourceArn]) },
    },
  }
}

/** An Allow naming the principal whose aws:SourceArn condition can take one more ARN. */
function isPinnedFor(s: PolicyStatement, principal: string): boolean {
  if (s.Effect !== 'Allow' || s.Principal === undefined || s.Principal === '*') return false
  if (!list(s.Principal.Service).includes(principal)) return false
  return Object.entries(s.Condition ?? {}).some(
    ([operator, block]) =>
      EXTENSIBLE.has(operator.toLowerCase()) && Object.keys(block).some((k) => k.toLowerCase() === SOURCE_ARN),
  )
}

function withSourceArn(s: PolicyStatement, arn: string): PolicyStatement {
  const condition = Object.fromEntries(
    Object.entries(s.Condition ?? {}).map(([operator, block]) => [
      operator,
      EXTENSIBLE.has(operator.toLowerCase())
        ? Object.fromEntries(
            Object.entries(block).map(([k, v]) => [
              k,
              k.toLowerCase() === SOURCE_ARN ? union(list(v as string | string[]), [arn]) : v,
            ]),
          )
        : block,
    ]),
  )
  return { ...s, Condition: condition as PolicyStatement['Condition'] }
}

/** Whether this statement alone lets the principal assume the role for the need's environment. */
function allows(s: PolicyStatement, need: TrustNeed, roleArn: string): boolean {
  const compiled = compilePolicy({ Version: '2012-10-17', Statement: [s] }, 'probe', 'resource')
  return (
    evaluateResourcePolicy(compiled, {
      action: 'sts:AssumeRole',
      resource: roleArn,
      principal: { type: 'Service', id: need.principal },
      context: { [SOURCE_ACCOUNT]: need.sourceAccount, 'aws:SourceArn': need.sourceArn },
    }).decision === 'allowed'
  )
}

function freeSid(statements: readonly PolicyStatement[]): string {
  const taken = new Set(statements.map((s) => s.Sid))
  let sid = TRUST_STATEMENT_SID
  for (let n = 2; taken.has(sid); n++) sid = `${TRUST_STATEMENT_SID}${n}`
  return sid
}

function list(value: unknown): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort()
}
