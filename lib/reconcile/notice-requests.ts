/**
 * The alerts one reconcile sends, from the notices lib/incidents planned: a problem (opened, changed, reminded), a
 * heal (one notice whatever it fixed), a resolution (who or what fixed it), a contested role. Every notice carries its
 * incident ids and state, and the statement-level changes since the role was last known good.
 */
import type { AlertOutcome } from '../alerts/types'
import { describeCaller } from '../alerts/wording'
import type { Change } from '../events'
import { incidentEnvironment, type Decision, type NoticePlan, type RoleRecord } from '../incidents'
import type { MemorySettings } from '../incidents/settings'
import type { Evaluated, RoleTrigger } from './evaluate-role'
import type { HealOutcome } from './heal'
import { emptyReport, refusedValues } from './notices'
import type { AlertRequest } from './types'

export type NoticeContext = {
  evaluation: Evaluated
  triggers: readonly RoleTrigger[]
  decision: Decision
  record: RoleRecord
  /** a Create/UpdateEnvironment of an environment using the role is in progress */
  preflight: boolean
  heal?: Exclude<HealOutcome, { outcome: 'dry-run' }>
  settings: MemorySettings
  now: number
}

/** The alert for one planned notice. */
export function noticeRequest(notice: NoticePlan, ctx: NoticeContext): AlertRequest {
  const { evaluation: e, triggers } = ctx
  const [first, ...more] = triggers.map((t) => t.change)
  // The environments the notice is about (an environment gone is named from its incident), else the role's.
  const environments =
    notice.incidents.length > 0
      ? notice.incidents.map((i) => ({ name: i.environment, region: i.region }))
      : e.located.map((l) => ({ name: l.environment.Name, region: l.region }))
  const opened = Math.min(...notice.incidents.map((i) => i.openedAt))
  const common = {
    role: { arn: e.role.arn, name: e.role.name },
    environments:
      environments.length > 0 ? environments : e.located.map((l) => ({ name: l.environment.Name, region: l.region })),
    mode: e.mode,
    ...(first ? { change: first } : {}),
    ...(more.length > 0 ? { moreChanges: more } : {}),
    incident: {
      ids: notice.incidents.map((i) => i.id),
      state: notice.state,
      ...(Number.isFinite(opened) ? { openedAt: new Date(opened).toISOString() } : {}),
    },
  }
  // What the role lost since last known good; a notice about refused data says nothing of the role's policies.
  const base = { ...common, ...(ctx.decision.changes.length > 0 ? { changes: ctx.decision.changes } : {}) }
  const kind = ctx.preflight ? ('preflight' as const) : ('drift' as const)
  const names = environments.map((x) => x.name)
  switch (notice.kind) {
    case 'refused': {
      const about = new Set(notice.incidents.map((i) => `${i.region}\n${i.environment}`))
      const refused = e.refused.filter((r) => about.has(`${r.region}\n${incidentEnvironment(r.environment.Name)}`))
      return {
        ...common,
        kind: 'environment-refused',
        report: emptyReport(e.role, names),
        outcome: 'refused',
        writes: [],
        blocked: [],
        refusals: refusedValues(refused),
      }
    }
    case 'refusal-resolved':
      return {
        ...common,
        kind: 'resolved',
        about: 'refusal',
        report: emptyReport(e.role, names),
        outcome: 'resolved',
        writes: [],
        blocked: [],
        resolvedBy: refusalResolvedBy(notice, triggers),
      }
    case 'heal': {
      const heal = ctx.heal
      const outcome = heal?.outcome ?? 'healed'
      // What drifted: the report read before the heal; only a failed heal reports the re-read.
      const report = heal && heal.outcome === 'failed' ? heal.report : e.report
      return {
        ...base,
        kind,
        report,
        outcome,
        writes: heal?.writes ?? [],
        blocked: heal?.blocked ?? e.plan.blocked,
        ...(heal?.error ? { error: heal.error } : {}),
      }
    }
    case 'problem': {
      // A heal that wrote nothing (refused by the write guard, failed at its first write) says how it failed.
      const heal = ctx.heal
      const outcome: AlertOutcome = heal ? heal.outcome : e.mode === 'alert' ? 'reported' : 'blocked'
      return {
        ...base,
        kind,
        report: e.report,
        outcome,
        writes: [],
        ...(e.mode === 'alert' ? { proposed: e.plan.writes } : {}),
        blocked: heal?.blocked ?? e.plan.blocked,
        ...(heal?.error ? { error: heal.error } : {}),
      }
    }
    case 'resolved':
      return {
        ...base,
        kind: 'resolved',
        report: e.report,
        outcome: 'resolved',
        writes: [],
        blocked: [],
        resolvedBy: resolvedBy(notice, triggers),
      }
    case 'contested': {
      const gate = ctx.decision.gate
      const contested = gate?.kind === 'contested' ? gate.contested : ctx.record.contested
      return {
        ...base,
        kind: 'contested',
        report: e.report,
        outcome: 'contested',
        writes: [],
        blocked: e.plan.blocked,
        contest: {
          actors: contested?.actors ?? [],
          removing: contested?.removing ?? [],
          heals: ctx.decision.fight.heals.length,
          windowMinutes: Math.round(ctx.settings.fightWindowMs / 60_000),
        },
      }
    }
  }
}

/** The person or thing an incident's resolution is credited to. */
function resolvedBy(notice: NoticePlan, triggers: readonly RoleTrigger[]): string {
  const by = new Set(notice.incidents.map((i) => i.by))
  if (by.has('environment-gone')) {
    const names = notice.incidents.filter((i) => i.by === 'environment-gone').map((i) => i.environment)
    return `environment ${names.join(', ')} no longer uses this role (deleted, or given another execution role)`
  }
  if (by.has('heal')) return "the guard's heal"
  if (triggers.length === 0) return 'a change found by the periodic check (no event named it)'
  return triggers.map((t) => changeLine(t.change)).join('; ')
}

/** Who or what ended a refusal: the environment gone, or its description valid again (and the change that did it). */
function refusalResolvedBy(notice: NoticePlan, triggers: readonly RoleTrigger[]): string {
  const gone = notice.incidents.filter((i) => i.by === 'environment-gone').map((i) => i.environment)
  if (gone.length > 0)
    return `environment ${gone.join(', ')} no longer uses this role (deleted, or given another execution role)`
  const when =
    triggers.length === 0
      ? 'found by the periodic check'
      : `read after ${triggers.map((t) => changeLine(t.change)).join('; ')}`
  return `the environment's description (GetEnvironment) passes validation again, ${when}`
}

function changeLine(c: Change): string {
  return `${describeCaller(c.caller)}: ${c.description}${c.time ? ` at ${c.time}` : ''}`
}

/** Who made a change, for fight detection and history: the principal, and the service it came through. */
export function actorOf(change: Change): string {
  const { caller } = change
  const who =
    caller.arn && caller.invokedBy
      ? `${caller.arn} via ${caller.invokedBy}`
      : (caller.arn ?? caller.invokedBy ?? `an unknown ${caller.type} principal`)
  // Stored in the state table (UTF-8): a lone surrogate from a hostile event becomes U+FFFD.
  return who.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').slice(0, 2048)
}
