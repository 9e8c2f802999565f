/**
 * Shared types of the IAM evaluator. Pure: no I/O, no SDK.
 * Policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** A policy document as JSON (already decoded from URL-encoding / JSON strings by the adapters). */
export type PolicyDocument = {
  Version?: string
  Id?: string
  Statement: PolicyStatement | PolicyStatement[]
}

export type PrincipalValue = '*' | Record<string, string | string[]>

export type PolicyStatement = {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Principal?: PrincipalValue
  NotPrincipal?: PrincipalValue
  Condition?: Record<string, Record<string, string | number | boolean | Array<string | number | boolean>>>
}

/** Request context values: a single value or a multi-valued key. */
export type ContextValue = string | string[]
export type RequestContext = Record<string, ContextValue>

/** A principal making the request, only used when evaluating resource-based (e.g. trust) policies. */
export type RequestPrincipal = {
  /** 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' */
  type: string
  id: string
}

/** One authorization request: action, resource, context (and the principal for resource-based policies). */
export type EvaluationRequest = {
  action: string
  resource: string
  context?: RequestContext
  principal?: RequestPrincipal
}

/**
 * What a document is, which decides its grammar (Principal or not) and its part in the evaluation:
 * identity-based, permissions boundary, session policy, resource-based (bucket, key, queue, trust policy), VPC endpoint
 * policy, service control policy, resource control policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#access_policy-types
 */
export type PolicyKind = 'identity' | 'boundary' | 'session' | 'resource' | 'endpoint' | 'scp' | 'rcp'

/** Points at one statement of one policy, so reports can say which statement decided. */
export type StatementRef = {
  policy: string
  kind: PolicyKind
  /** zero-based position of the statement in the policy's Statement array (0 when Statement is an object) */
  index: number
  sid?: string
  effect: 'Allow' | 'Deny'
}

export const Decision = {
  allowed: 'allowed',
  implicitDeny: 'implicitDeny',
  explicitDeny: 'explicitDeny',
} as const
export type Decision = (typeof Decision)[keyof typeof Decision]

/**
 * The outcome of one evaluation.
 * - explicitDeny: `statements` are the Deny statements that applied (identity or boundary).
 * - allowed: `statements` are the identity Allow statements that applied, plus the boundary Allow statements when a boundary exists.
 * - implicitDeny: `statements` are the Allows that did apply on the side that was satisfied (may be empty);
 *   `missing` says which side had no applicable Allow.
 */
export type EvaluationResult = {
  decision: Decision
  statements: StatementRef[]
  missing?: 'identity' | 'boundary' | 'identity-and-boundary'
}
