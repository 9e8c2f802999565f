/**
 * Scanning a policy whose statements name principals (resource-based and VPC endpoint policies): which statements
 * apply to the caller, and how they name it.
 */
import type { Caller } from './caller'
import type { CompiledPolicy } from './compile-policy'
import type { ResourceAllows } from './decide-grant'
import { matchesRequest } from './evaluate'
import { Match, principalMatch } from './principal'
import type { RequestScope } from './request-scope'
import type { StatementRef } from './types'

/** Scans a policy with Principal elements, sorting its Allows by how they name the caller. */
export function scanWithPrincipal(
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
