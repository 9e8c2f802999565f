/**
 * Level-triggered reconcile of one role: re-read it, find the environments that use it, derive their baselines,
 * evaluate, then act by mode (alert: report; heal: plan, write, verify, report; off: nothing).
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
import { environmentsUsingRole, type LocatedEnvironment } from './environments'
import { heal } from './heal'
import { readFresh } from './read-fresh'
import type { Deps, RoleResult } from './types'

export type RoleTrigger = {
  roleName: string
  change?: Change
  /** what a fresh read must show (the event's own effect), see readFresh */
  reflects?: (role: RoleState) => boolean
  /** an environment being created or updated with this role: checked even though MWAA does not list it yet */
  preflight?: LocatedEnvironment
  /** a managed policy the event detached: a heal may re-attach it */
  detachedPolicyArn?: string
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
  const located = withPreflight(await environmentsUsingRole(deps, role.name), trigger.preflight)
  const environments = located.map((l) => l.environment.Name)
  if (located.length === 0) {
    deps.log.debug('no environment uses this role; ignoring', { role: role.arn })
    return { ...base, roleArn: role.arn, environments, result: 'no-environment' }
  }
  const { mode, warning } = modeOf(role.tags, deps.config)
  if (warning) deps.log.warn(warning, { role: role.arn })
  const result: RoleResult = {
    ...base,
    roleArn: role.arn,
    environments,
    mode,
    result: 'healthy',
    preflight: trigger.preflight !== undefined,
  }
  if (mode === 'off') {
    deps.log.debug('mode off; not evaluating', { role: role.arn })
    return { ...result, result: 'off' }
  }
  const baselines = located.map((l) => baselineOf(deps, l.environment))
  const report = findDrift(role, baselines)
  // The alert's reader must know the check was partial (EXTRAS_PARAMETER could not be used).
  if (deps.extrasSkipped)
    report.warnings.unshift(`extras not checked (only the MWAA baseline was): ${deps.extrasSkipped}`)
  result.findings = report.findings.length
  if (report.findings.length === 0) {
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
  // A heal may re-attach the policy the event detached; the alert-mode proposal must say so too.
  const detached = trigger.detachedPolicyArn ? await detachedCandidate(deps, trigger.detachedPolicyArn) : []
  if (mode === 'alert') {
    // The plan is pure and cheap: it tells the reader what a heal would do and what no heal can fix.
    const plan = planHeal({ role, baselines, findings: report.findings, catalogue: deps.catalogue, detached })
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
  const outcome = await heal(deps, { role, baselines, report, detached })
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

function baselineOf(deps: Deps, environment: MwaaEnvironment) {
  const extras = deps.extras ? extrasFor(deps.extras, environment.Name) : []
  return deriveBaseline(environment, { catalogue: deps.catalogue, extras })
}

/** The environment being created/updated replaces its listed twin (the request is what it will need). */
function withPreflight(listed: LocatedEnvironment[], preflight: LocatedEnvironment | undefined): LocatedEnvironment[] {
  if (!preflight) return listed
  const others = listed.filter(
    (l) => !(l.region === preflight.region && l.environment.Name === preflight.environment.Name),
  )
  return [...others, preflight]
}

async function detachedCandidate(deps: Deps, policyArn: string): Promise<ManagedPolicyCandidate[]> {
  const policy = await deps.iam.readManagedPolicy(policyArn)
  return policy ? [policy] : []
}
