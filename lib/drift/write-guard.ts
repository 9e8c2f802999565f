/**
 * The last check before anything is written, independent of how the plan was made: every write must stay inside the
 * baselines of the live environments. The restore policy holds only baseline statements narrowed (same Sid, Effect,
 * Condition; fewer actions and resources), no identity-service or Permissions management action, no wildcard resource
 * beyond the User Guide's own; a trust change only adds the MWAA principals, pinned to this account and to the live
 * environments' ARNs; a re-attached policy is a customer managed policy of the role's account; an inline policy put
 * back as it was (its document read back from storage) replaces nothing, and grants nothing beyond the baselines nor
 * anything a heal never writes. Pure.
 */
import { actionNeverHealed, resourceNeverHealed } from '../baseline/heal-limits'
import { Sid } from '../baseline/sids'
import { MWAA_SERVICE_PRINCIPALS } from '../baseline/trust-checks'
import type { Baseline } from '../baseline/types'
import type { Catalogue } from '../catalogue'
import type { ActionLevels } from '../catalogue/action-levels'
import type { PolicyStatement } from '../iam/types'
import type { HealPlan, HealWrite } from './plan-heal'
import { RESTORE_POLICY_NAME } from './restore-policy'
import type { RoleState } from './types'
import { compileBaselines, firstGrantBeyond } from './within-baseline'

export type WriteGuardInput = {
  role: RoleState
  baselines: readonly Baseline[]
  catalogue: Catalogue
  levels: ActionLevels
}

const DOC_SIDS: ReadonlySet<string> = new Set(Object.values(Sid))

/** What is wrong with the plan's writes; empty when every one stays inside the baselines. */
export function unsafeWrites(plan: HealPlan, input: WriteGuardInput): string[] {
  return plan.writes.flatMap((write) => problemsOf(write, input).map((p) => `${write.kind}: ${p}`))
}

function problemsOf(write: HealWrite, input: WriteGuardInput): string[] {
  switch (write.kind) {
    case 'put-inline-policy':
      if (write.policyName !== RESTORE_POLICY_NAME) return [`writes ${write.policyName}, not ${RESTORE_POLICY_NAME}`]
      return list(write.document.Statement).flatMap((s) => restoreStatementProblems(s, input))
    case 'delete-inline-policy':
      return write.policyName === RESTORE_POLICY_NAME ? [] : [`deletes ${write.policyName}`]
    case 'attach-managed-policy': {
      const account = input.role.arn.split(':')[4]
      const [, partition] = input.role.arn.split(':')
      return write.policyArn.startsWith(`arn:${partition}:iam::${account}:policy/`)
        ? []
        : [`${write.policyArn} is not a customer managed policy of account ${account}`]
    }
    case 'update-trust-policy':
      return trustProblems(list(input.role.trustPolicy.Statement), list(write.document.Statement), input)
    case 'restore-inline-policy':
      return exactRestoreProblems(write, input)
  }
}

/** A remembered document is data from storage: it may only come back where nothing is, and within the baselines. */
function exactRestoreProblems(
  write: Extract<HealWrite, { kind: 'restore-inline-policy' }>,
  input: WriteGuardInput,
): string[] {
  if (write.policyName === RESTORE_POLICY_NAME) return [`puts ${RESTORE_POLICY_NAME} back as remembered`]
  if (input.role.inlinePolicies.some((p) => p.name === write.policyName))
    return [`${write.policyName} exists: a remembered document never replaces a policy`]
  const problems = list(write.document.Statement).flatMap((s) => {
    if (s.Effect !== 'Allow') return []
    const where = `statement ${s.Sid ?? '(no Sid)'}`
    if (s.NotAction !== undefined) return [`${where} uses NotAction`]
    // A remembered policy keeps its own wildcards (s3:GetObject*): every action they reach is judged.
    return list(s.Action).flatMap((pattern) => {
      const actions = input.catalogue.expand(pattern)
      if (actions.length === 0) return [`${where}: ${pattern} matches no action the catalogue knows`]
      return actions.flatMap((a) => {
        const never = actionNeverHealed(a, input.levels)
        return never ? [`${where}: ${never}`] : []
      })
    })
  })
  const beyond = firstGrantBeyond(write.document, compileBaselines(input.baselines), input.catalogue)
  if (beyond) problems.push(`grants ${beyond}, beyond the baselines`)
  return problems
}

function restoreStatementProblems(s: PolicyStatement, input: WriteGuardInput): string[] {
  const where = `statement ${s.Sid ?? '(no Sid)'}`
  const sources = input.baselines.flatMap((b) => b.policy.Statement.filter((source) => sameSid(source.Sid, s.Sid)))
  if (s.Effect !== 'Allow' || s.NotAction !== undefined) return [`${where} is not a plain Allow`]
  const actions = list(s.Action)
  const problems = actions.flatMap((a) => {
    const never = actionNeverHealed(a, input.levels)
    return never ? [`${where}: ${never}`] : []
  })
  const doc = sources.length > 0 && DOC_SIDS.has(sources[0]!.Sid!)
  if (!doc)
    for (const r of list(s.Resource)) {
      const never = resourceNeverHealed(r)
      if (never) problems.push(`${where}: ${never}`)
    }
  const within = sources.some(
    (source) =>
      source.Effect === 'Allow' &&
      sameJson(source.Condition, s.Condition) &&
      sameJson(source.NotResource, s.NotResource) &&
      list(s.Resource).every((r) => list(source.Resource).includes(r)) &&
      actions.every((a) => expanded(source, input.catalogue).has(a.toLowerCase())),
  )
  if (!within) problems.push(`${where} is not a baseline statement of a live environment, narrowed`)
  return problems
}

/** The restore policy's Sid is the baseline's, or the baseline's with a number added to keep it unique (KmsViaSqsAndS32). */
function sameSid(baseline: string | undefined, written: string | undefined): boolean {
  if (baseline === undefined || written === undefined) return false
  return written === baseline || (written.startsWith(baseline) && /^\d+$/.test(written.slice(baseline.length)))
}

function expanded(source: PolicyStatement, catalogue: Catalogue): Set<string> {
  return new Set(
    list(source.Action).flatMap((p) => [p.toLowerCase(), ...catalogue.expand(p).map((a) => a.toLowerCase())]),
  )
}

/**
 * The statements before and after: the old ones in place, each unchanged or with aws:SourceArn values added; new ones
 * at the end, each Allow sts:AssumeRole for MWAA principals, pinned to the account and to live environments.
 */
function trustProblems(before: PolicyStatement[], after: PolicyStatement[], input: WriteGuardInput): string[] {
  const live = new Set(input.baselines.map((b) => b.environment.arn))
  const accounts = new Set(input.baselines.map((b) => b.environment.accountId))
  if (after.length < before.length) return ['drops trust statements']
  const problems: string[] = []
  for (const [i, s] of after.entries()) {
    const old = before[i]
    if (old && sameJson(old, s)) continue
    const where = `trust statement ${s.Sid ?? `#${i}`}`
    if (s.Effect !== 'Allow' || list(s.Action).join() !== 'sts:AssumeRole') {
      problems.push(`${where} is not an Allow of sts:AssumeRole`)
      continue
    }
    const services = typeof s.Principal === 'object' ? list(s.Principal.Service) : []
    const oldServices = old && typeof old.Principal === 'object' ? list(old.Principal.Service) : []
    const added = services.filter((p) => !oldServices.includes(p))
    if (added.some((p) => !(MWAA_SERVICE_PRINCIPALS as readonly string[]).includes(p)))
      problems.push(`${where} adds a principal other than the MWAA ones`)
    const arns = conditionValues(s, 'aws:sourcearn')
    const oldArns = old ? conditionValues(old, 'aws:sourcearn') : []
    if (arns.length === 0) problems.push(`${where} is not pinned to environments (aws:SourceArn)`)
    for (const arn of arns.filter((a) => !oldArns.includes(a)))
      if (!live.has(arn)) problems.push(`${where}: aws:SourceArn ${arn} is not a live environment's`)
    const sourceAccounts = conditionValues(s, 'aws:sourceaccount')
    if (!old && (sourceAccounts.length === 0 || sourceAccounts.some((a) => !accounts.has(a))))
      problems.push(`${where} is not pinned to this account (aws:SourceAccount)`)
  }
  return problems
}

function conditionValues(s: PolicyStatement, key: string): string[] {
  return Object.values(s.Condition ?? {}).flatMap((block) =>
    Object.entries(block).flatMap(([k, v]) => (k.toLowerCase() === key ? list(v).map(String) : [])),
  )
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}
