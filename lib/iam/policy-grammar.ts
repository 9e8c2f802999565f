/**
 * What each kind of policy may contain, as its documentation states:
 * - identity-based policies, boundaries and session policies never name a principal
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 * - resource-based and VPC endpoint policies must (endpoint policies: "It must contain a Principal element",
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html);
 * - SCPs have no Principal and must say "Version": "2012-10-17"
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html);
 * - RCPs have Principal "*" only, no NotPrincipal, no NotAction, and must say "Version": "2012-10-17"
 *   (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
 */
import type { PolicyKind } from './types'

export type Grammar = {
  /** none: Principal/NotPrincipal not allowed; required: one of them; star: Principal "*" only */
  readonly principal: 'none' | 'required' | 'star'
  /** a statement needs Resource or NotResource */
  readonly resourceRequired: boolean
  /** the document must say "Version": "2012-10-17" */
  readonly version2012: boolean
  readonly notAction: boolean
}

const NO_PRINCIPAL: Grammar = { principal: 'none', resourceRequired: true, version2012: false, notAction: true }
const WITH_PRINCIPAL: Grammar = { principal: 'required', resourceRequired: false, version2012: false, notAction: true }

export const GRAMMARS: Readonly<Record<PolicyKind, Grammar>> = {
  identity: NO_PRINCIPAL,
  boundary: NO_PRINCIPAL,
  session: NO_PRINCIPAL,
  resource: WITH_PRINCIPAL,
  endpoint: WITH_PRINCIPAL,
  scp: { ...NO_PRINCIPAL, version2012: true },
  rcp: { principal: 'star', resourceRequired: false, version2012: true, notAction: false },
}

/** Human name of a kind, for error messages. */
export const KIND_NAMES: Readonly<Record<PolicyKind, string>> = {
  identity: 'an identity',
  boundary: 'a permissions boundary',
  session: 'a session',
  resource: 'a resource-based',
  endpoint: 'a VPC endpoint',
  scp: 'a service control',
  rcp: 'a resource control',
}
