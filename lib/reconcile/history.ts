/**
 * The history entry of a reconcile that found or did something: what triggered it (CloudTrail event id, name, actor,
 * source IP), the environments, what was missing, what changed since last-known-good, the writes, the incidents, the
 * notices and the outcome. Values are clipped to what the entry schema reads back, so an entry is never unreadable.
 */
import type { Finding } from '../drift/findings'
import type { RefusedEnvironment } from './environments'
import type { HistoryEntry, Transition } from '../incidents'
import { actorOf } from './notice-requests'
import type { RoleTrigger } from './evaluate-role'

export type HistoryInput = {
  id: string
  at: number
  role: string
  roleArn?: string
  source: HistoryEntry['source']
  triggers: readonly RoleTrigger[]
  environments: readonly string[]
  /** environments whose data was refused, and what was refused */
  refused?: readonly RefusedEnvironment[]
  mode: string
  findings: readonly Finding[]
  changes: readonly string[]
  writes: readonly string[]
  transitions: readonly Transition[]
  notices: readonly string[]
  outcome: string
  note?: string
}

/** Builds the entry (clipped to the schema's limits). */
export function historyEntry(input: HistoryInput): HistoryEntry {
  return {
    v: 1,
    id: clip(input.id, 64),
    at: input.at,
    role: input.role,
    ...(input.roleArn ? { roleArn: clip(input.roleArn, 2048) } : {}),
    source: input.source,
    triggers: input.triggers.slice(-20).map(({ change: c }) => ({
      ...(c.eventId ? { eventId: clip(c.eventId, 128) } : {}),
      eventName: c.eventName,
      actor: clip(actorOf(c), 2048),
      ...(c.sourceIp ? { sourceIp: clip(c.sourceIp, 128) } : {}),
      ...(c.time ? { time: c.time } : {}),
    })),
    environments: input.environments.slice(0, 50).map((e) => clip(e, 80)),
    ...refusalsOf(input.refused ?? []),
    mode: input.mode,
    missing: input.findings.length,
    features: [...new Set(input.findings.map((f) => f.feature))].slice(0, 20),
    changes: input.changes.slice(0, 50).map((c) => clip(c, 1000)),
    writes: input.writes.slice(0, 50).map((w) => clip(w, 2000)),
    incidents: input.transitions.slice(0, 50).map((t) => ({
      id: t.incident.id,
      environment: clip(t.incident.environment, 80),
      transition: t.kind,
      ...(t.kind === 'resolved' ? { by: t.by } : {}),
      ...(t.incident.kind === 'refused' ? { kind: 'refused' as const } : {}),
    })),
    notices: input.notices.slice(0, 5).map((n) => clip(n, 200)),
    outcome: clip(input.outcome, 40),
    ...(input.note ? { note: clip(input.note, 1000) } : {}),
  }
}

/** What was refused, one item per value (none: no field, so older readers and entries look alike). */
function refusalsOf(refused: readonly RefusedEnvironment[]): Pick<HistoryEntry, 'refusals'> {
  const refusals = refused
    .flatMap((r) =>
      r.refusals.map((x) => ({
        environment: clip(r.environment.Name, 80),
        field: clip(x.field, 100),
        value: clip(x.value, 300),
        why: clip(x.why, 300),
      })),
    )
    .slice(0, 50)
  return refusals.length > 0 ? { refusals } : {}
}

/** At most `max` characters, lone surrogates replaced (DynamoDB stores UTF-8: it refuses them). */
function clip(value: string, max: number): string {
  const wellFormed = value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  return wellFormed.length <= max ? wellFormed : `${wellFormed.slice(0, max - 1)}…`
}
