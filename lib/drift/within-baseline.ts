/**
 * Is a policy no broader than what the baselines grant? Used before a heal re-attaches a detached managed policy:
 * the remediator never grants more than the baseline (brief: "heal that never grants more than the baseline").
 *
 * Each Allow statement is expanded to concrete (action, resource, context) requests and every one must be allowed by
 * the baseline policies. A resource pattern is used literally as the request resource: a baseline pattern made of
 * literal text and `*` that matches the candidate's text covers every ARN the candidate covers, because each `*` of
 * the candidate can only be absorbed by a `*` of the baseline. A NotResource statement is within a baseline NotResource
 * statement that allows its actions when every baseline exclusion is inside one of its own exclusions (the same
 * literal-text test, the other way round): the doc's AWS-owned-key policy is such a statement. Anything we cannot
 * expand soundly (NotAction, an action pattern unknown to the catalogue, a condition operator other than
 * StringEquals/StringLike) counts as broader: the answer errs towards "do not re-attach".
 */
import { compilePolicy, evaluateRequest, type CompiledPolicy } from '../iam'
import type { PolicyDocument, PolicyStatement, RequestContext } from '../iam/types'
import type { Baseline } from '../baseline/types'
import type { Catalogue } from '../catalogue'
import { conditionContexts } from '../iam/condition-contexts'

/** A baseline Allow with NotResource: what it excludes, and the statement with `Resource: "*"` to test actions and conditions. */
type NotResourceGrant = { excluded: string[]; grant: CompiledPolicy }

/** The baselines compiled for `firstGrantBeyond`. */
export type BaselineScope = { policies: CompiledPolicy[]; notResource: NotResourceGrant[]; hasDeny: boolean }

/** Compiles the union of the baselines' policies, as identity policies. */
export function compileBaselines(baselines: readonly Baseline[]): BaselineScope {
  const statements = baselines.flatMap((b) => b.policy.Statement)
  return {
    policies: baselines.map((b) => compilePolicy(b.policy, `baseline:${b.environment.name}`, 'identity')),
    notResource: statements
      .filter((s) => s.Effect === 'Allow' && s.NotResource !== undefined)
      .map(({ NotResource, ...rest }) => ({
        excluded: asList(NotResource),
        grant: compilePolicy({ Version: '2012-10-17', Statement: { ...rest, Resource: '*' } }, 'baseline', 'identity'),
      })),
    hasDeny: statements.some((s) => s.Effect === 'Deny'),
  }
}

/** The first request the document allows that the baselines do not, or undefined when it is within them. */
export function firstGrantBeyond(
  document: PolicyDocument,
  baseline: BaselineScope,
  catalogue: Catalogue,
): string | undefined {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue // a Deny only narrows
    const beyond = statementBeyond(statement, baseline, catalogue)
    if (beyond) return beyond
  }
  return undefined
}

function statementBeyond(
  statement: PolicyStatement,
  baseline: BaselineScope,
  catalogue: Catalogue,
): string | undefined {
  if (statement.NotAction !== undefined) return 'a NotAction statement'
  const contexts = conditionContexts(statement.Condition)
  if (!contexts) return 'a condition other than StringEquals/StringLike'
  for (const pattern of asList(statement.Action)) {
    const actions = catalogue.expand(pattern)
    if (actions.length === 0) return `action ${pattern}`
    for (const action of actions)
      for (const context of contexts) {
        if (statement.NotResource !== undefined) {
          const beyond = notResourceBeyond(asList(statement.NotResource), action, context, baseline)
          if (beyond) return beyond
          continue
        }
        for (const resource of asList(statement.Resource)) {
          const result = evaluateRequest({ identity: baseline.policies }, { action, resource, context })
          if (result.decision !== 'allowed') return `${action} on ${resource}`
        }
      }
  }
  return undefined
}

/**
 * `action` on every resource outside `excluded` is within a baseline NotResource grant that allows the action in this
 * context and whose every exclusion lies inside one of `excluded`. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 */
function notResourceBeyond(
  excluded: string[],
  action: string,
  context: RequestContext,
  baseline: BaselineScope,
): string | undefined {
  const within =
    !baseline.hasDeny &&
    baseline.notResource.some(
      (g) =>
        g.excluded.every((theirs) => excluded.some((mine) => covers(mine, theirs))) &&
        evaluateRequest({ identity: [g.grant] }, { action, resource: '*', context }).decision === 'allowed',
    )
  return within ? undefined : `${action} on every resource except ${excluded.join(', ')}`
}

/** Whether every ARN `inner` matches is matched by `outer` (literal text and `*` only in `outer`). */
function covers(outer: string, inner: string): boolean {
  if (outer.includes('?') || outer.includes('${')) return false
  const probe = compilePolicy(
    { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: outer } },
    'probe',
    'identity',
  )
  return evaluateRequest({ identity: [probe] }, { action: 'probe:Covers', resource: inner }).decision === 'allowed'
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
