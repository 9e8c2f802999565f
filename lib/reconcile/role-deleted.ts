/** DeleteRole of a role an environment still uses: nothing to heal, a critical alert. */
import type { Change } from '../events'
import { environmentsUsingRole } from './environments'
import type { Deps, RoleResult } from './types'

/** Alerts (critical) when an environment still names the deleted role; otherwise ignores it quietly. */
export async function roleDeleted(deps: Deps, roleName: string, change: Change): Promise<RoleResult> {
  const base = { role: roleName, findings: 0, writes: [], blocked: 0 }
  const { located } = await environmentsUsingRole(deps, await deps.deployment(), roleName)
  if (located.length === 0) {
    deps.log.debug('deleted role was not used by any environment', { role: roleName })
    return { ...base, environments: [], result: 'no-environment', alerted: false }
  }
  const arn = located[0]!.environment.ExecutionRoleArn
  await deps.notify({
    kind: 'role-deleted',
    role: { arn, name: roleName },
    environments: located.map((l) => ({ name: l.environment.Name, region: l.region })),
    mode: deps.config.defaultMode === 'off' ? 'alert' : deps.config.defaultMode,
    change,
    report: {
      role: arn,
      environments: located.map((l) => l.environment.Name),
      evaluated: 0,
      findings: [],
      warnings: [],
    },
    outcome: 'critical',
    writes: [],
    blocked: [],
  })
  deps.log.error('an environment uses a deleted execution role', {
    role: roleName,
    environments: located.map((l) => l.environment.Name),
  })
  return {
    ...base,
    roleArn: arn,
    environments: located.map((l) => l.environment.Name),
    result: 'role-deleted-in-use',
    alerted: true,
  }
}
