/**
 * Environment data refused (a GetEnvironment description whose values failed validation: a `*` bucket, another
 * account's key) as an incident like any other problem: opened with one notice, a newly refused value is a change,
 * reminded at most every remindAfter, resolved once the description is valid again or the environment no longer uses
 * the role. Until then every event and every sweep would find the same refusal and, without memory, alert it again.
 * Pure: the caller passes the clock.
 */
import type { Refusal } from '../baseline/validate-environment'
import { stableHash } from './hash'
import { newIncidentId } from './fingerprint'
import type { IncidentRecord } from './role-record'
import type { MemorySettings } from './settings'
import { isUnseen, type Transition, type Unseen } from './transitions'

/** One environment that uses the role and whose description was refused: what was refused. */
export type RefusedView = { environment: string; region: string; refusals: readonly Refusal[] }

/** An environment by name and region. */
export type EnvironmentRef = { environment: string; region: string }

export type RefusalTransitionInput = {
  role: string
  /** the refusal incidents open before this reconcile (others are ignored) */
  open: readonly IncidentRecord[]
  refused: readonly RefusedView[]
  /** environments that use the role and whose data passed validation */
  accepted: readonly EnvironmentRef[]
  /** environments not seen this time: their refusal stays open as it is */
  unseen: readonly Unseen[]
  now: number
  settings: Pick<MemorySettings, 'remindAfterMs'>
}

// The record keeps environment names and field names within its schema's limits (role-record.ts).
const ENVIRONMENT_MAX = 80
const FIELD_MAX = 40

/** An environment's name as an incident keeps it (a refused name may be longer than any MWAA name). */
export function incidentEnvironment(name: string): string {
  return clip(name, ENVIRONMENT_MAX)
}

/** The incident is about refused environment data, not about drift. */
export function isRefusal(incident: Pick<IncidentRecord, 'kind'>): boolean {
  return incident.kind === 'refused'
}

/**
 * What was refused, hashed: the role, the environment and each refused field with its value (not the reason, whose
 * wording may change between versions). The same refusal read again has the same fingerprint; another value refused,
 * or a refused value replaced by another refused value, is a change.
 */
export function refusalFingerprint(role: string, environment: string, refusals: readonly Refusal[]): string {
  const lines = [...new Set(refusals.map((r) => `${r.field}\u0000${r.value}`))].sort()
  return stableHash(['refused', role.toLowerCase(), environment, ...lines].join('\n'))
}

/** Every refused environment's transition, each open refusal's fate, and the refusal incidents open afterwards. */
export function refusalTransitions(input: RefusalTransitionInput): {
  transitions: Transition[]
  open: IncidentRecord[]
} {
  const transitions: Transition[] = []
  const open: IncidentRecord[] = []
  const mine = input.open.filter(isRefusal)
  const same = (a: EnvironmentRef, b: EnvironmentRef) => a.environment === b.environment && a.region === b.region
  for (const view of input.refused) {
    const ref = { environment: incidentEnvironment(view.environment), region: view.region }
    const previous = mine.find((i) => same(i, ref))
    const fingerprint = refusalFingerprint(input.role, ref.environment, view.refusals)
    const transition = transitionOf(input, ref, view.refusals, fingerprint, previous)
    transitions.push(transition)
    open.push(transition.incident)
  }
  for (const incident of mine) {
    if (
      input.refused.some((r) => same({ environment: incidentEnvironment(r.environment), region: r.region }, incident))
    )
      continue
    // Described and valid again: the refusal is over. Not described at all: gone, unless the check could not look.
    if (input.accepted.some((a) => same(a, incident))) transitions.push({ kind: 'resolved', incident, by: 'change' })
    else if (isUnseen(input.unseen, incident)) open.push(incident)
    else transitions.push({ kind: 'resolved', incident, by: 'environment-gone' })
  }
  return { transitions, open }
}

function transitionOf(
  input: RefusalTransitionInput,
  ref: EnvironmentRef,
  refusals: readonly Refusal[],
  fingerprint: string,
  previous: IncidentRecord | undefined,
): Transition {
  const { now } = input
  const fields = [...new Set(refusals.map((r) => clip(r.field.split('.')[0] ?? r.field, FIELD_MAX)))].slice(0, 20)
  const record = (id: string, openedAt: number, notifiedAt: number): IncidentRecord => ({
    id,
    kind: 'refused',
    ...ref,
    fingerprint,
    openedAt,
    notifiedAt,
    missing: refusals.length,
    features: fields,
  })
  if (!previous) {
    const incident = record(newIncidentId(input.role, `refused\n${ref.environment}`, now), now, now)
    return { kind: 'opened', incident }
  }
  if (fingerprint !== previous.fingerprint)
    return { kind: 'changed', previous, incident: record(previous.id, previous.openedAt, previous.notifiedAt) }
  if (now - previous.notifiedAt >= input.settings.remindAfterMs) return { kind: 'reminded', incident: previous }
  return { kind: 'unchanged', incident: previous }
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max)
}
