/**
 * A periodic, event-free pass over every execution role of the watched regions. Level-triggered reconcile makes this
 * cheap and safe, and it catches what no event in this account announces: AWS managed policies get new default
 * versions without a CloudTrail event here, and an event whose read stayed stale past its retries is caught on the
 * next sweep.
 *
 * At scale: every environment is described once (environment-index.ts) while IAM is read in bulk
 * (GetAccountAuthorizationDetails, a few calls for the whole account); every execution role is evaluated locally
 * from that read, and only the drifted ones are re-read live and reconciled through the per-role path
 * (sweep-drifted.ts), so alerts and heals are the ones an event would produce.
 */
import { modeOf } from '../config'
import { findDrift } from '../drift/find-drift'
import { planHeal } from '../drift/plan-heal'
import type { AccountRoles } from '../aws/iam'
import { indexEnvironments } from './environment-index'
import { withExtras } from './extras'
import { healLimits } from './heal'
import { baselineOf } from './reconcile-role'
import { describeError, retryLater } from './retry-later'
import { reconcileNow, reconcilePending, type DriftedRoleStep, type PendingRole } from './sweep-drifted'
import { sweepOrder } from './sweep-order'
import { totalsOf, type SweepSummary } from './sweep-summary'
import type { Deps, RoleEnvironments, RoleResult } from './types'

export { sweepFailed, type SweepSummary } from './sweep-summary'

export type SweepOptions = {
  /** epoch ms after which no role is started (the Lambda's end, less the time one role can take) */
  deadline?: number
  /** what to do with a role found drifted (default: re-read it live and reconcile it now) */
  step?: DriftedRoleStep
}

/** Reconciles each distinct execution role once; what fails or is not reached is reported, never swallowed. */
export async function sweep(deps: Deps, options: SweepOptions = {}): Promise<SweepSummary> {
  const now = () => (deps.now ?? (() => new Date()))().getTime()
  const started = now()
  const before = { ...(deps.counter?.totals ?? { calls: 0, throttled: 0 }) }
  // IAM's bulk read does not wait for MWAA's descriptions.
  const [index, bulk] = await Promise.all([indexEnvironments(deps), readBulk(deps)])
  const run =
    index.roles.length > 0 ? await withExtras({ ...deps, environments: index }) : { ...deps, environments: index }

  const results: RoleResult[] = []
  const pending: PendingRole[] = []
  for (const { roleName, ...environments } of index.roles) {
    const outcome = await evaluate(run, bulk, roleName, environments)
    if ('result' in outcome) results.push(outcome)
    else pending.push(outcome)
  }
  const live = await reconcilePending(
    run,
    sweepOrder(pending, (p) => p.roleName.toLowerCase(), started),
    {
      step: options.step ?? reconcileNow,
      deadline: options.deadline,
      now,
    },
  )
  results.push(...live.results)
  results.sort((a, b) => a.role.localeCompare(b.role))

  const after = deps.counter?.totals ?? { calls: 0, throttled: 0 }
  const failures = [...index.failures]
  const totals = totalsOf({
    environments: index.environments,
    roles: results,
    failures,
    notReached: live.notReached,
    calls: after.calls - before.calls,
    throttled: after.throttled - before.throttled,
    seconds: Math.round((now() - started) / 100) / 10,
  })
  return {
    status: 'swept',
    totals,
    environments: index.environments,
    roles: results,
    offDrifted: results
      .filter((r) => r.result === 'off' && r.findings > 0)
      .map((r) => ({ role: r.role, environments: r.environments, findings: r.findings })),
    failures,
    notReached: live.notReached,
    ...('error' in bulk ? { bulkReadError: bulk.error } : {}),
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
  }
}

type Bulk = AccountRoles | { error: string }

/** The account's roles in bulk, or why not (then every role is read live: slower, but nothing is skipped). */
async function readBulk(deps: Deps): Promise<Bulk> {
  try {
    return await retryLater(deps, 'GetAccountAuthorizationDetails', () => deps.iam.readAccountRoles())
  } catch (error) {
    deps.log.error('sweep: the bulk IAM read failed; reading each execution role live instead', {
      error: describeError(error),
    })
    return { error: describeError(error) }
  }
}

/**
 * From the bulk read, the decisions reconcileRole would make without acting: a healthy role, and a role in mode off
 * (evaluated, not alerted), are done; a role with drift, a restore policy to converge (heal mode), or a refused
 * environment to alert about goes to the live path, with why.
 */
async function evaluate(
  deps: Deps,
  bulk: Bulk,
  roleName: string,
  { located, refused }: RoleEnvironments,
): Promise<RoleResult | PendingRole> {
  if ('error' in bulk) return { roleName, why: 'no-bulk-read' }
  // The live path alerts refused environment data, naming the role as it now is.
  if (refused.length > 0) return { roleName, why: 'refused' }
  const read = await bulk.role(roleName).catch((error: unknown) => {
    deps.log.warn('sweep: role not resolved from the bulk read', { role: roleName, error: describeError(error) })
    return undefined
  })
  if (!read || read.kind === 'unresolved') return { roleName, why: 'unresolved' }
  if (read.kind === 'not-listed') return { roleName, why: 'not-listed' }
  const role = read.role
  const environments = located.map((l) => l.environment.Name)
  const base = { role: role.name, roleArn: role.arn, environments, writes: [], blocked: 0, alerted: false }
  try {
    const { mode } = modeOf(role, deps.config)
    const baselines = located.map((l) => baselineOf(deps, l.environment))
    const report = findDrift(role, baselines)
    const findings = report.findings.length
    if (mode === 'off') return { ...base, mode, findings, result: 'off', preflight: false }
    if (findings > 0) return { roleName: role.name, why: 'drifted' }
    if (mode === 'heal') {
      const limits = healLimits(deps)
      const plan = planHeal({ role, baselines, findings: [], catalogue: deps.catalogue, detached: [], limits })
      if (plan.writes.length > 0) return { roleName: role.name, why: 'drifted' }
    }
    return { ...base, mode, findings, result: 'healthy', preflight: false }
  } catch (error) {
    // The live path evaluates it again and reports what goes wrong, as for an event.
    deps.log.warn('sweep: role not evaluated from the bulk read', { role: roleName, error: describeError(error) })
    return { roleName: role.name, why: 'not-evaluated' }
  }
}
