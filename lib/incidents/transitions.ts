/**
 * Per environment, what happened to its incident in this reconcile: opened, changed, reminded, unchanged, resolved,
 * or healed (found and healed in one go: one notice, not an open and a resolve). Pure: the caller passes the clock.
 */
import type { Finding } from '../drift/findings'
import { fingerprintOf, newIncidentId } from './fingerprint'
import type { IncidentRecord } from './role-record'
import type { MemorySettings } from './settings'

/** One environment that uses the role now: what was missing when read, and what is still missing after acting. */
export type EnvironmentFindings = { environment: string; region: string; before: Finding[]; after: Finding[] }

/**
 * Where environments were not seen this time (their data refused, their region not listed, their description not
 * read): an incident there is neither resolved nor changed. Without `environment`, the whole region.
 */
export type Unseen = { region: string; environment?: string }

/** Who or what made a resolved incident go away. */
export type ResolvedBy = 'heal' | 'change' | 'environment-gone'

export type Transition =
  | { kind: 'opened'; incident: IncidentRecord }
  | { kind: 'changed'; incident: IncidentRecord; previous: IncidentRecord }
  | { kind: 'reminded'; incident: IncidentRecord }
  | { kind: 'unchanged'; incident: IncidentRecord }
  | { kind: 'resolved'; incident: IncidentRecord; by: ResolvedBy }
  | { kind: 'healed'; incident: IncidentRecord }

export type TransitionInput = {
  role: string
  /** the incidents open before this reconcile */
  open: readonly IncidentRecord[]
  environments: readonly EnvironmentFindings[]
  /** environments that may still use the role but were not evaluated: their incidents stay open as they are */
  unseen?: readonly Unseen[]
  now: number
  settings: Pick<MemorySettings, 'remindAfterMs'>
}

/**
 * Every environment's drift transition, and the drift incidents still open afterwards. Incidents about refused
 * environment data are not drift: they are left out here (refusalTransitions decides them).
 */
export function incidentTransitions(input: TransitionInput): { transitions: Transition[]; open: IncidentRecord[] } {
  const transitions: Transition[] = []
  const open: IncidentRecord[] = []
  const drift = input.open.filter((i) => i.kind !== 'refused')
  for (const env of input.environments) {
    const previous = drift.find((i) => i.environment === env.environment && i.region === env.region)
    const transition = transitionOf(input, env, previous)
    if (!transition) continue
    transitions.push(transition)
    if (transition.kind !== 'resolved' && transition.kind !== 'healed') open.push(transition.incident)
  }
  for (const incident of drift) {
    const stillUsed = input.environments.some(
      (e) => e.environment === incident.environment && e.region === incident.region,
    )
    if (stillUsed) continue
    if (isUnseen(input.unseen ?? [], incident)) open.push(incident)
    else transitions.push({ kind: 'resolved', incident, by: 'environment-gone' })
  }
  return { transitions, open }
}

/** The incident's environment is among those not seen this time. */
export function isUnseen(unseen: readonly Unseen[], incident: Pick<IncidentRecord, 'region' | 'environment'>): boolean {
  return unseen.some(
    (u) => u.region === incident.region && (u.environment === undefined || u.environment === incident.environment),
  )
}

/** The open incidents with `notifiedAt` moved to now for those a notice was sent about. */
export function markNotified(open: readonly IncidentRecord[], ids: ReadonlySet<string>, now: number): IncidentRecord[] {
  return open.map((i) => (ids.has(i.id) ? { ...i, notifiedAt: now } : i))
}

function transitionOf(
  input: TransitionInput,
  env: EnvironmentFindings,
  previous: IncidentRecord | undefined,
): Transition | undefined {
  const { now } = input
  if (!previous) {
    if (env.before.length === 0 && env.after.length === 0) return undefined
    const id = newIncidentId(input.role, env.environment, now)
    if (env.after.length === 0) return { kind: 'healed', incident: record(id, env, env.before, now) }
    return { kind: 'opened', incident: record(id, env, env.after, now) }
  }
  if (env.after.length === 0)
    return { kind: 'resolved', incident: previous, by: env.before.length > 0 ? 'heal' : 'change' }
  const fingerprint = fingerprintOf(env.after)
  if (fingerprint !== previous.fingerprint) {
    const incident = { ...record(previous.id, env, env.after, previous.openedAt), notifiedAt: previous.notifiedAt }
    return { kind: 'changed', previous, incident }
  }
  if (now - previous.notifiedAt >= input.settings.remindAfterMs) return { kind: 'reminded', incident: previous }
  return { kind: 'unchanged', incident: previous }
}

function record(id: string, env: EnvironmentFindings, findings: readonly Finding[], openedAt: number): IncidentRecord {
  return {
    id,
    environment: env.environment,
    region: env.region,
    fingerprint: fingerprintOf(findings),
    openedAt,
    notifiedAt: openedAt,
    missing: findings.length,
    features: [...new Set(findings.map((f) => f.feature))],
  }
}
