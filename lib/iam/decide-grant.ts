/**
 * Whether a request with no applicable Deny is granted, and by which statements, from the Allows of the resource
 * policy (sorted by how they name the caller) and of the identity-based policies, boundary and session policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
import type { Gap } from './access-types'
import { type Caller, isIamPrincipal } from './caller'
import type { RequestScope } from './request-scope'
import type { StatementRef } from './types'

/** A resource policy's applicable Allows: naming the caller directly, by its role's ARN, or by its account. */
export type ResourceAllows = { direct: StatementRef[]; role: StatementRef[]; account: StatementRef[] }

export type GrantInput = {
  readonly caller: Caller
  readonly resourceAccount: string | undefined
  readonly scope: RequestScope
  readonly resourceGiven: boolean
  readonly resource: ResourceAllows
  readonly identity: readonly StatementRef[]
  /** null: no boundary */
  readonly boundary: readonly StatementRef[] | null
  /** null: no session policy */
  readonly session: readonly StatementRef[] | null
}

const KMS_KEY = /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\//
const ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\//
const TRUST_ACTIONS = new Set([
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
])

/** The Gaps that keep the request from being granted (none: granted), and the statements of the grant. */
export function decideGrant(g: GrantInput): { missing: Gap[]; statements: StatementRef[] } {
  const { resource } = g
  if (!isIamPrincipal(g.caller)) {
    // a service principal or an anonymous caller has no identity: only the resource policy can grant
    return resource.direct.length > 0
      ? { missing: [], statements: resource.direct }
      : { missing: [{ kind: 'resource' }], statements: [] }
  }
  const limits: StatementRef[] = []
  const limitGaps: Gap[] = []
  if (g.boundary !== null) {
    if (g.boundary.length > 0) limits.push(...g.boundary)
    else limitGaps.push({ kind: 'boundary' })
  }
  if (g.session !== null) {
    if (g.session.length > 0) limits.push(...g.session)
    else limitGaps.push({ kind: 'session' })
  }
  const identityGaps: Gap[] = g.identity.length > 0 ? limitGaps : [{ kind: 'identity' }, ...limitGaps]
  const identityPath = identityGaps.length === 0
  const viaIdentity = g.identity.concat(limits)
  const anyResourceAllow = resource.direct.length + resource.role.length + resource.account.length > 0

  if (crossAccount(g)) {
    // both accounts must allow: the resource policy (naming the caller or its account) and the caller's policies
    const missing = anyResourceAllow ? identityGaps : [{ kind: 'resource' } as Gap, ...identityGaps]
    const statements = [...resource.direct, ...resource.role, ...resource.account, ...viaIdentity]
    return missing.length === 0 ? { missing, statements } : { missing, statements: [] }
  }
  // a grant to the session (or user) itself is not limited by implicit denies; a grant to the role's ARN is limited
  // by the boundary and session policy
  const statements: StatementRef[] = [...resource.direct]
  if (resource.role.length > 0 && limitGaps.length === 0) statements.push(...resource.role, ...limits)
  if (resourcePolicyRequired(g)) {
    // KMS key policies and role trust policies must allow: identity-based policies count only when the key or trust
    // policy delegates to the caller's account (key-policy-default.html#key-policy-default-allow-root-enable-iam)
    if (resource.account.length > 0 && identityPath) statements.push(...resource.account, ...viaIdentity)
    if (statements.length > 0) return { missing: [], statements: dedupe(statements) }
    const missing = anyResourceAllow ? (resource.account.length > 0 ? identityGaps : limitGaps) : [{ kind: 'resource' }]
    return { missing: missing as Gap[], statements: [] }
  }
  if (identityPath) statements.push(...viaIdentity)
  if (statements.length > 0) return { missing: [], statements: dedupe(statements) }
  const missing: Gap[] = [...identityGaps]
  if (g.resourceGiven && !anyResourceAllow) missing.push({ kind: 'resource' })
  return { missing, statements: [] }
}

function crossAccount(g: GrantInput): boolean {
  return g.caller.account !== undefined && g.resourceAccount !== undefined && g.caller.account !== g.resourceAccount
}

/** KMS keys and roles (for sts:AssumeRole and the other trust actions) need their own policy to allow. */
function resourcePolicyRequired(g: GrantInput): boolean {
  if (!g.resourceGiven) return false
  const { service, action, resource } = g.scope
  return (service === 'kms' && KMS_KEY.test(resource)) || (TRUST_ACTIONS.has(action) && ROLE.test(resource))
}

/** Keeps the first occurrence of each statement (a boundary may back both the identity and the role-ARN grant). */
function dedupe(refs: StatementRef[]): StatementRef[] {
  return refs.filter((r, i) => refs.indexOf(r) === i)
}
