/**
 * Which notices one reconcile sends, from its incident transitions: at most one about problems (opened, changed,
 * reminded, or contested) and one about resolutions; a heal sends exactly one notice whatever it fixed. Unchanged
 * incidents send nothing: the same problem is told once, then reminded at most every remindAfter. Refused
 * environment data has notices of its own (at most one about refusals, one about refusals resolved), whatever the
 * drift notices are: a heal or a contested role says nothing about data that was never used.
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
  /**
   * problem: something is missing and nothing was written; heal: the guard wrote; resolved; contested: healing
   * stopped; refused: environment data refused (opened, changed, reminded); refusal-resolved: valid again, or gone
   */
  kind: 'problem' | 'heal' | 'resolved' | 'contested' | 'refused' | 'refusal-resolved'
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
  const notices = [
    ...driftNotices({ ...input, transitions: input.transitions.filter((t) => t.incident.kind !== 'refused') }),
    ...refusalNotices(input.transitions.filter((t) => t.incident.kind === 'refused')),
  ]
  const notified = new Set(
    notices
      .filter((n) => n.kind !== 'resolved' && n.kind !== 'refusal-resolved')
      .flatMap((n) =>
        n.incidents.filter((i) => i.transition !== 'resolved' && i.transition !== 'healed').map((i) => i.id),
      ),
  )
  return { notices, notified }
}

/** Whether a notice is about refused environment data (not drift). */
export function isRefusalNotice(notice: Pick<NoticePlan, 'kind'>): boolean {
  return notice.kind === 'refused' || notice.kind === 'refusal-resolved'
}

function refusalNotices(transitions: readonly Transition[]): NoticePlan[] {
  const problems = transitions.filter((t) => t.kind === 'opened' || t.kind === 'changed' || t.kind === 'reminded')
  const resolved = transitions.filter((t) => t.kind === 'resolved')
  return [
    ...(problems.length > 0
      ? [{ kind: 'refused' as const, state: strongest(problems), incidents: problems.map(incidentOf) }]
      : []),
    ...(resolved.length > 0
      ? [{ kind: 'refusal-resolved' as const, state: IncidentState.resolved, incidents: resolved.map(incidentOf) }]
      : []),
  ]
}

function driftNotices(input: NoticeInput): NoticePlan[] {
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
  return notices
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
