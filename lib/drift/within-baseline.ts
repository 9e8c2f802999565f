/**
 * Is a policy no broader than what the baselines grant? Used before a heal re-attaches a detached managed policy:
 * the remediator never grants more than the baseline (brief: "heal that never grants more than the baseline").
 *
 * Each Allow statement is expanded to concrete (action, resource, context) requests and every one must be allowed by
 * the baseline policies. A resource pattern is used literally as the request resource: a baseline pattern made of
 * literal text and `*` that matches the candidate's text covers every ARN the candidate covers, because each `*` of
 * the candidate can only be absorbed by a `*` of the baseline. Anything we cannot expand soundly (NotAction,
 * NotResource, an action pattern unknown to the catalogue, a condition operator other than StringEquals/StringLike)
 * counts as broader: the answer errs towards "do not re-attach".
 */
import { compilePolicy, evaluateRequest, type CompiledPolicy } from '../iam'
import type { PolicyDocument, PolicyStatement, RequestContext } from '../iam/types'
import type { Baseline } from '../baseline/types'
import type { Catalogue } from '../catalogue'

/** Compiles the union of the baselines' policies, as identity policies. */
export function compileBaselines(baselines: readonly Baseline[]): CompiledPolicy[] {
  return baselines.map((b) => compilePolicy(b.policy, `baseline:${b.environment.name}`, 'identity'))
}

/** The first request the document allows that the baselines do not, or undefined when it is within them. */
export function firstGrantBeyond(
  document: PolicyDocument,
  baselinePolicies: readonly CompiledPolicy[],
  catalogue: Catalogue,
): string | undefined {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue // a Deny only narrows
    const beyond = statementBeyond(statement, baselinePolicies, catalogue)
    if (beyond) return beyond
  }
  return undefined
}

function statementBeyond(statement: PolicyStatement, baseline: readonly CompiledPolicy[], catalogue: Catalogue): string | undefined {
  if (statement.NotAction !== undefined) return 'a NotAction statement'
  if (statement.NotResource !== undefined) return 'a NotResource statement'
  const contexts = contextsOf(statement)
  if (!contexts) return 'a condition other than StringEquals/StringLike'
  for (const pattern of asList(statement.Action)) {
    const actions = catalogue.expand(pattern)
    if (actions.length === 0) return `action ${pattern}`
    for (const action of actions)
      for (const resource of asList(statement.Resource))
        for (const context of contexts) {
          const result = evaluateRequest({ identity: baseline }, { action, resource, context })
          if (result.decision !== 'allowed') return `${action} on ${resource}`
        }
  }
  return undefined
}

/** One request context per combination of single condition values (values of one key are ORed). */
function contextsOf(statement: PolicyStatement): RequestContext[] | undefined {
  let contexts: RequestContext[] = [{}]
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    if (!/^String(Equals|Like)$/.test(operator)) return undefined
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map(String)
      contexts = contexts.flatMap((c) => values.map((v) => ({ ...c, [key]: v })))
    }
  }
  return contexts
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
