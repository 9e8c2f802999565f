/** Inputs and outputs of the full evaluator (evaluateAccess): every policy type, the caller, the resource's account. */
import type { Caller } from './caller'
import type { CompiledPolicy } from './compile-policy'
import type { Exemption } from './organization-scope'
import type { ServiceRule } from './service-rules'
import type { Decision, PolicyKind, RequestContext, StatementRef } from './types'

/** Every document that can apply to a request. Absent or null means "none of this type". */
export type PolicySet = {
  readonly identity?: readonly CompiledPolicy[]
  readonly boundary?: CompiledPolicy | null
  /** the session policy of a role session (AssumeRole's Policy/PolicyArns), compiled as one document */
  readonly session?: CompiledPolicy | null
  /** the resource's own policy: bucket policy, key policy, queue policy, role trust policy, ... */
  readonly resource?: CompiledPolicy | null
  /** the policies of the VPC endpoints the request goes through: each must allow */
  readonly endpoints?: readonly CompiledPolicy[]
  /** the SCPs that apply to the caller's account, one array per level from the root to the account; absent: no organization */
  readonly scps?: readonly (readonly CompiledPolicy[])[] | null
  /** the RCPs that apply to the resource's account, one array per level from the root to the account */
  readonly rcps?: readonly (readonly CompiledPolicy[])[] | null
  /** the organization's management account: neither SCPs nor RCPs apply to it */
  readonly managementAccount?: string
}

export type AccessRequest = {
  readonly action: string
  readonly resource: string
  readonly context?: RequestContext
  /** who asks; default: a session of a role in the resource's account (then the context is used as given) */
  readonly caller?: Caller
  /**
   * the account that owns the resource; default: the ARN's account, else (S3, "*") the caller's. A resource AWS owns in
   * its own account (MWAA's Celery queue, an AWS owned KMS key) makes the request cross-account, with a resource policy
   * nobody can read: to check the caller's side only, pass the caller's account (and no RCPs, which do not apply there).
   */
  readonly resourceAccount?: string
  /** the resource is an AWS managed KMS key (DescribeKey's KeyManager is AWS) */
  readonly awsManagedKey?: boolean
}

/** A policy type (and level: SCP/RCP level from the root, or endpoint position) that lacked a needed Allow. */
export type Gap = { readonly kind: PolicyKind; readonly level?: number }

/**
 * The outcome of evaluateAccess.
 * - explicitDeny: `statements` are every Deny that applied, of every policy type (none when a service rule decided);
 * - allowed: the Allows that made it: every SCP/RCP level's and endpoint's, and those of the grant that counted
 *   (resource policy and/or identity-based policies with the boundary and session policy that limit them);
 * - implicitDeny: every Allow that applied; `missing` names the policy types that lacked one.
 */
export type AccessResult = {
  readonly decision: Decision
  readonly statements: StatementRef[]
  readonly missing?: Gap[]
  /** a service-side rule decided, whatever the policies say */
  readonly rule?: ServiceRule
  /** SCPs/RCPs given that do not apply to this request, and why */
  readonly exempt?: Exemption[]
}
