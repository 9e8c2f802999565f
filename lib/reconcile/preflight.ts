/**
 * Create/UpdateEnvironment requests: a preflight check, never a write. The request says what the environment will
 * need (creation fails 20-30 minutes later when the role falls short, https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html),
 * so the role is checked against it at once and the result alerted; whatever the role's mode, nothing is written from
 * a request. Once GetEnvironment describes the environment, the normal reconcile heals from that description.
 */
import type { Deployment } from '../baseline/deployment'
import type { MwaaEnvironment } from '../baseline/types'
import { validateEnvironment } from '../baseline/validate-environment'
import { roleNameFromArn } from '../aws/iam'
import { modeOf } from '../config'
import { type Change, type EnvironmentTarget, environmentFromRequest } from '../events'
import { findDrift } from '../drift/find-drift'
import { documentsFor } from './documents'
import { planHeal } from '../drift/plan-heal'
import { healLimits } from './heal'
import { notifyRefused } from './notices'
import { readFresh } from './read-fresh'
import { baselineOf } from './evaluate-role'
import type { Deps, RoleResult, RunContext } from './types'

const REQUEST_FIELDS = [
  'ExecutionRoleArn',
  'SourceBucketArn',
  'DagS3Path',
  'PluginsS3Path',
  'RequirementsS3Path',
  'StartupScriptS3Path',
  'KmsKey',
] as const

/** The environment the request asks for: a create's own request, or the live description with an update's fields. */
export function requestedEnvironment(
  target: EnvironmentTarget,
  live: MwaaEnvironment | undefined,
  deployment: Deployment,
): MwaaEnvironment | undefined {
  if (target.operation === 'create') return environmentFromRequest(target, deployment)
  if (!live) return undefined
  const requested: MwaaEnvironment = { ...live }
  for (const key of REQUEST_FIELDS) {
    const value = target.request[key]
    if (typeof value === 'string' && value !== '') requested[key] = value
  }
  return requested
}

/** Whether the live description already has everything the request sets (then the live reconcile covers it). */
export function describedByLive(requested: MwaaEnvironment, live: MwaaEnvironment): boolean {
  const norm = (v: string | undefined) => v?.replace(/^\/+|\/+$/g, '')
  return REQUEST_FIELDS.every((key) => norm(requested[key]) === norm(live[key]))
}

/** Checks the role a request names against what the request asks for; alerts, never writes. */
export async function preflightRequest(
  deps: Deps,
  run: RunContext,
  requested: MwaaEnvironment,
  region: string,
  change: Change,
): Promise<RoleResult> {
  const deployment = await deps.deployment()
  const roleName = roleNameFromArn(requested.ExecutionRoleArn) ?? requested.ExecutionRoleArn
  const base = { role: roleName, environments: [requested.Name], findings: 0, writes: [], blocked: 0, preflight: true }
  const check = validateEnvironment(requested, deployment, region)
  if (check.kind === 'refused') {
    // The role named in a refused request may be another account's: nothing about it is read.
    const role = { arn: requested.ExecutionRoleArn, name: roleName }
    const mode = deps.config.defaultMode === 'off' ? 'alert' : deps.config.defaultMode
    await notifyRefused(deps, { role, mode, refused: [{ region, ...check }], change })
    return { ...base, result: 'refused', alerted: true }
  }
  const read = await readFresh(deps, roleName, { now: run.now })
  if (read.kind === 'not-found') {
    deps.log.warn('the execution role a request names does not exist', { role: requested.ExecutionRoleArn })
    return { ...base, result: 'role-not-found', alerted: false }
  }
  const role = read.role
  const { mode, note } = modeOf(role, deps.config)
  const result = { ...base, roleArn: role.arn, mode, alerted: false }
  if (mode === 'off') return { ...result, result: 'off' }
  const baselines = [baselineOf(run, requested)]
  // The documents of what the request asks for (its bucket, its key, its subnets' VPC), live.
  const documents = await documentsFor(deps, [{ environment: requested, region }])
  const report = findDrift(role, baselines, undefined, documents)
  if (report.findings.length === 0) return { ...result, result: 'healthy' }
  if (note) report.warnings.unshift(note)
  const plan = planHeal({
    role,
    baselines,
    findings: report.findings,
    catalogue: run.catalogue,
    limits: healLimits(deps),
  })
  await deps.notify({
    kind: 'preflight',
    role: { arn: role.arn, name: role.name },
    environments: [{ name: requested.Name, region }],
    mode,
    change,
    report,
    outcome: 'reported',
    writes: [],
    proposed: plan.writes,
    blocked: plan.blocked,
  })
  return {
    ...result,
    result: 'reported',
    findings: report.findings.length,
    blocked: plan.blocked.length,
    alerted: true,
  }
}
