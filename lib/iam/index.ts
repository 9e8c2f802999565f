/** Local IAM policy evaluator: compile policies once, evaluate many requests. */
export { PolicyParseError } from './errors'
export { compilePolicy } from './compile-policy'
export type { CompiledPolicy, CompiledStatement } from './compile-policy'
export { evaluateRequest, evaluateResourcePolicy } from './evaluate'
export type { IdentityPolicies } from './evaluate'
export * from './types'
