import { describe, expect, it } from 'vitest'
import {
  backoffMs,
  DEFAULT_MEMORY_SETTINGS,
  healGate,
  recordHeal,
  settleFight,
  type FightState,
  type HealGate,
} from '../../lib/incidents'
import { DOC } from './docs'
import { HOUR, MINUTE, T0 } from './support'

const settings = DEFAULT_MEMORY_SETTINGS
const terraform = 'arn:aws:sts::111122223333:assumed-role/terraform-ci/run-42'
const alice = 'arn:aws:iam::111122223333:user/alice'
const idle: FightState = { heals: [] }

/** One reconcile of a drifted heal-mode role: settle, ask the gate, count the heal if it was allowed. */
function reconcile(
  state: FightState,
  now: number,
  actors: string[],
  modeTagSet = false,
): { state: FightState; gate: HealGate } {
  const settled = settleFight(state, { now, settings, modeTagSet })
  const gate = healGate(settled, { now, settings, actors, modeTagSet, removing: ['inline policy `logs` removed'] })
  if (gate.kind === 'heal') return { gate, state: recordHeal(settled, { now, settings, actors, modeTagSet }) }
  if (gate.kind === 'contested') return { gate, state: { ...settled, contested: gate.contested } }
  return { gate, state: settled }
}

describe('fight detection: more than maxHeals heals in fightWindow make the role contested', () => {
  it(`${DOC.configRemediation}: 20 undos, each after the back-off -> ${settings.maxHeals} heals, then one contested decision naming the actor, 0 heals after`, () => {
    let state = idle
    let now = T0
    const gates: HealGate[] = []
    for (let undo = 1; undo <= 20; undo++) {
      const step = reconcile(state, now, undo === 1 ? [alice] : [terraform])
      gates.push(step.gate)
      state = step.state
      now += 2 * MINUTE + (step.gate.kind === 'heal' ? backoffMs(state.heals.length, settings) : 0)
    }
    expect(gates.filter((g) => g.kind === 'heal')).toHaveLength(settings.maxHeals)
    const contested = gates.filter((g) => g.kind === 'contested')
    expect(contested.filter((g) => g.kind === 'contested' && g.newly)).toHaveLength(1)
    expect(contested).toHaveLength(20 - settings.maxHeals)
    // The first change was the drift itself; every later one undid a heal: Terraform's session is named, alice is not.
    const first = contested[0] as Extract<HealGate, { kind: 'contested' }>
    expect(first.contested.actors).toEqual([terraform])
    expect(first.contested.removing).toEqual(['inline policy `logs` removed'])
  })

  it(`${DOC.configRemediation}: heals spread over more than the window never contest`, () => {
    let state = idle
    const gates: string[] = []
    for (let i = 0; i < 6; i++) {
      const step = reconcile(state, T0 + i * 25 * MINUTE, [terraform])
      gates.push(step.gate.kind)
      state = step.state
    }
    expect(gates).toEqual(['heal', 'heal', 'heal', 'heal', 'heal', 'heal'])
  })

  it(`${DOC.configRemediation}: healing resumes when a window passes without a new undo`, () => {
    let state = idle
    for (const t of [0, 2, 5]) state = reconcile(state, T0 + t * MINUTE, [terraform]).state
    const contested = reconcile(state, T0 + 10 * MINUTE, [terraform])
    expect(contested.gate).toMatchObject({ kind: 'contested', newly: true })
    // a sweep inside the window finds it still drifted: no new undo, still contested
    const sweep = reconcile(contested.state, T0 + 40 * MINUTE, [])
    expect(sweep.gate).toMatchObject({ kind: 'contested', newly: false })
    expect(sweep.state.contested?.lastUndoAt).toBe(T0 + 10 * MINUTE)
    // an hour after the last undo, a sweep heals again
    expect(reconcile(sweep.state, T0 + 10 * MINUTE + HOUR, []).gate.kind).toBe('heal')
  })

  it(`${DOC.configRemediation}: a new undo while contested keeps the role contested for another window`, () => {
    let state = idle
    for (const t of [0, 2, 5, 10]) state = reconcile(state, T0 + t * MINUTE, [terraform]).state
    state = reconcile(state, T0 + 50 * MINUTE, [alice]).state
    expect(state.contested?.actors).toEqual([terraform, alice])
    expect(reconcile(state, T0 + 10 * MINUTE + HOUR, []).gate.kind).toBe('contested')
    expect(reconcile(state, T0 + 50 * MINUTE + HOUR, []).gate.kind).toBe('heal')
  })

  it(`${DOC.configRemediation}: setting the mode tag again ends the fight at once`, () => {
    let state = idle
    for (const t of [0, 2, 5, 10]) state = reconcile(state, T0 + t * MINUTE, [terraform]).state
    expect(state.contested).toBeDefined()
    const tagged = reconcile(state, T0 + 11 * MINUTE, [alice], true)
    expect(tagged.gate.kind).toBe('heal')
    expect(tagged.state.heals).toHaveLength(1)
  })
})

describe('back-off between heals: exponential, capped', () => {
  it.each([
    [1, MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [4, 8 * MINUTE],
    [5, 15 * MINUTE],
    [40, 15 * MINUTE],
  ])('after heal %i of a window the next waits %i ms', (heals, wait) => {
    expect(backoffMs(heals, settings)).toBe(wait)
  })

  it('a drift inside the back-off is deferred to its end, then healed', () => {
    const first = reconcile(idle, T0, [terraform])
    const early = reconcile(first.state, T0 + 30_000, [terraform])
    expect(early.gate).toEqual({ kind: 'defer', until: T0 + MINUTE })
    expect(reconcile(early.state, T0 + MINUTE, []).gate.kind).toBe('heal')
  })

  it('the first heal after a quiet window does not wait', () => {
    const first = reconcile(idle, T0, [terraform])
    expect(reconcile(first.state, T0 + 2 * HOUR, [terraform]).gate.kind).toBe('heal')
  })
})
