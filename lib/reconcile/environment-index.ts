/**
 * Every environment of the watched regions, described and validated once per sweep, indexed by execution role.
 * Without it each role looked up every environment through the adapter's 60 s cache, and a sweep longer than a
 * minute described every environment again for every role (1,000 environments: a million GetEnvironment calls).
 * Each description is validated against the deployment as environmentsUsingRole does: a refused one is never a
 * baseline.
 */
import { roleNameFromArn } from '../aws/iam'
import type { GetEnvironmentResult } from '../aws/mwaa'
import { validateEnvironment } from '../baseline/validate-environment'
import { GONE_STATUSES } from './environments'
import { describeError, isThrottling, retryLater } from './retry-later'
import type { Unseen } from '../incidents'
import type { Deps, EnvironmentIndex, RoleEnvironments, SweepFailure } from './types'

export type { EnvironmentIndex } from './types'

/**
 * GetEnvironment calls in flight at once, per sweep. MWAA publishes no request-rate quota for it; a small number
 * keeps a 1,000-environment region to seconds (65 ms a call: 1,000 / 8 x 65 ms = 8 s) without bursting, and the
 * client's adaptive retry slows down further if MWAA throttles.
 */
export const DESCRIBE_CONCURRENCY = 8

/** Lists and describes every environment of the deployment's regions; failures are data, retried once or twice first. */
export async function indexEnvironments(
  deps: Pick<Deps, 'mwaa' | 'deployment' | 'sleep' | 'log'>,
): Promise<EnvironmentIndex> {
  const byRole = new Map<string, { roleName: string } & RoleEnvironments>()
  const failures: SweepFailure[] = []
  const unseen: Unseen[] = []
  let environments = 0
  // Without the deployment (account, partition, regions) nothing can be validated: that failure ends the sweep.
  const deployment = await retryLater(deps, 'the deployment (AWS_ACCOUNT_ID, else STS)', () => deps.deployment())
  for (const region of deployment.regions) {
    let names: string[]
    try {
      names = await retryLater(deps, `ListEnvironments ${region}`, () => deps.mwaa.listEnvironments(region))
    } catch (error) {
      failures.push(failure(`region ${region} (ListEnvironments)`, error))
      unseen.push({ region })
      continue
    }
    const described = await describeAll(deps, region, names)
    for (const { name, result, error } of described) {
      if (!result) {
        failures.push(failure(`environment ${name} in ${region} (GetEnvironment)`, error))
        unseen.push({ region, environment: name })
        continue
      }
      if (result.kind !== 'found') continue
      environments++
      const environment = result.environment
      // Environments being deleted no longer need their role (as environmentsUsingRole decides).
      if (environment.Status && GONE_STATUSES.has(environment.Status)) continue
      const roleName = roleNameFromArn(environment.ExecutionRoleArn)
      if (!roleName) {
        deps.log.warn('execution role ARN not understood; environment skipped', {
          environment: name,
          arn: environment.ExecutionRoleArn,
        })
        continue
      }
      const key = roleName.toLowerCase()
      const entry = byRole.get(key) ?? { roleName, located: [], refused: [] }
      const check = validateEnvironment(environment, deployment, region)
      if (check.kind === 'valid') entry.located.push({ region, environment: check.environment })
      else entry.refused.push({ region, environment: check.environment, refusals: check.refusals })
      byRole.set(key, entry)
    }
  }
  return {
    environments,
    roles: [...byRole.values()],
    failures,
    unseen,
    usingRole: (roleName) => {
      const entry = byRole.get(roleName.toLowerCase())
      return { located: [...(entry?.located ?? [])], refused: [...(entry?.refused ?? [])] }
    },
  }
}

/** Each name's description, or the error that outlived the retries; never throws. */
async function describeAll(
  deps: Pick<Deps, 'mwaa' | 'sleep' | 'log'>,
  region: string,
  names: readonly string[],
): Promise<Array<{ name: string; result?: GetEnvironmentResult; error?: unknown }>> {
  // Indexed by input position, so roles (and their environments) come out in the same order every sweep.
  const out = new Array<{ name: string; result?: GetEnvironmentResult; error?: unknown }>(names.length)
  let next = 0
  const worker = async () => {
    while (next < names.length) {
      const index = next++
      const name = names[index]!
      try {
        const result = await retryLater(deps, `GetEnvironment ${name}`, () => deps.mwaa.getEnvironment(name, region))
        out[index] = { name, result }
      } catch (error) {
        out[index] = { name, error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, names.length) }, worker))
  return out
}

function failure(subject: string, error: unknown): SweepFailure {
  return { subject, error: describeError(error), throttled: isThrottling(error) }
}
