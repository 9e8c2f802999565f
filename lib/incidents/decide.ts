/**
 * One reconcile's decisions, from the role's record and what was read live: whether to heal (or defer, or stop
 * because the role is contested), what to remember as last-known-good, what changed since then, and whether the
 * run needs the lease (it will notify or write to IAM) or only a state write, or nothing at all (the common case:
 * a healthy role with nothing open costs one read). Then, once the shell has acted, the record to store and the
 * notices to send. Pure: the shell reads, acts and writes.
 */
import type { Finding } from '../drift/findings'
import type { RoleState } from '../drift/types'
import { canonicalJson } from './hash'
import { healGate, recordHeal, settleFight, type FightState, type HealGate } from './fight'
import { lastKnownGoodChanged, lastKnownGoodOf } from './last-known-good'
import { isRefusalNotice, planNotices, type NoticePlan } from './notices'
import { diffAgainstLastKnownGood, describeChange } from './policy-diff'
import { refusalTransitions, type RefusedView } from './refusals'
import type { IncidentRecord, LastKnownGood, RoleRecord } from './role-record'
import type { MemorySettings } from './settings'
import {
  incidentTransitions,
  markNotified,
  type EnvironmentFindings,
  type Transition,
  type Unseen,
} from './transitions'

/** An environment that uses the role, and what it misses as read. */
export type EnvironmentView = { environment: string; region: string; findings: Finding[] }

export type DecideInput = {
  record: RoleRecord
  role: RoleState
  mode: 'heal' | 'alert' | 'off'
  environments: readonly EnvironmentView[]
  /** environments that may use the role but were not evaluated (refused, not listed): their incidents stay open */
  unseen?: readonly Unseen[]
  /** environments that use the role and whose data was refused: each is an incident of its own (refusals.ts) */
  refused?: readonly RefusedView[]
  /** at least one finding a heal can fix */
  healable: boolean
  /** the principals whose changes triggered this reconcile (none for a sweep) */
  actors: readonly string[]
  /** one of the triggering changes set the mode tag */
  modeTagSet: boolean
  /** what is missing, one line per feature: what "they keep removing" says when nothing is remembered to compare */
  missing?: readonly string[]
  now: number
  settings: MemorySettings
}

export type Action = 'none' | 'report' | 'heal' | 'defer' | 'contested' | 'recover'

export type Decision = {
  action: Action
  gate?: HealGate
  /** the fight state after forgetting what is over */
  fight: FightState
  /** last-known-good to store (the role is healthy and its policies changed) */
  lastKnownGood?: LastKnownGood
  /** what the role lost since last-known-good, one line each (empty when healthy or nothing is remembered) */
  changes: string[]
  /** the transitions if nothing is written to IAM (what alert mode, a block or a deferral would report) */
  transitions: Transition[]
  /** it will notify or write to IAM: take the lease */
  needsLease: boolean
  /** it found or did something: write the record (and a history entry) */
  needsWrite: boolean
  /** as given: conclude keeps their incidents open too */
  unseen: readonly Unseen[]
  /** as given: conclude decides their incidents too */
  refused: readonly RefusedView[]
  /** the role's mode: in mode off only refusals are told (drift incidents change silently) */
  mode: DecideInput['mode']
}

/** Decides before acting. */
export function decide(input: DecideInput): Decision {
  const { record, now, settings } = input
  const fight = settleFight(record, { now, settings, modeTagSet: input.modeTagSet })
  const drifted = input.environments.some((e) => e.findings.length > 0)
  const snapshot = drifted ? undefined : lastKnownGoodOf(input.role, now)
  const lastKnownGood = snapshot && lastKnownGoodChanged(record.lastKnownGood, snapshot) ? snapshot : undefined
  const changes =
    drifted && record.lastKnownGood
      ? diffAgainstLastKnownGood(record.lastKnownGood, input.role).map(describeChange)
      : []
  const refused = input.refused ?? []
  const unchanged = transitionsOf({
    record,
    environments: input.environments.map((e) => ({ ...e, before: e.findings, after: e.findings })),
    unseen: input.unseen ?? [],
    refused,
    now,
    settings,
  }).transitions

  let action: Action = drifted ? 'report' : 'none'
  let gate: HealGate | undefined
  if (record.intent && !drifted) action = 'recover'
  else if (input.mode === 'off') action = 'none'
  else if (input.mode === 'heal' && input.healable) {
    gate = healGate(fight, {
      now,
      settings,
      actors: input.actors,
      modeTagSet: input.modeTagSet,
      removing: changes.length > 0 ? changes : (input.missing ?? []),
    })
    action = gate.kind
  }
  const planned = planNotices({ transitions: unchanged, healed: false, newlyContested: false }).notices
  const wouldNotify = planned.some((n) => !isRefusalNotice(n))
  const notifies =
    action === 'heal' ||
    action === 'recover' ||
    (action === 'contested' && gate?.kind === 'contested' && gate.newly) ||
    (action !== 'defer' && wouldNotify)
  // Refused data is told whatever the mode and the heal gate: it may be someone trying to steer the guard.
  const needsLease = (input.mode !== 'off' && notifies) || planned.some(isRefusalNotice)
  const refusalChanged = unchanged.some((t) => t.incident.kind === 'refused' && t.kind !== 'unchanged')
  const needsWrite =
    needsLease ||
    lastKnownGood !== undefined ||
    canonicalJson(fight) !== canonicalJson(fightOf(record)) ||
    (input.mode !== 'off' &&
      (drifted || unchanged.some((t) => t.kind !== 'unchanged' && t.incident.kind !== 'refused'))) ||
    // Every sighting of refused data is history, told or not.
    refused.length > 0 ||
    refusalChanged
  return {
    action,
    ...(gate ? { gate } : {}),
    fight,
    ...(lastKnownGood ? { lastKnownGood } : {}),
    changes,
    transitions: unchanged,
    needsLease,
    needsWrite,
    unseen: input.unseen ?? [],
    refused,
    mode: input.mode,
  }
}

/** The drift transitions of the environments evaluated, and the refusal transitions of those refused. */
function transitionsOf(input: {
  record: RoleRecord
  environments: readonly EnvironmentFindings[]
  unseen: readonly Unseen[]
  refused: readonly RefusedView[]
  now: number
  settings: MemorySettings
}): { transitions: Transition[]; open: IncidentRecord[] } {
  const { record, now, settings } = input
  const drift = incidentTransitions({
    role: record.role,
    open: record.incidents,
    environments: input.environments,
    unseen: input.unseen,
    now,
    settings,
  })
  const refusals = refusalTransitions({
    role: record.role,
    open: record.incidents,
    refused: input.refused,
    accepted: input.environments,
    unseen: input.unseen,
    now,
    settings,
  })
  return { transitions: [...drift.transitions, ...refusals.transitions], open: [...drift.open, ...refusals.open] }
}

function fightOf(record: RoleRecord): FightState {
  return {
    heals: record.heals,
    ...(record.nextHealAt !== undefined ? { nextHealAt: record.nextHealAt } : {}),
    ...(record.contested ? { contested: record.contested } : {}),
  }
}

export type ConcludeInput = {
  decision: Decision
  record: RoleRecord
  /** per environment: what was missing when read, and what is still missing after acting */
  environments: readonly EnvironmentFindings[]
  /** the reconcile made at least one IAM write */
  wrote: boolean
  /** the role as the heal's verification read showed it, when it grants everything: the new last-known-good */
  healedRole?: RoleState
  actors: readonly string[]
  now: number
  settings: MemorySettings
}

/** After acting: the record to store (lease and intent are the shell's), the transitions and the notices to send. */
export function conclude(input: ConcludeInput): { next: RoleRecord; transitions: Transition[]; notices: NoticePlan[] } {
  const { decision, record, now, settings } = input
  // Seen compliant: by the read, or by the heal's verification read.
  const known = input.healedRole ? lastKnownGoodOf(input.healedRole, now) : decision.lastKnownGood
  const base: RoleRecord = {
    ...record,
    heals: decision.fight.heals,
    ...(known && lastKnownGoodChanged(record.lastKnownGood, known) ? { lastKnownGood: known } : {}),
  }
  delete base.nextHealAt
  delete base.contested
  if (decision.fight.nextHealAt !== undefined) base.nextHealAt = decision.fight.nextHealAt
  if (decision.fight.contested) base.contested = decision.fight.contested
  if (decision.action === 'defer') {
    // Deferred: the drift incidents wait for the heal; refused data is decided and told as always.
    const refusals = refusalTransitions({
      role: record.role,
      open: record.incidents,
      refused: decision.refused,
      accepted: input.environments,
      unseen: decision.unseen,
      now,
      settings,
    })
    const { notices, notified } = planNotices({
      transitions: refusals.transitions,
      healed: false,
      newlyContested: false,
    })
    const drift = record.incidents.filter((i) => i.kind !== 'refused')
    return {
      next: { ...base, incidents: markNotified([...drift, ...refusals.open], notified, now) },
      transitions: refusals.transitions,
      notices,
    }
  }
  if (decision.gate?.kind === 'contested') base.contested = decision.gate.contested
  // Only a heal that restored something counts towards a fight (pruning the restore policy undoes nobody).
  if (input.wrote && input.environments.some((e) => e.before.length > 0)) {
    const fight = recordHeal(decision.fight, { now, settings, actors: input.actors, modeTagSet: false })
    base.heals = fight.heals
    if (fight.nextHealAt !== undefined) base.nextHealAt = fight.nextHealAt
  }
  const all = transitionsOf({
    record,
    environments: input.environments,
    unseen: decision.unseen,
    refused: decision.refused,
    now,
    settings,
  })
  // Mode off: no drift incident is opened (none would be told; switched to alert, the role's drift must be new).
  const unopened = (t: Transition) => decision.mode === 'off' && t.kind === 'opened' && !isRefusalTransition(t)
  const transitions = all.transitions.filter((t) => !unopened(t))
  const open = all.open.filter((i) => !all.transitions.some((t) => unopened(t) && t.incident.id === i.id))
  if (decision.action === 'recover') {
    // The stored notice of the interrupted heal tells what was healed; the incidents it closed say nothing more.
    const healed = transitions.map((t) =>
      t.kind === 'resolved' && t.by === 'change' && t.incident.kind !== 'refused' ? { ...t, by: 'heal' as const } : t,
    )
    const refusals = planNotices({
      transitions: healed.filter(isRefusalTransition),
      healed: false,
      newlyContested: false,
    })
    return {
      next: { ...base, incidents: markNotified(open, refusals.notified, now) },
      transitions: healed,
      notices: refusals.notices,
    }
  }
  const newlyContested = decision.gate?.kind === 'contested' && decision.gate.newly
  const planned = planNotices({ transitions, healed: input.wrote, newlyContested })
  // Mode off: drift incidents change silently (the sweep's summary lists off roles that drifted); refusals are told.
  const notices = decision.mode === 'off' ? planned.notices.filter(isRefusalNotice) : planned.notices
  const notified =
    decision.mode === 'off'
      ? new Set(notices.flatMap((n) => n.incidents.map((i) => i.id)).filter((id) => planned.notified.has(id)))
      : planned.notified
  return { next: { ...base, incidents: markNotified(open, notified, now) }, transitions, notices }
}

function isRefusalTransition(t: Transition): boolean {
  return t.incident.kind === 'refused'
}
