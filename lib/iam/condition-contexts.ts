/**
 * The request contexts a simple Condition describes: one per combination of single values, since the values of one
 * key are ORed and the keys are ANDed
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html).
 * Only StringEquals and StringLike blocks can be turned into contexts; any other operator gives undefined.
 */
import type { PolicyStatement, RequestContext } from './types'

/** Contexts that satisfy a StringEquals/StringLike condition (values used literally), or undefined for other operators. */
export function conditionContexts(condition: PolicyStatement['Condition']): RequestContext[] | undefined {
  let contexts: RequestContext[] = [{}]
  for (const [operator, block] of Object.entries(condition ?? {})) {
    if (operator !== 'StringEquals' && operator !== 'StringLike') return undefined
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map(String)
      contexts = contexts.flatMap((c) => values.map((v) => ({ ...c, [key]: v })))
    }
  }
  return contexts
}
