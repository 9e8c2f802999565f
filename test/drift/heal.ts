/** One heal round as the remediator runs it: findDrift -> planHeal -> applyPlan, plus the re-check. */
import type { Baseline } from '../../lib/baseline/types'
import { applyPlan } from '../../lib/drift/apply-plan'
import { findDrift } from '../../lib/drift/find-drift'
import { isHealable } from '../../lib/drift/findings'
import { planHeal, type HealPlan, type ManagedPolicyCandidate } from '../../lib/drift/plan-heal'
import type { RoleState } from '../../lib/drift/types'
import { catalogue } from './support'

export type Round = { plan: HealPlan; healed: RoleState; after: ReturnType<typeof findDrift>; second: HealPlan }

/** Plans a heal, applies it, re-checks, and plans again on the healed role. */
export function healRound(
  role: RoleState,
  baselines: readonly Baseline[],
  detached: readonly ManagedPolicyCandidate[] = [],
): Round {
  const findings = findDrift(role, baselines).findings
  const plan = planHeal({ role, baselines, findings, catalogue, detached })
  const healed = applyPlan(role, plan, detached)
  const after = findDrift(healed, baselines)
  const second = planHeal({ role: healed, baselines, findings: after.findings, catalogue, detached })
  return { plan, healed, after, second }
}

export const healableLeft = (round: Round) => round.after.findings.filter(isHealable)
