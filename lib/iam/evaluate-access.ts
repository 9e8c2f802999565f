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
import { type Caller, isIamPrincipal, roleInAccount } from './caller'
import { withCallerContext } from './caller-context'
import type { CompiledPolicy } from './compile-policy'
import { decideGrant, type ResourceAllows } from './decide-grant'
import { matchesRequest, scan } from './evaluate'
import { type Exemption, rcpExemption, scpExemption } from './organization-scope'
import { Match, principalMatch } from './principal'
import { RequestScope } from './request-scope'
import { serviceRule } from './service-rules'
import type { PolicyKind, StatementRef } from './types'

/** Evaluates one request against every policy type that applies to it. */
export function evaluateAccess(set: PolicySet, request: AccessRequest): AccessResult {
  const resourceAccount = request.resourceAccount ?? arnAccount(request.resource) ?? request.caller?.account
  const caller = request.caller ?? roleInAccount(resourceAccount)
  const context =
    request.caller === undefined ? request.context : withCallerContext(request.context, caller, resourceAccount)
  const scope = new RequestScope({ action: request.action, resource: request.resource, context })
  const awsManagedKey = request.awsManagedKey === true
  const rule = serviceRule(scope.action, scope.resource, caller, awsManagedKey)
  if (rule !== undefined) {
    return { decision: rule.effect === 'allow' ? 'allowed' : 'explicitDeny', statements: [], rule }
  }

  const exempt: Exemption[] = []
  const levels = (given: PolicySet['scps'], exemption: Exemption | undefined) => {
    if (given === undefined || given === null) return []
    if (exemption === undefined) return given
    exempt.push(exemption)
    return []
  }
  const rcps = levels(
    set.rcps,
    rcpExemption(
      scope.service,
      scope.action,
      scope.resource,
      caller,
      resourceAccount,
      set.managementAccount,
      awsManagedKey,
    ),
  )
  const scps = levels(set.scps, scpExemption(caller, set.managementAccount))

  // flow-chart order: RCPs, SCPs, resource-based policy, identity-based, boundary, session policy (then endpoints)
  const denies: StatementRef[] = []
  const rcpAllows = rcps.map((level) => scanAll(level, scope, denies))
  const scpAllows = scps.map((level) => scanAll(level, scope, denies))
  const iam = isIamPrincipal(caller)
  const boundary = iam ? (set.boundary ?? null) : null
  const session = iam ? (set.session ?? null) : null
  const resource: ResourceAllows = { direct: [], role: [], account: [] }
  if (set.resource) scanWithPrincipal(set.resource, scope, caller, boundary !== null, denies, resource)
  const identityAllows = iam ? scanAll(set.identity ?? [], scope, denies) : []
  const boundaryAllows = boundary === null ? [] : scanAll([boundary], scope, denies)
  const sessionAllows = session === null ? [] : scanAll([session], scope, denies)
  const endpointAllows = (set.endpoints ?? []).map((p) => {
    const found: ResourceAllows = { direct: [], role: [], account: [] }
    scanWithPrincipal(p, scope, caller, false, denies, found)
    return found.direct.concat(found.role)
  })
  const done = (result: AccessResult): AccessResult => (exempt.length > 0 ? { ...result, exempt } : result)
  if (denies.length > 0) return done({ decision: 'explicitDeny', statements: denies })

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
  const missing: Gap[] = [...gaps(rcpAllows, 'rcp'), ...gaps(scpAllows, 'scp'), ...grant.missing]
  missing.push(...gaps(endpointAllows, 'endpoint'))
  const guards = (all: StatementRef[][]) => all.flat()
  if (missing.length > 0) {
    const applied = [
      ...guards(rcpAllows),
      ...guards(scpAllows),
      ...resource.direct,
      ...resource.role,
      ...resource.account,
      ...identityAllows,
      ...boundaryAllows,
      ...sessionAllows,
      ...guards(endpointAllows),
    ]
    return done({ decision: 'implicitDeny', statements: applied, missing })
  }
  const statements = [...guards(rcpAllows), ...guards(scpAllows), ...grant.statements, ...guards(endpointAllows)]
  return done({ decision: 'allowed', statements })
}

function scanAll(policies: readonly CompiledPolicy[], scope: RequestScope, denies: StatementRef[]): StatementRef[] {
  const allows: StatementRef[] = []
  for (let i = 0; i < policies.length; i++) scan(policies[i]!, scope, denies, allows)
  return allows
}

/** Scans a policy with Principal elements, sorting its Allows by how they name the caller. */
function scanWithPrincipal(
  policy: CompiledPolicy,
  scope: RequestScope,
  caller: Caller,
  hasBoundary: boolean,
  denies: StatementRef[],
  allows: ResourceAllows,
): void {
  const list = policy.byService.get(scope.service) ?? policy.anyService
  for (const st of list) {
    let match = st.principal === null ? Match.direct : principalMatch(st.principal, caller)
    // an account in a VPC endpoint policy's Principal names the account's root user only, not its roles and users
    // (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#vpc-endpoint-policies-gateway)
    if (match === Match.account && policy.kind === 'endpoint') match = Match.none
    if (st.notPrincipal) {
      // NotPrincipal spares only the caller it names itself: a session by its own ARN (naming its role or account
      // does not, reference_policies_elements_notprincipal.html); and it never spares an IAM principal that has a
      // permissions boundary (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
      if (match === Match.direct && !(hasBoundary && policy.kind === 'resource')) continue
    } else if (match === Match.none) continue
    if (!matchesRequest(st, scope)) continue
    if (!st.allow) denies.push(st.ref)
    else if (match === Match.direct) allows.direct.push(st.ref)
    else if (match === Match.role) allows.role.push(st.ref)
    else allows.account.push(st.ref)
  }
}

function gaps(levels: readonly StatementRef[][], kind: PolicyKind): Gap[] {
  const out: Gap[] = []
  levels.forEach((allows, level) => {
    if (allows.length === 0) out.push({ kind, level })
  })
  return out
}

/** The account field of an ARN; undefined when it has none (S3 buckets and objects, "*", AWS managed policies). */
export function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined
  const account = arn.split(':', 5)[4]
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined
}
