/**
 * DeleteRole of a role an environment still uses: nothing to heal, a critical alert, but only for a role that is
 * gone. The event says a role was deleted; a replayed or duplicated event, or one whose role was recreated since, says
 * nothing about now, so the role is re-read first (GetRole) like any other target.
 */
import type { Change } from '../events'
import { environmentsUsingRole } from './environments'
import { readFresh, supersededAfter } from './read-fresh'
import type { Deps, RoleResult, RunContext } from './types'

/**
 * Alerts (critical) when the role is gone and an environment still names it; otherwise ignores it quietly. Returns
 * undefined when the role exists (recreated, or the event was replayed): the caller reconciles it like any role.
 */
export async function roleDeleted(
  deps: Deps,
  run: RunContext,
  roleName: string,
  change: Change,
): Promise<RoleResult | undefined> {
  // IAM is eventually consistent: a read right after DeleteRole may still show the role, so a found role is re-read
  // until the wait budget, then StaleReadError (the event is retried). A role found for an event older than a minute
  // exists again: that read is the truth (read-fresh.ts, SUPERSEDED_AFTER_MS).
  const read = await readFresh(deps, roleName, {
    reflects: () => false,
    changedAt: change.time,
    now: run.now,
    supersededAfterMs: supersededAfter(deps.config.settleSeconds),
  })
  if (read.kind === 'found') {
    deps.log.info('role exists again after DeleteRole (recreated, or the event was replayed); reconciling it', {
      role: roleName,
    })
    return undefined
  }
  const base = { role: roleName, findings: 0, writes: [], blocked: 0 }
  const { located } = await environmentsUsingRole(deps, await deps.deployment(), roleName, run.environments)
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
