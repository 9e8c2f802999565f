/**
 * The decide, act and remember half of a reconcile. The decisions are lib/incidents'; this file does what they say:
 * nothing more than the read for a healthy role with nothing open; one conditional write (with a history entry) when
 * something was found but nothing is to be told or written; otherwise the lease (with the write-ahead intent before a
 * heal), the heal, the notices, and one transaction that stores the new record and the history entry and releases the
 * lease. A failure in between releases the lease and keeps the intent, so the retry tells what was written.
 */
import { randomUUID } from 'node:crypto'
import type { StoredRole } from '../aws/state-table'
import { featureInfo } from '../baseline/features'
import { describeWrite } from '../report/describe'
import {
  conclude,
  decide,
  emptyRecord,
  type Decision,
  type EnvironmentFindings,
  type HistoryEntry,
  type Intent,
  type NoticePlan,
  type RoleRecord,
} from '../incidents'
import type { Evaluated, RoleTrigger } from './evaluate-role'
import { heal, type HealOutcome } from './heal'
import { historyEntry } from './history'
import { acquire, commit, type Held, release } from './lease'
import { actorOf, noticeRequest, type NoticeContext } from './notice-requests'
import { recoveredNotice } from './recovered-notice'
import type { Deps, RoleResult, RunContext } from './types'

export type RememberInput = {
  triggers: readonly RoleTrigger[]
  preflight: boolean
  source: 'event' | 'sweep'
  evaluation: Evaluated
  /** the role's record as read; undefined without a state table (every decision is then the first) */
  stored?: StoredRole
}

/** Decides, acts, notifies and remembers; 'conflict' when the record changed under it (the caller starts again). */
export async function remember(deps: Deps, run: RunContext, input: RememberInput): Promise<RoleResult | 'conflict'> {
  const { evaluation: e, stored } = input
  const now = run.now().getTime()
  const settings = deps.config.memory
  const record = stored?.record ?? emptyRecord(e.role.name)
  const actors = input.triggers.map((t) => actorOf(t.change))
  const views = e.located.map((l) => ({
    environment: l.environment.Name,
    region: l.region,
    findings: e.report.findings.filter((f) => f.environment === l.environment.Name),
  }))
  const refused = e.refused.map((r) => ({
    environment: r.environment.Name,
    region: r.region,
    refusals: r.refusals,
  }))
  const decision = decide({
    record,
    role: e.role,
    mode: e.mode,
    environments: views,
    unseen: e.unseen,
    refused,
    healable: e.plan.writes.length > 0,
    actors,
    modeTagSet: input.triggers.some((t) => t.modeTagSet === true),
    missing: missingLines(e),
    now,
    settings,
  })
  const result = {
    ...resultOf(e, decision, input.preflight),
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
  }
  const modeChanged = stored !== undefined && record.modeSeen !== e.mode
  if (!decision.needsWrite && !modeChanged) return result
  if (decision.action === 'heal' && deps.dryRun) {
    const dry = await heal(deps, run, { ...e, plan: e.plan })
    return dry.outcome === 'dry-run' ? { ...result, result: 'dry-run', wouldWrite: dry.wouldWrite } : result
  }
  const same = (f: EnvironmentFindings[]) => f
  const unchanged = same(views.map((v) => ({ ...v, before: v.findings, after: v.findings })))
  const history = (
    out: ReturnType<typeof conclude>,
    extra: { writes: string[]; notices: string[]; outcome: string; note?: string },
  ) =>
    historyEntry({
      id: randomUUID(),
      at: now,
      role: e.role.name,
      roleArn: e.role.arn,
      source: decision.action === 'recover' ? 'recovery' : input.preflight ? 'preflight' : input.source,
      triggers: input.triggers,
      environments: [...e.located, ...e.refused].map((l) => l.environment.Name),
      refused: e.refused,
      mode: e.mode,
      findings: e.report.findings,
      changes: decision.changes,
      transitions: out.transitions,
      ...extra,
    })
  const found =
    e.report.findings.length > 0 || e.refused.length > 0 || decision.transitions.some((t) => t.kind !== 'unchanged')

  if (!decision.needsLease) {
    const out = conclude({ decision, record, environments: unchanged, wrote: false, actors, now, settings })
    const outcome = result.result
    const note = decision.action === 'defer' ? `heal deferred until ${result.deferredUntil} (back-off)` : undefined
    const entry =
      found || decision.action === 'defer'
        ? history(out, { writes: [], notices: [], outcome, ...(note ? { note } : {}) })
        : undefined
    if (stored) {
      const written = await deps.state!.writeRole({ ...out.next, modeSeen: e.mode }, stored.version, entry)
      if (!written.written) return 'conflict'
    }
    return { ...result, incidents: incidentsOf(out.transitions) }
  }

  // Something will be told or written: take the lease first (with the intent, before an IAM write).
  const owner = randomUUID()
  const intent = decision.action === 'heal' ? intentOf(decision, record, e, input, settings, now) : undefined
  const held = stored ? await acquire(deps.state!, stored, owner, now, intent) : undefined
  if (stored && !held) return 'conflict'
  let healed: Exclude<HealOutcome, { outcome: 'dry-run' }> | undefined
  let out: ReturnType<typeof conclude>
  const subjects: string[] = []
  try {
    if (decision.action === 'heal') {
      const done = await heal(deps, run, { ...e, plan: e.plan })
      if (done.outcome !== 'dry-run') healed = done
    }
    const after = healed ? healed.report.findings : e.report.findings
    const environments = views.map((v) => ({
      ...v,
      before: v.findings,
      after: after.filter((f) => f.environment === v.environment),
    }))
    const healedRole = healed?.outcome === 'healed' ? healed.role : undefined
    out = conclude({
      decision,
      record,
      environments,
      wrote: (healed?.writes.length ?? 0) > 0,
      actors,
      now,
      settings,
      ...(healedRole ? { healedRole } : {}),
    })
    const ctx: NoticeContext = {
      evaluation: e,
      triggers: input.triggers,
      decision,
      record,
      preflight: input.preflight,
      settings,
      now,
      ...(healed ? { heal: healed } : {}),
    }
    const requests = [
      ...(decision.action === 'recover' && record.intent ? [recoveredNotice(record.intent, e)] : []),
      // After a recovery, only refusals (conclude plans nothing else then).
      ...out.notices.map((n) => noticeRequest(n, ctx)),
    ]
    for (const request of requests) subjects.push(await deps.notify(request))
  } catch (error) {
    if (held) await release(deps.state!, held, deps.log)
    throw error
  }
  const writes =
    healed?.writes.map(describeWrite) ?? (decision.action === 'recover' ? (record.intent?.writes ?? []) : [])
  const outcome = healed?.outcome ?? (decision.action === 'recover' ? 'healed' : result.result)
  if (held) {
    const entry = history(out, {
      writes,
      notices: subjects,
      outcome,
      ...(record.intent && decision.action !== 'recover'
        ? {
            note: `an interrupted heal's intent was dropped: the role still needed healing (it wrote: ${record.intent.writes.join('; ')})`,
          }
        : {}),
    })
    await finish(deps, held, { ...out.next, modeSeen: e.mode }, entry)
  }
  return {
    ...result,
    ...(healed
      ? {
          result: healed.outcome,
          writes: healed.writes.map((w) => w.kind),
          blocked: healed.blocked.length,
          ...(healed.error ? { error: healed.error } : {}),
          // A heal that returns `failed` was refused for good (a retryable write error is thrown, not returned).
          ...(healed.outcome === 'failed' ? { retryable: false } : {}),
        }
      : {}),
    ...(decision.action === 'recover' ? { result: 'healed' as const } : {}),
    alerted: result.alerted || subjects.length > 0,
    incidents: incidentsOf(out.transitions),
  }
}

/**
 * Records the outcome and releases the lease. What was done is done and told: a failure here is logged, not thrown
 * (a retry would tell it again); the lease expires, and a heal's intent makes the next run send its notice again.
 */
async function finish(deps: Deps, held: Held, next: RoleRecord, entry: HistoryEntry): Promise<void> {
  try {
    if (!(await commit(deps.state!, held, next, entry)))
      deps.log.error('state: the lease was lost before the outcome was recorded (another run took over)', {
        role: next.role,
      })
  } catch (error) {
    deps.log.error('state: the outcome could not be recorded; the lease expires on its own', {
      role: next.role,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    })
  }
}

/** The write-ahead intent of a heal: its writes, and the notice a retry sends if this run stops before sending it. */
function intentOf(
  decision: Decision,
  record: RoleRecord,
  e: Evaluated,
  input: RememberInput,
  settings: Deps['config']['memory'],
  now: number,
): Intent {
  // The notice of a heal that fixes everything it can: what the run would send on success.
  const environments = e.located.map((l) => {
    const findings = e.report.findings.filter((f) => f.environment === l.environment.Name)
    const left = e.plan.blocked.map((b) => b.finding).filter((f) => f.environment === l.environment.Name)
    return { environment: l.environment.Name, region: l.region, before: findings, after: left }
  })
  const out = conclude({ decision, record, environments, wrote: true, actors: [], now, settings })
  const heal: NoticePlan = out.notices.find((n) => n.kind === 'heal') ?? {
    kind: 'heal',
    state: 'resolved',
    incidents: [],
  }
  const ctx: NoticeContext = {
    evaluation: e,
    triggers: input.triggers,
    decision,
    record,
    preflight: input.preflight,
    settings,
    now,
  }
  const notice = {
    ...noticeRequest(heal, ctx),
    writes: e.plan.writes,
    outcome: e.plan.blocked.length > 0 ? 'partially-healed' : 'healed',
  }
  return { id: randomUUID(), at: now, writes: e.plan.writes.map(describeWrite), notice: JSON.stringify(notice) }
}

/** What is missing, one line per Airflow feature ("7 permissions of Apache Airflow logs (CloudWatch Logs)"). */
function missingLines(e: Evaluated): string[] {
  const features = [...new Set(e.report.findings.map((f) => f.feature))]
  return features.map((feature) => {
    const n = e.report.findings.filter((f) => f.feature === feature).length
    return `${n} permission${n === 1 ? '' : 's'} of ${featureInfo(feature).title}`
  })
}

/** The role's result before acting: what the decision says (the heal's outcome replaces it). */
function resultOf(e: Evaluated, decision: Decision, preflight: boolean): RoleResult {
  const base: RoleResult = {
    role: e.role.name,
    roleArn: e.role.arn,
    environments: e.located.map((l) => l.environment.Name),
    mode: e.mode,
    result: 'healthy',
    findings: e.report.findings.length,
    writes: [],
    blocked: e.plan.blocked.length,
    alerted: e.alerted,
    preflight,
  }
  const drifted = e.report.findings.length > 0
  // Only environments whose data was refused use the role: nothing was evaluated.
  if (e.located.length === 0 && e.refused.length > 0) return { ...base, result: 'refused' }
  switch (decision.action) {
    case 'none':
      return { ...base, result: e.mode === 'off' ? 'off' : drifted ? 'reported' : 'healthy' }
    case 'report':
      return { ...base, result: e.mode === 'heal' ? 'blocked' : 'reported' }
    case 'defer':
      return {
        ...base,
        result: 'deferred',
        ...(decision.gate?.kind === 'defer' ? { deferredUntil: new Date(decision.gate.until).toISOString() } : {}),
      }
    case 'contested':
      return { ...base, result: 'contested' }
    case 'recover':
    case 'heal':
      return base
  }
}

function incidentsOf(transitions: ReturnType<typeof conclude>['transitions']): RoleResult['incidents'] {
  return transitions.map((t) => ({
    id: t.incident.id,
    environment: t.incident.environment,
    transition: t.kind,
    ...(t.incident.kind === 'refused' ? { kind: 'refused' as const } : {}),
  }))
}
