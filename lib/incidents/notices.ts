/**
 * Which notices one reconcile sends, from its incident transitions: at most one about problems (opened, changed,
 * reminded, or contested) and one about resolutions; a heal sends exactly one notice whatever it fixed. Unchanged
 * incidents send nothing: the same problem is told once, then reminded at most every remindAfter.
 */
import type { ResolvedBy, Transition } from './transitions'

/** The state an incident notice carries (SNS attribute `incident_state`, Slack context). */
export const IncidentState = {
  open: 'open',
  changed: 'changed',
  reminder: 'reminder',
  contested: 'contested',
  resolved: 'resolved',
} as const
export type IncidentState = (typeof IncidentState)[keyof typeof IncidentState]

export type NoticeIncident = {
  id: string
  environment: string
  region: string
  transition: Transition['kind']
  by?: ResolvedBy
  openedAt: number
}

export type NoticePlan = {
  /** problem: something is missing and nothing was written; heal: the guard wrote; resolved; contested: healing stopped */
  kind: 'problem' | 'heal' | 'resolved' | 'contested'
  state: IncidentState
  incidents: NoticeIncident[]
}

export type NoticeInput = {
  transitions: readonly Transition[]
  /** the reconcile made at least one IAM write */
  healed: boolean
  /** the role became contested in this reconcile */
  newlyContested: boolean
}

/** The notices to send, in order, and the ids of the open incidents they tell about. */
export function planNotices(input: NoticeInput): { notices: NoticePlan[]; notified: Set<string> } {
  const told = input.transitions.filter((t) => t.kind !== 'unchanged')
  const resolved = told.filter((t) => t.kind === 'resolved')
  const problems = told.filter((t) => t.kind !== 'resolved' && t.kind !== 'healed')
  const notices: NoticePlan[] = []
  if (input.newlyContested) {
    const current = input.transitions.filter((t) => t.kind !== 'resolved' && t.kind !== 'healed')
    notices.push({ kind: 'contested', state: IncidentState.contested, incidents: current.map(incidentOf) })
    if (resolved.length > 0) notices.push(resolvedNotice(resolved))
  } else if (input.healed) {
    // Every write is told, with every incident of the role (a failed heal may leave one unchanged).
    const remaining = input.transitions.filter((t) => t.kind !== 'resolved' && t.kind !== 'healed')
    notices.push({ kind: 'heal', state: strongest(remaining), incidents: input.transitions.map(incidentOf) })
  } else {
    if (problems.length > 0)
      notices.push({ kind: 'problem', state: strongest(problems), incidents: problems.map(incidentOf) })
    if (resolved.length > 0) notices.push(resolvedNotice(resolved))
  }
  const notified = new Set(
    notices
      .filter((n) => n.kind !== 'resolved')
      .flatMap((n) =>
        n.incidents.filter((i) => i.transition !== 'resolved' && i.transition !== 'healed').map((i) => i.id),
      ),
  )
  return { notices, notified }
}

function resolvedNotice(resolved: readonly Transition[]): NoticePlan {
  return { kind: 'resolved', state: IncidentState.resolved, incidents: resolved.map(incidentOf) }
}

/** changed > open > reminder (an unchanged incident after a heal is still open); resolved when nothing is left. */
function strongest(problems: readonly Transition[]): IncidentState {
  if (problems.some((t) => t.kind === 'changed')) return IncidentState.changed
  if (problems.some((t) => t.kind === 'opened' || t.kind === 'unchanged')) return IncidentState.open
  if (problems.some((t) => t.kind === 'reminded')) return IncidentState.reminder
  return IncidentState.resolved
}

function incidentOf(t: Transition): NoticeIncident {
  return {
    id: t.incident.id,
    environment: t.incident.environment,
    region: t.incident.region,
    transition: t.kind,
    openedAt: t.incident.openedAt,
    ...(t.kind === 'resolved' ? { by: t.by } : {}),
  }
}
