/**
 * Fight detection and back-off. A heal that keeps being undone means two sources of truth disagree (Terraform, a
 * CloudFormation stack, a person): healing again only feeds the fight. After `maxHeals` heals within `fightWindowMs`
 * the role is contested: healing stops, one critical alert names who undid the heals, and healing resumes when a
 * window passes without a new undo or when someone sets the mode tag again. Between heals the guard backs off
 * exponentially (capped), as a controller's work queue does.
 */
import type { ContestedRecord, HealRecord, RoleRecord } from './role-record'
import type { MemorySettings } from './settings'

export type FightState = Pick<RoleRecord, 'heals' | 'nextHealAt' | 'contested'>

/** What the reconcile knows about why it runs. */
export type FightInput = {
  now: number
  settings: MemorySettings
  /** who made the changes this reconcile answers (CloudTrail identities); empty when a sweep found the drift */
  actors: readonly string[]
  /** one of those changes set the mode tag: a person has decided, so any fight is over */
  modeTagSet: boolean
}

export type HealGate =
  | { kind: 'heal' }
  | { kind: 'defer'; until: number }
  | { kind: 'contested'; newly: boolean; contested: ContestedRecord }

/** Forgets a fight that is over (a window without an undo, or the mode tag set again) and heals out of the window. */
export function settleFight(state: FightState, input: Omit<FightInput, 'actors'>): FightState {
  const { now, settings } = input
  const over = input.modeTagSet || (state.contested && now - state.contested.lastUndoAt >= settings.fightWindowMs)
  const heals = input.modeTagSet ? [] : state.heals.filter((h) => now - h.at < settings.fightWindowMs)
  return {
    heals,
    ...(state.nextHealAt !== undefined && state.nextHealAt > now && !input.modeTagSet
      ? { nextHealAt: state.nextHealAt }
      : {}),
    ...(state.contested && !over ? { contested: state.contested } : {}),
  }
}

/**
 * May the role be healed now? Call with a settled state (settleFight) when the role is in heal mode and something
 * healable is missing. `removing` says what is missing, for the contested alert.
 */
export function healGate(state: FightState, input: FightInput & { removing: readonly string[] }): HealGate {
  const { now, settings } = input
  if (state.contested) {
    if (input.actors.length === 0) return { kind: 'contested', newly: false, contested: state.contested }
    // Another change while contested: a new undo, which keeps the fight alive for another window.
    return {
      kind: 'contested',
      newly: false,
      contested: {
        ...state.contested,
        lastUndoAt: now,
        actors: union(state.contested.actors, input.actors, 50),
        removing: union(state.contested.removing, input.removing, 50),
      },
    }
  }
  const recent = state.heals.filter((h) => now - h.at < settings.fightWindowMs)
  if (recent.length >= settings.maxHeals) {
    // Every heal after the first in the window was needed because someone undid the previous one; so is this one.
    const undoers = [...recent.slice(1).flatMap((h) => h.actors), ...input.actors]
    return {
      kind: 'contested',
      newly: true,
      contested: {
        since: now,
        lastUndoAt: now,
        actors: union([], undoers, 50),
        removing: union([], input.removing, 50),
      },
    }
  }
  if (state.nextHealAt !== undefined && state.nextHealAt > now) return { kind: 'defer', until: state.nextHealAt }
  return { kind: 'heal' }
}

/** The fight state after a heal that wrote something: the heal is counted and the next one backs off. */
export function recordHeal(state: FightState, input: FightInput): FightState {
  const { now, settings } = input
  const heal: HealRecord = { at: now, actors: union([], input.actors, 20) }
  const heals = [...state.heals.filter((h) => now - h.at < settings.fightWindowMs), heal]
  return { heals, nextHealAt: now + backoffMs(heals.length, settings) }
}

/** The wait after the k-th heal of a window: base, 2 base, 4 base ... up to the cap. */
export function backoffMs(
  healsInWindow: number,
  settings: Pick<MemorySettings, 'backoffBaseMs' | 'backoffCapMs'>,
): number {
  const exponent = Math.max(0, Math.min(healsInWindow - 1, 30))
  return Math.min(settings.backoffCapMs, settings.backoffBaseMs * 2 ** exponent)
}

function union(a: readonly string[], b: readonly string[], max: number): string[] {
  return [...new Set([...a, ...b])].slice(0, max)
}
