/** Which environments use a role: every environment of the watched regions, described (cached by the adapter). */
import type { MwaaEnvironment } from '../baseline/types'
import { roleNameFromArn } from '../aws/iam'
import type { Deps } from './types'

export type LocatedEnvironment = { region: string; environment: MwaaEnvironment }

/** Environments of the watched regions whose execution role is `roleName` (names compare case-insensitively, as IAM's do). */
export async function environmentsUsingRole(
  deps: Pick<Deps, 'mwaa' | 'config'>,
  roleName: string,
): Promise<LocatedEnvironment[]> {
  const wanted = roleName.toLowerCase()
  const found: LocatedEnvironment[] = []
  for (const region of deps.config.mwaaRegions) {
    for (const name of await deps.mwaa.listEnvironments(region)) {
      const result = await deps.mwaa.getEnvironment(name, region)
      if (result.kind !== 'found') continue
      // Environments being deleted no longer need their role.
      if (result.environment.Status === 'DELETING' || result.environment.Status === 'DELETED') continue
      if (roleNameFromArn(result.environment.ExecutionRoleArn)?.toLowerCase() === wanted) {
        found.push({ region, environment: result.environment })
      }
    }
  }
  return found
}
