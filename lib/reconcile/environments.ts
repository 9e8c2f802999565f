/**
 * Which environments use a role: every environment of the watched regions, described (cached by the adapter), each
 * validated against the deployment before it may become a baseline. A description that fails is refused, never used.
 */
import type { Deployment } from '../baseline/deployment'
import { validateEnvironment } from '../baseline/validate-environment'
import { roleNameFromArn } from '../aws/iam'
import type { Deps, EnvironmentIndex, RoleEnvironments } from './types'

// Defined with Deps (a sweep's environment index holds them): re-exported here, where they are made.
export type { LocatedEnvironment, RefusedEnvironment, RoleEnvironments } from './types'

/** Statuses of an environment that no longer needs its role (https://docs.aws.amazon.com/mwaa/latest/API/API_Environment.html). */
export const GONE_STATUSES: ReadonlySet<string> = new Set(['DELETING', 'DELETED'])

/** Environments of the watched regions whose execution role is `roleName` (names compare case-insensitively, as IAM's do). */
export async function environmentsUsingRole(
  deps: Pick<Deps, 'mwaa' | 'config'>,
  deployment: Deployment,
  roleName: string,
  index?: EnvironmentIndex,
): Promise<RoleEnvironments> {
  // In a sweep, every environment was described and validated once, at its start.
  if (index) return index.usingRole(roleName)
  const wanted = roleName.toLowerCase()
  const out: RoleEnvironments = { located: [], refused: [] }
  for (const region of deployment.regions) {
    for (const name of await deps.mwaa.listEnvironments(region)) {
      const result = await deps.mwaa.getEnvironment(name, region)
      if (result.kind !== 'found') continue
      // Environments being deleted no longer need their role.
      if (result.environment.Status && GONE_STATUSES.has(result.environment.Status)) continue
      if (roleNameFromArn(result.environment.ExecutionRoleArn)?.toLowerCase() !== wanted) continue
      const check = validateEnvironment(result.environment, deployment, region)
      if (check.kind === 'valid') out.located.push({ region, environment: check.environment })
      else out.refused.push({ region, environment: check.environment, refusals: check.refusals })
    }
  }
  return out
}
