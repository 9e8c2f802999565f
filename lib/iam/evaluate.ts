/**
 * Decisions for one account: an applicable Deny anywhere wins; otherwise an identity Allow is needed and,
 * when a permissions boundary is set, a boundary Allow too; otherwise the request is implicitly denied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
import type { CompiledPolicy, CompiledStatement } from './compile-policy'
import { ResourceMode } from './compile-policy'
import { conditionsHold } from './eval-condition'
import { Glob, globMatch } from './glob'
import { principalMatches } from './principal'
import { RequestScope } from './request-scope'
import type { EvaluationRequest, EvaluationResult, StatementRef } from './types'
import { resolveTemplate, type Template } from './variables'

export type IdentityPolicies = { identity: readonly CompiledPolicy[]; boundary?: CompiledPolicy | null }

/** Identity-based evaluation for a single account: identity policies + optional permissions boundary. */
export function evaluateRequest(policies: IdentityPolicies, request: EvaluationRequest): EvaluationResult {
  const scope = new RequestScope(request)
  const denies: StatementRef[] = []
  const allows: StatementRef[] = []
  for (let i = 0; i < policies.identity.length; i++) scan(policies.identity[i]!, scope, denies, allows)
  const boundary = policies.boundary ?? null
  const boundaryAllows: StatementRef[] = []
  if (boundary !== null) scan(boundary, scope, denies, boundaryAllows)
  if (denies.length > 0) return { decision: 'explicitDeny', statements: denies }
  const identityOk = allows.length > 0
  const boundaryOk = boundary === null || boundaryAllows.length > 0
  if (identityOk && boundaryOk) {
    return { decision: 'allowed', statements: boundaryAllows.length > 0 ? allows.concat(boundaryAllows) : allows }
  }
  if (boundary === null) return { decision: 'implicitDeny', statements: [], missing: 'identity' }
  if (identityOk) return { decision: 'implicitDeny', statements: allows, missing: 'boundary' }
  if (boundaryOk) return { decision: 'implicitDeny', statements: boundaryAllows, missing: 'identity' }
  return { decision: 'implicitDeny', statements: [], missing: 'identity-and-boundary' }
}

/** Resource-based policy evaluation (used for role trust policies): Principal/NotPrincipal must match request.principal. */
export function evaluateResourcePolicy(policy: CompiledPolicy, request: EvaluationRequest): EvaluationResult {
  const scope = new RequestScope(request)
  const denies: StatementRef[] = []
  const allows: StatementRef[] = []
  scan(policy, scope, denies, allows)
  if (denies.length > 0) return { decision: 'explicitDeny', statements: denies }
  if (allows.length > 0) return { decision: 'allowed', statements: allows }
  return { decision: 'implicitDeny', statements: [] }
}

/** Adds every statement of the policy that applies to the request to `denies` or `allows`. */
export function scan(
  policy: CompiledPolicy,
  scope: RequestScope,
  denies: StatementRef[],
  allows: StatementRef[],
): void {
  const list = policy.byService.get(scope.service) ?? policy.anyService
  for (let i = 0; i < list.length; i++) {
    const st = list[i]!
    if (applies(st, scope)) (st.allow ? allows : denies).push(st.ref)
  }
}

function applies(st: CompiledStatement, scope: RequestScope): boolean {
  if (st.principal !== null && principalMatches(st.principal, scope.request.principal) === st.notPrincipal) return false
  return matchesRequest(st, scope)
}

/** Whether a statement's Action, Resource and Condition apply to the request (its Principal is the caller's business). */
export function matchesRequest(st: CompiledStatement, scope: RequestScope): boolean {
  if (actionMatches(st, scope.action) === st.notAction) return false
  if (
    st.resourceMode !== ResourceMode.any &&
    resourceMatches(st, scope) !== (st.resourceMode === ResourceMode.resource)
  ) {
    return false
  }
  return st.conditions.length === 0 || conditionsHold(st.conditions, scope)
}

function actionMatches(st: CompiledStatement, action: string): boolean {
  const actions = st.actions
  for (let i = 0; i < actions.length; i++) if (actions[i]!.match(action)) return true
  return false
}

function resourceMatches(st: CompiledStatement, scope: RequestScope): boolean {
  const resources = st.resources
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i]!
    if (r instanceof Glob) {
      if (r.match(scope.resource)) return true
    } else {
      // a variable without a value makes this entry match no resource (reference_policies_variables.html)
      const p = resolveTemplate(r as Template, scope)
      if (p !== undefined && globMatch(p, scope.resource)) return true
    }
  }
  return false
}
