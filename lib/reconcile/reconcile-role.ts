/**
 * Level-triggered reconcile of one role: re-read it, find the environments that use it (live GetEnvironment
 * descriptions, validated), derive their baselines, evaluate, then act by mode (alert: report; heal: plan, write,
 * verify, report; off: evaluate only). Nothing from the triggering event decides what is written.
 */
// Direct imports: the baseline index also exports the extras parser, which would bring yaml into the Lambda.
import { deriveBaseline } from '../baseline/derive-baseline'
import { extrasFor } from '../baseline/extras-file'
import type { MwaaEnvironment } from '../baseline/types'
import { modeOf } from '../config'
import type { Change } from '../events'
import { findDrift } from '../drift/find-drift'
import { planHeal, type ManagedPolicyCandidate } from '../drift/plan-heal'
import type { RoleState } from '../drift/types'
import { environmentsUsingRole } from './environments'
import { heal, healLimits } from './heal'
import { notifyModeChange, notifyRefused } from './notices'
import { readFresh } from './read-fresh'
import type { Deps, RoleResult } from './types'

export type RoleTrigger = {
  roleName: string
  change?: Change
  /** what a fresh read must show (the event's own effect), see readFresh */
  reflects?: (role: RoleState) => boolean
  /** a managed policy the event detached: a heal may re-attach it */
  detachedPolicyArn?: string
  /** a Create/UpdateEnvironment of an environment using this role is in progress: its alert is a preflight */
  preflight?: boolean
  /** the event changed the role's mode tag: alert it (who, from where, the new mode) */
  modeChange?: boolean
}

/** Reconciles one role and says what happened; throws only for the unexpected (the Lambda then retries). */
export async function reconcileRole(deps: Deps, trigger: RoleTrigger): Promise<RoleResult> {
  const base = { role: trigger.roleName, findings: 0, writes: [] as string[], blocked: 0, alerted: false }
  const read = await readFresh(deps, trigger.roleName, trigger.reflects, trigger.change?.time)
  if (read.kind === 'not-found') {
    deps.log.debug('role not found; nothing to reconcile', { role: trigger.roleName })
    return { ...base, environments: [], result: 'role-not-found' }
  }
  const role = read.role
  const deployment = await deps.deployment()
  const { located, refused } = await environmentsUsingRole(deps, deployment, role.name)
  const environments = located.map((l) => l.environment.Name)
  const { mode, warning, note } = modeOf(role, deps.config)
  let alerted = false
  if (refused.length > 0) alerted = await notifyRefused(deps, { role, mode, refused, change: trigger.change })
  if (located.length === 0) {
    deps.log.debug('no environment (with data that can be used) uses this role; nothing to reconcile', {
      role: role.arn,
    })
    const result = refused.length > 0 ? ('refused' as const) : ('no-environment' as const)
    return { ...base, roleArn: role.arn, environments, result, alerted }
  }
  if (warning) deps.log.warn(warning, { role: role.arn })
  if (note) deps.log.info(note, { role: role.arn })
  if (trigger.modeChange)
    alerted = (await notifyModeChange(deps, { role, mode, located, change: trigger.change })) || alerted
  const result: RoleResult = {
    ...base,
    roleArn: role.arn,
    environments,
    mode,
    result: 'healthy',
    alerted,
    preflight: trigger.preflight === true,
  }
  const baselines = located.map((l) => baselineOf(deps, l.environment))
  const report = findDrift(role, baselines)
  result.findings = report.findings.length
  if (mode === 'off') {
    // Evaluated, not alerted: the sweep's summary lists off roles that drifted.
    deps.log.debug('mode off; evaluated, not alerted', { role: role.arn, findings: report.findings.length })
    return { ...result, result: 'off' }
  }
  // The alert's reader must know the check was partial (EXTRAS_PARAMETER could not be used) and why a mode applies.
  if (deps.extrasSkipped)
    report.warnings.unshift(`extras not checked (only the MWAA baseline was): ${deps.extrasSkipped}`)
  if (note) report.warnings.unshift(note)
  // A heal may re-attach the policy the event detached; the alert-mode proposal must say so too.
  const detached = trigger.detachedPolicyArn ? await detachedCandidate(deps, trigger.detachedPolicyArn) : []
  const plan = planHeal({
    role,
    baselines,
    findings: report.findings,
    catalogue: deps.catalogue,
    detached,
    limits: healLimits(deps),
  })
  // A healthy role is done, unless heal mode has a restore policy to converge (it holds more than is missing).
  if (report.findings.length === 0 && (mode !== 'heal' || plan.writes.length === 0)) {
    deps.log.info('role grants everything its environments need', {
      role: role.arn,
      environments,
      evaluated: report.evaluated,
    })
    return result
  }
  const alertBase = {
    kind: trigger.preflight ? ('preflight' as const) : ('drift' as const),
    role: { arn: role.arn, name: role.name },
    environments: located.map((l) => ({ name: l.environment.Name, region: l.region })),
    mode,
    change: trigger.change,
  }
  if (mode === 'alert') {
    // The plan is pure and cheap: it tells the reader what a heal would do and what no heal can fix.
    await deps.notify({
      ...alertBase,
      report,
      outcome: 'reported',
      writes: [],
      proposed: plan.writes,
      blocked: plan.blocked,
    })
    deps.log.info('drift reported', { role: role.arn, findings: report.findings.length })
    return { ...result, result: 'reported', alerted: true, blocked: plan.blocked.length }
  }
  const outcome = await heal(deps, { role, baselines, report, detached, plan })
  if (outcome.outcome === 'dry-run')
    return { ...result, result: 'dry-run', blocked: plan.blocked.length, wouldWrite: outcome.wouldWrite }
  // The alert says what drifted ("What was missing ... restored"): the report found before the heal. Only a failed
  // heal reports the re-read, since what it managed is known only from there.
  const alertReport = outcome.outcome === 'failed' ? outcome.report : report
  await deps.notify({
    ...alertBase,
    report: alertReport,
    outcome: outcome.outcome,
    writes: outcome.writes,
    blocked: outcome.blocked,
    error: outcome.error,
  })
  return {
    ...result,
    result: outcome.outcome,
    writes: outcome.writes.map((w) => w.kind),
    blocked: outcome.blocked.length,
    alerted: true,
    ...(outcome.error ? { error: outcome.error } : {}),
  }
}

/** The baseline of a validated, live environment (plus the extras that apply to it). */
export function baselineOf(deps: Deps, environment: MwaaEnvironment) {
  const extras = deps.extras ? extrasFor(deps.extras, environment.Name) : []
  return deriveBaseline(environment, { catalogue: deps.catalogue, extras })
}

async function detachedCandidate(deps: Deps, policyArn: string): Promise<ManagedPolicyCandidate[]> {
  const policy = await deps.iam.readManagedPolicy(policyArn)
  return policy ? [policy] : []
}
