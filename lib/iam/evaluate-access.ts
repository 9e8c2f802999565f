/**
 * AWS's full policy evaluation for one request: service-side rules, then a Deny in any applicable policy wins; every
 * RCP level, SCP level and VPC endpoint policy must allow; and the request must be granted: within one account by the
 * identity-based policies (within the boundary and session policy) or by the resource policy (a grant to a role's ARN
 * still within them), across accounts by both. KMS key policies and role trust policies must allow themselves, or
 * delegate to the caller's account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
import type { AccessRequest, AccessResult, Gap, PolicySet } from './access-types'
import { isIamPrincipal, roleInAccount } from './caller'
import { callerKeys } from './caller-context'
import type { CompiledPolicy } from './compile-policy'
import { arnAccount } from './arn'
import { decideGrant, type ResourceAllows } from './decide-grant'
import { scan } from './evaluate'
import { type Exemption, rcpExemption, scpExemption } from './organization-scope'
import { RequestScope } from './request-scope'
import { scanWithPrincipal } from './scan-with-principal'
import { serviceRule } from './service-rules'
import type { PolicyKind, StatementRef } from './types'

/** Evaluates one request against every policy type that applies to it. */
export function evaluateAccess(set: PolicySet, request: AccessRequest): AccessResult {
  const resourceAccount = request.resourceAccount ?? arnAccount(request.resource) ?? request.caller?.account
  const caller = request.caller ?? roleInAccount(resourceAccount)
  // the keys AWS derives from the caller, for a caller that was named (the default one has no ARN to derive from)
  const derived = request.caller === undefined ? undefined : callerKeys(caller, resourceAccount)
  const scope = new RequestScope(request, derived)
  const awsManagedKey = request.awsManagedKey === true
  const rule = serviceRule(scope.action, scope.resource, caller, awsManagedKey)
  if (rule !== undefined) {
    return { decision: rule.effect === 'allow' ? 'allowed' : 'explicitDeny', statements: [], rule }
  }

  const exempt: Exemption[] = []
  const rcps =
    set.rcps === undefined || set.rcps === null
      ? NONE
      : applicable(set.rcps, rcpExemption(scope, caller, resourceAccount, set.managementAccount, awsManagedKey), exempt)
  const scps =
    set.scps === undefined || set.scps === null
      ? NONE
      : applicable(set.scps, scpExemption(caller, set.managementAccount), exempt)

  // flow-chart order: RCPs, SCPs, resource-based policy, identity-based, boundary, session policy (then endpoints)
  const denies: StatementRef[] = []
  const rcpAllows = scanLevels(rcps, scope, denies)
  const scpAllows = scanLevels(scps, scope, denies)
  const iam = isIamPrincipal(caller)
  const boundary = iam ? (set.boundary ?? null) : null
  const session = iam ? (set.session ?? null) : null
  const resource: ResourceAllows = { direct: [], role: [], account: [] }
  if (set.resource) scanWithPrincipal(set.resource, scope, caller, boundary !== null, denies, resource)
  const identityAllows = iam && set.identity !== undefined ? scanAll(set.identity, scope, denies) : []
  const boundaryAllows = boundary === null ? [] : scanOne(boundary, scope, denies)
  const sessionAllows = session === null ? [] : scanOne(session, scope, denies)
  const endpointAllows: StatementRef[][] = []
  for (const policy of set.endpoints ?? NONE) {
    const found: ResourceAllows = { direct: [], role: [], account: [] }
    scanWithPrincipal(policy, scope, caller, false, denies, found)
    endpointAllows.push(found.direct.concat(found.role))
  }
  if (denies.length > 0) return withExempt({ decision: 'explicitDeny', statements: denies }, exempt)

  const grant = decideGrant({
    caller,
    resourceAccount,
    scope,
    resourceGiven: Boolean(set.resource),
    resource,
    identity: identityAllows,
    boundary: boundary === null ? null : boundaryAllows,
    session: session === null ? null : sessionAllows,
  })
  const missing: Gap[] = gaps(scpAllows, 'scp', gaps(rcpAllows, 'rcp', []))
  for (const gap of grant.missing) missing.push(gap)
  gaps(endpointAllows, 'endpoint', missing)
  const statements: StatementRef[] = []
  append(statements, rcpAllows)
  append(statements, scpAllows)
  if (missing.length > 0) {
    // implicitDeny: every Allow that applied, so a reader sees what did match
    const { direct, role, account } = resource
    append(statements, [direct, role, account, identityAllows, boundaryAllows, sessionAllows])
    append(statements, endpointAllows)
    return withExempt({ decision: 'implicitDeny', statements, missing }, exempt)
  }
  append(statements, [grant.statements])
  append(statements, endpointAllows)
  return withExempt({ decision: 'allowed', statements }, exempt)
}

const NONE: readonly never[] = []

function append(out: StatementRef[], lists: readonly (readonly StatementRef[])[]): void {
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i]!
    for (let j = 0; j < list.length; j++) out.push(list[j]!)
  }
}

/** The levels when they apply; none (and the exemption recorded) when they do not. */
function applicable<T>(levels: readonly T[], exemption: Exemption | undefined, exempt: Exemption[]): readonly T[] {
  if (exemption === undefined) return levels
  exempt.push(exemption)
  return NONE
}

function withExempt(result: AccessResult, exempt: Exemption[]): AccessResult {
  return exempt.length > 0 ? { ...result, exempt } : result
}

function scanLevels(
  levels: readonly (readonly CompiledPolicy[])[],
  scope: RequestScope,
  denies: StatementRef[],
): StatementRef[][] {
  const out: StatementRef[][] = []
  for (let i = 0; i < levels.length; i++) out.push(scanAll(levels[i]!, scope, denies))
  return out
}

function scanOne(policy: CompiledPolicy, scope: RequestScope, denies: StatementRef[]): StatementRef[] {
  const allows: StatementRef[] = []
  scan(policy, scope, denies, allows)
  return allows
}

function scanAll(policies: readonly CompiledPolicy[], scope: RequestScope, denies: StatementRef[]): StatementRef[] {
  const allows: StatementRef[] = []
  for (let i = 0; i < policies.length; i++) scan(policies[i]!, scope, denies, allows)
  return allows
}

/** Adds a gap to `out` for each level (or endpoint) without an Allow; returns `out`. */
function gaps(levels: readonly StatementRef[][], kind: PolicyKind, out: Gap[]): Gap[] {
  for (let level = 0; level < levels.length; level++) if (levels[level]!.length === 0) out.push({ kind, level })
  return out
}
