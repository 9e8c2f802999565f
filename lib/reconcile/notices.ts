/**
 * Alerts that are not about drift: environment data refused (a description or request whose values failed
 * validation: never a grant), and a change of a watched role's mode tag (the tag decides what may be written).
 */
import type { Mode } from '../config'
import type { Change } from '../events'
import type { RoleState } from '../drift/types'
import type { LocatedEnvironment, RefusedEnvironment } from './environments'
import type { Deps } from './types'

type RoleRef = Pick<RoleState, 'arn' | 'name'>

/** The report of an alert about no evaluation (nothing was checked). */
export const emptyReport = (role: RoleRef, environments: string[]) => ({
  role: role.arn,
  environments,
  evaluated: 0,
  findings: [],
  warnings: [],
})

/** Every refused value, named by its environment (the alert's `refusals`). */
export function refusedValues(refused: readonly RefusedEnvironment[]) {
  return refused.flatMap((r) => r.refusals.map((x) => ({ environment: r.environment.Name, ...x })))
}

/** Logs what was refused (every time it is seen: with or without memory, the log says why nothing was derived). */
export function logRefused(deps: Pick<Deps, 'log'>, role: RoleRef, refused: readonly RefusedEnvironment[]): void {
  deps.log.error('environment data refused: nothing derived from it', {
    role: role.arn,
    refusals: refusedValues(refused),
  })
}

/**
 * One alert naming every refused value of the environments that use the role; returns true (it alerted). Used where
 * nothing is remembered: a Create/UpdateEnvironment request (a one-off preflight) and a reconcile without a state
 * table; with one, refused data is an incident (lib/incidents/refusals.ts) and told by its notices.
 */
export async function notifyRefused(
  deps: Deps,
  input: { role: RoleRef; mode: Mode; refused: readonly RefusedEnvironment[]; change?: Change },
): Promise<boolean> {
  const { role, refused } = input
  const names = refused.map((r) => r.environment.Name)
  logRefused(deps, role, refused)
  await deps.notify({
    kind: 'environment-refused',
    role: { arn: role.arn, name: role.name },
    environments: refused.map((r) => ({ name: r.environment.Name, region: r.region })),
    mode: input.mode,
    change: input.change,
    report: emptyReport(role, names),
    outcome: 'refused',
    writes: [],
    blocked: [],
    refusals: refusedValues(refused),
  })
  return true
}

/**
 * The role's mode tag changed (TagRole/UntagRole naming the key): who, from where, and the mode the live read shows.
 * The previous mode is not in the event: it is the mode the state table remembers from the last reconcile, if any.
 */
export async function notifyModeChange(
  deps: Deps,
  input: { role: RoleState; mode: Mode; located: readonly LocatedEnvironment[]; change?: Change; previousMode?: Mode },
): Promise<boolean> {
  const { role, located } = input
  deps.log.warn('the mode tag of a watched role changed', { role: role.arn, mode: input.mode })
  await deps.notify({
    kind: 'mode-change',
    role: { arn: role.arn, name: role.name },
    environments: located.map((l) => ({ name: l.environment.Name, region: l.region })),
    mode: input.mode,
    change: input.change,
    report: emptyReport(
      role,
      located.map((l) => l.environment.Name),
    ),
    outcome: 'noted',
    writes: [],
    blocked: [],
    ...(input.previousMode ? { previousMode: input.previousMode } : {}),
  })
  return true
}
