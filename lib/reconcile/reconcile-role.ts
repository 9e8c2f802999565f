/**
 * Level-triggered reconcile of one role: read its record (the state table), re-read it live and evaluate it
 * (evaluate-role), then decide, act and remember (remember). The events that named it are only triggers: they say
 * which read to trust and who made the change; nothing from them decides what is written. A record that changed
 * under the run (another run acted on the role) starts the reconcile again from the reads.
 */
import type { StoredRole } from '../aws/state-table'
import { evaluateRole, type Evaluated, type RoleTrigger } from './evaluate-role'
import { leasedByOther, readMemory, RoleBusyError } from './lease'
import { remember } from './remember'
import type { Deps, RoleResult, RunContext } from './types'

export type { RoleTrigger } from './evaluate-role'

export type ReconcileInput = {
  roleName: string
  /** the events that named the role, oldest first; none for a sweep */
  triggers: readonly RoleTrigger[]
  /** a Create/UpdateEnvironment of an environment using this role is in progress: its alerts are preflights */
  preflight?: boolean
  source?: 'event' | 'sweep'
}

/** How long a run waits for another run's lease on the role before leaving it to a retry. */
export const LEASE_WAIT_MS = 20_000
const ATTEMPTS = 3

/** Reconciles one role and says what happened; throws only for the unexpected (the caller's retry takes over). */
export async function reconcileRole(deps: Deps, run: RunContext, input: ReconcileInput): Promise<RoleResult> {
  for (let attempt = 1; ; attempt++) {
    const stored = deps.state ? await readUnleased(deps, run, input.roleName) : undefined
    const lkg = stored?.record.lastKnownGood
    const evaluation = await evaluateRole(deps, run, {
      roleName: input.roleName,
      triggers: input.triggers,
      ...(lkg ? { lastKnownGood: { inline: lkg.inline, managed: lkg.managed.map((m) => m.arn) } } : {}),
    })
    const base = { role: input.roleName, findings: 0, writes: [], blocked: 0, alerted: false }
    if (evaluation.kind === 'not-found') {
      deps.log.debug('role not found; nothing to reconcile', { role: input.roleName })
      return { ...base, environments: [], result: 'role-not-found' }
    }
    let evaluated: Evaluated
    if (evaluation.kind === 'no-environment') {
      const result = evaluation.refused.length > 0 ? ('refused' as const) : ('no-environment' as const)
      const quiet = { ...base, roleArn: evaluation.role.arn, environments: [], result, alerted: evaluation.alerted }
      // Nothing usable uses the role: done, unless incidents about it are open (they are resolved: the environment is
      // gone) or an environment's data was refused (an incident of its own).
      if (!stored || (stored.record.incidents.length === 0 && evaluation.refused.length === 0)) return quiet
      evaluated = gone(evaluation)
    } else evaluated = evaluation
    const outcome = await remember(deps, run, {
      triggers: input.triggers,
      preflight: input.preflight === true,
      source: input.source ?? (input.triggers.length > 0 ? 'event' : 'sweep'),
      evaluation: evaluated,
      stored,
    })
    if (outcome !== 'conflict') return outcome
    if (attempt >= ATTEMPTS) throw new RoleBusyError(input.roleName, run.now().getTime())
    deps.log.info('state: the role record changed during the reconcile; reading again', { role: input.roleName })
  }
}

/** The record once no other run holds its lease; waits up to LEASE_WAIT_MS, then RoleBusyError. */
async function readUnleased(deps: Deps, run: RunContext, roleName: string): Promise<StoredRole> {
  const deadline = Date.now() + LEASE_WAIT_MS
  for (;;) {
    const stored = await readMemory(deps.state!, roleName, deps.log)
    if (!leasedByOther(stored.record, '', run.now().getTime())) return stored
    if (Date.now() >= deadline) throw new RoleBusyError(roleName, stored.record.leaseUntil ?? 0)
    deps.log.debug('state: another run holds the role; waiting', { role: roleName, until: stored.record.leaseUntil })
    await deps.sleep(1_000)
  }
}

/**
 * A role no environment uses any more (or only environments whose data was refused), as an evaluation of nothing:
 * its open incidents resolve, except where the environment was refused or not seen.
 */
function gone(evaluation: Extract<Awaited<ReturnType<typeof evaluateRole>>, { kind: 'no-environment' }>): Evaluated {
  const { role } = evaluation
  return {
    kind: 'evaluated',
    role,
    mode: evaluation.mode,
    located: [],
    baselines: [],
    report: { role: role.arn, environments: [], evaluated: 0, findings: [], warnings: [] },
    plan: { role: role.arn, writes: [], blocked: [], notes: [] },
    detached: [],
    alerted: evaluation.alerted,
    refused: evaluation.refused,
    unseen: evaluation.unseen,
  }
}
