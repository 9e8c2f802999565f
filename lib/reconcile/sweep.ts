/**
 * A periodic, event-free pass over every execution role of the watched regions. Level-triggered reconcile makes this
 * cheap and safe, and it catches what no event in this account announces: AWS managed policies get new default
 * versions without a CloudTrail event here, and an event whose read stayed stale past its retries is caught on the
 * next sweep.
 */
import { roleNameFromArn } from '../aws/iam'
import { withExtras } from './extras'
import { reconcileRole } from './reconcile-role'
import type { Deps, RoleResult } from './types'

export type SweepSummary = {
  status: 'swept'
  environments: number
  roles: RoleResult[]
  /** roles in mode off whose environments lack something: evaluated, not alerted */
  offDrifted: Array<{ role: string; environments: string[]; findings: number }>
  extrasSkipped?: string
}

/** Reconciles each distinct execution role once; a failure on one role does not stop the others. */
export async function sweep(deps: Deps): Promise<SweepSummary> {
  const roleNames = new Map<string, string>()
  let environments = 0
  for (const region of (await deps.deployment()).regions) {
    for (const name of await deps.mwaa.listEnvironments(region)) {
      const found = await deps.mwaa.getEnvironment(name, region)
      if (found.kind !== 'found') continue
      environments++
      const roleName = roleNameFromArn(found.environment.ExecutionRoleArn)
      if (roleName) roleNames.set(roleName.toLowerCase(), roleName)
    }
  }
  const run = roleNames.size > 0 ? await withExtras(deps) : deps
  const roles: RoleResult[] = []
  for (const roleName of roleNames.values()) {
    try {
      roles.push(await reconcileRole(run, { roleName }))
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      deps.log.error('sweep: role reconcile failed', { role: roleName, error: message })
      roles.push({
        role: roleName,
        environments: [],
        result: 'failed',
        findings: 0,
        writes: [],
        blocked: 0,
        alerted: false,
        error: message,
      })
    }
  }
  const offDrifted = roles
    .filter((r) => r.result === 'off' && r.findings > 0)
    .map((r) => ({ role: r.role, environments: r.environments, findings: r.findings }))
  return {
    status: 'swept',
    environments,
    roles,
    offDrifted,
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
  }
}
