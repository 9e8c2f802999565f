/**
 * Checks for user extras: every expanded action on each of its statement's resources that it can apply to (by the
 * catalogue's resource types), once per request context the statement's simple conditions describe.
 * Supported conditions: StringEquals and StringLike; each value of a key gives one context (values are ORed,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html),
 * keys combine. A value with wildcards is used literally, like a resource with wildcards.
 */
import type { Catalogue } from '../catalogue/types'
import type { PolicyStatement } from '../iam/types'
import { check } from './check'
import type { ExtraStatement } from './extras-file'
import { Feature, type EnvironmentRef, type RequiredCheck } from './types'
import { conditionContexts } from '../iam/condition-contexts'

const SHOWN = 5

/** Fills `${Partition}`, `${Region}`, `${Account}`, `${EnvironmentName}` with the environment's values. */
export function fillPlaceholders(value: string, ref: EnvironmentRef): string {
  const values: Record<string, string> = {
    Partition: ref.partition,
    Region: ref.region,
    Account: ref.accountId,
    EnvironmentName: ref.name,
  }
  return value.replace(/\$\{(Partition|Region|Account|EnvironmentName)\}/g, (_, name: string) => values[name]!)
}

function filledStatement(statement: PolicyStatement, ref: EnvironmentRef): PolicyStatement {
  const fill = (v: string | string[] | undefined) =>
    v === undefined ? undefined : Array.isArray(v) ? v.map((x) => fillPlaceholders(x, ref)) : fillPlaceholders(v, ref)
  const out: PolicyStatement = { ...statement, Resource: fill(statement.Resource) }
  if (statement.Condition) {
    out.Condition = Object.fromEntries(
      Object.entries(statement.Condition).map(([op, block]) => [
        op,
        Object.fromEntries(
          Object.entries(block).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.map((x) => fillPlaceholders(String(x), ref)) : fillPlaceholders(String(v), ref),
          ]),
        ),
      ]),
    )
  }
  return out
}

export type ExtrasOutcome = { statements: PolicyStatement[]; checks: RequiredCheck[]; warnings: string[] }

/** Policy statements (placeholders filled), checks and warnings for an environment's extras. */
export function extrasChecks(
  extras: readonly ExtraStatement[],
  ref: EnvironmentRef,
  catalogue: Catalogue,
): ExtrasOutcome {
  const outcome: ExtrasOutcome = { statements: [], checks: [], warnings: [] }
  for (const extra of extras) {
    const statement = filledStatement(extra.statement, ref)
    outcome.statements.push(statement)
    const resources =
      statement.Resource === undefined
        ? []
        : Array.isArray(statement.Resource)
          ? statement.Resource
          : [statement.Resource]
    // The extras validator admits only StringEquals/StringLike, so every condition here yields contexts.
    const contexts = conditionContexts(statement.Condition) ?? []
    const unchecked: string[] = []
    for (const action of extra.actions) {
      const applicable = resources.filter((r) => catalogue.appliesTo(action, r))
      if (applicable.length === 0) unchecked.push(action)
      for (const resource of applicable) {
        for (const context of contexts) {
          outcome.checks.push(check({ feature: Feature.extra, statement: extra.sid, action, resource, context }))
        }
      }
    }
    if (unchecked.length > 0) {
      const shown =
        unchecked.slice(0, SHOWN).join(', ') +
        (unchecked.length > SHOWN ? `, and ${unchecked.length - SHOWN} more` : '')
      outcome.warnings.push(
        `${extra.origin}: ${unchecked.length} of ${extra.actions.length} actions cannot apply to the statement's resources ` +
          `(by their resource types), so they are not checked: ${shown}`,
      )
    }
  }
  return outcome
}
