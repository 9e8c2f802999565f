/**
 * Heal: take the plan (never broader than the baselines, never touching a Deny or a boundary), check it in the core
 * before writing (it must fix every healable finding on paper, and pass the write guard), write, re-read until IAM
 * shows the writes, and evaluate again. A dry run stops before the first write and says what it would write.
 * A write refused for good (AccessDenied, MalformedPolicyDocument, an IAM quota) is the outcome `failed`, told once; a
 * retryable one (throttled, a 5xx) is thrown, as is a failed verification read: the caller's retry re-reads the role
 * and writes only what is still missing, and the write-ahead intent tells what this run wrote.
 */
import type { Baseline } from '../baseline/types'
import { applyPlan } from '../drift/apply-plan'
import { findDrift } from '../drift/find-drift'
import { isHealable, type DriftReport, type Finding } from '../drift/findings'
import type { HealLimits } from '../drift/heal-limits'
import type { HealPlan, HealWrite, ManagedPolicyCandidate } from '../drift/plan-heal'
import { unsafeWrites } from '../drift/write-guard'
import { actionLevels } from '../catalogue/action-levels'
import { describeWrite } from '../report/describe'
import type { RoleState } from '../drift/types'
import { samePolicy } from '../events'
import { readFresh } from './read-fresh'
import { describeError, isRetryable } from './retry-later'
import type { Deps, Outcome, RunContext } from './types'

export type HealInput = {
  role: RoleState
  baselines: Baseline[]
  report: DriftReport
  detached: ManagedPolicyCandidate[]
  plan: HealPlan
}
export type HealOutcome =
  | {
      outcome: Exclude<Outcome, 'critical' | 'reported' | 'refused' | 'noted'>
      report: DriftReport
      writes: HealWrite[]
      blocked: HealPlan['blocked']
      error?: string
      /** the role as the verification read showed it (healed, partially healed) */
      role?: RoleState
    }
  | { outcome: 'dry-run'; wouldWrite: string[] }

/** The limits a heal works within: HEAL_EXTRAS, and the catalogue the function ships. */
export function healLimits(deps: Pick<Deps, 'config'>): HealLimits {
  return { healExtras: deps.config.healExtras, levels: actionLevels() }
}

/** Checks, writes, verifies; the outcome says healed / partially-healed / blocked / failed (or dry-run). */
export async function heal(deps: Deps, run: RunContext, input: HealInput): Promise<HealOutcome> {
  const { role, baselines, report, detached, plan } = input
  for (const note of plan.notes) deps.log.info(note, { role: role.arn })
  if (plan.writes.length === 0) return { outcome: 'blocked', report, writes: [], blocked: plan.blocked }

  // Independent of how the plan was made: nothing outside the live environments' baselines is ever written.
  const unsafe = unsafeWrites(plan, { role, baselines, catalogue: run.catalogue, levels: actionLevels() })
  if (unsafe.length > 0) {
    const error = `heal plan refused by the write guard (${unsafe.length} problem(s)); nothing written`
    deps.log.error(error, { role: role.arn, problems: unsafe })
    return { outcome: 'failed', report, writes: [], blocked: plan.blocked, error }
  }

  // The plan must fix every healable finding on paper before anything is written.
  // Findings the plan blocks (a Deny, a boundary, an extras permission the limits forbid) stay, by design.
  const blocked = new Set(plan.blocked.map((b) => findingKey(b.finding)))
  const healable = (f: Finding) => isHealable(f) && !blocked.has(findingKey(f))
  const planned = findDrift(applyPlan(role, plan, detached), baselines)
  const unfixed = planned.findings.filter(healable)
  if (unfixed.length > 0) {
    const error = `heal plan would leave ${unfixed.length} healable finding(s); nothing written`
    deps.log.error(error, { role: role.arn, unfixed: unfixed.map((f) => f.check.id) })
    return { outcome: 'failed', report, writes: [], blocked: plan.blocked, error }
  }

  if (deps.dryRun) {
    deps.log.info('dry run: nothing written', { role: role.arn, writes: plan.writes.map(describeWrite) })
    return { outcome: 'dry-run', wouldWrite: plan.writes.map(describeWrite) }
  }

  const done: HealWrite[] = []
  try {
    for (const write of plan.writes) {
      await perform(deps, role.name, write)
      done.push(write)
      deps.log.info('heal write done', { role: role.arn, write: write.kind })
    }
  } catch (error) {
    const message = describeError(error)
    if (isRetryable(error)) {
      deps.log.warn('heal write failed retryably; the role is reconciled again later', {
        role: role.arn,
        error: message,
        written: done.length,
      })
      throw error
    }
    deps.log.error('heal write failed', { role: role.arn, error: message })
    return { outcome: 'failed', report, writes: done, blocked: plan.blocked, error: message }
  }

  const reread = await readFresh(deps, role.name, { reflects: (state) => showsWrites(state, done) })
  if (reread.kind === 'not-found')
    return { outcome: 'failed', report, writes: done, blocked: plan.blocked, error: 'role deleted during heal' }
  const after = findDrift(reread.role, baselines)
  const left = after.findings.filter(healable)
  if (left.length > 0) {
    return {
      outcome: 'failed',
      report: after,
      writes: done,
      blocked: plan.blocked,
      error: `${left.length} permission(s) still missing after the heal`,
    }
  }
  return {
    outcome: after.findings.length === 0 ? 'healed' : 'partially-healed',
    report: after,
    writes: done,
    blocked: plan.blocked,
    role: reread.role,
  }
}

async function perform(deps: Deps, roleName: string, write: HealWrite): Promise<void> {
  switch (write.kind) {
    case 'attach-managed-policy':
      return deps.iam.attachRolePolicy(roleName, write.policyArn)
    case 'update-trust-policy':
      return deps.iam.updateAssumeRolePolicy(roleName, write.document)
    case 'put-inline-policy':
    case 'restore-inline-policy':
      return deps.iam.putRolePolicy(roleName, write.policyName, write.document)
    case 'delete-inline-policy':
      return deps.iam.deleteRolePolicy(roleName, write.policyName)
  }
}

/** A re-read reflects our writes once every one of them is visible. */
function showsWrites(state: RoleState, writes: readonly HealWrite[]): boolean {
  return writes.every((w) => showsWrite(state, w))
}

function showsWrite(state: RoleState, w: HealWrite): boolean {
  switch (w.kind) {
    case 'attach-managed-policy':
      return state.attachedPolicies.some((p) => p.arn === w.policyArn)
    case 'update-trust-policy':
      return samePolicy(state.trustPolicy, w.document)
    case 'put-inline-policy':
    case 'restore-inline-policy':
      return state.inlinePolicies.some((p) => p.name === w.policyName && samePolicy(p.document, w.document))
    case 'delete-inline-policy':
      return !state.inlinePolicies.some((p) => p.name === w.policyName)
  }
}

/** A finding's identity across evaluations: environment and check. */
function findingKey(f: Finding): string {
  return `${f.environment}\n${f.check.id}`
}
