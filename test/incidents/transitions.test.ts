import { describe, expect, it } from 'vitest'
import type { Finding } from '../../lib/drift/findings'
import {
  DEFAULT_MEMORY_SETTINGS,
  incidentTransitions,
  markNotified,
  planNotices,
  type IncidentRecord,
} from '../../lib/incidents'
import { DOC } from './docs'
import { ENV, HOUR, missing, openIncident, REGION, T0 } from './support'

const logs = missing('AirflowLogs')
const queue = missing('CeleryQueue')
const settings = DEFAULT_MEMORY_SETTINGS

type Row = [
  doc: string,
  name: string,
  open: IncidentRecord | undefined,
  before: Finding[],
  after: Finding[],
  now: number,
  transition: string | undefined,
]

const rows: Row[] = [
  [DOC.alertmanager, 'healthy, nothing open', undefined, [], [], T0, undefined],
  [DOC.alertmanager, 'drift found, not healed (alert mode)', undefined, logs, logs, T0, 'opened'],
  [DOC.alertmanager, 'drift found and healed in one go', undefined, logs, [], T0, 'healed'],
  [DOC.alertmanager, 'drift partly healed', undefined, [...logs, ...queue], queue, T0, 'opened'],
  [DOC.alertmanager, 'same drift again, before remindAfter', openIncident(logs), logs, logs, T0 + HOUR, 'unchanged'],
  [DOC.alertmanager, 'same drift again, at remindAfter', openIncident(logs), logs, logs, T0 + 24 * HOUR, 'reminded'],
  [
    DOC.alertmanager,
    'more missing than when opened',
    openIncident(logs),
    [...logs, ...queue],
    [...logs, ...queue],
    T0 + HOUR,
    'changed',
  ],
  [DOC.alertmanager, 'fixed by someone (the read is healthy)', openIncident(logs), [], [], T0 + HOUR, 'resolved'],
  [DOC.alertmanager, 'fixed by a heal', openIncident(logs), logs, [], T0 + HOUR, 'resolved'],
]

describe('incident transitions per environment', () => {
  it.each(rows)('%s: %s -> %s', (_doc, _name, open, before, after, now, transition) => {
    const result = incidentTransitions({
      role: 'exec-role',
      open: open ? [open] : [],
      environments: [{ environment: ENV, region: REGION, before, after }],
      now,
      settings,
    })
    expect(result.transitions.map((t) => t.kind)[0]).toBe(transition)
    const stillOpen = transition !== undefined && !['resolved', 'healed'].includes(transition)
    expect(result.open.length).toBe(stillOpen ? 1 : 0)
    // An incident keeps its id while it is open, so every notice about it threads together.
    if (open && stillOpen) expect(result.open[0]!.id).toBe(open.id)
  })

  it(`${DOC.alertmanager}: an environment that no longer uses the role resolves its incident`, () => {
    const result = incidentTransitions({ role: 'r', open: [openIncident(logs)], environments: [], now: T0, settings })
    expect(result.transitions).toEqual([expect.objectContaining({ kind: 'resolved', by: 'environment-gone' })])
    expect(result.open).toEqual([])
  })

  // A sweep whose ListEnvironments failed in a region, or an environment whose data was refused, has not seen it:
  // its incident must not be closed as "environment deleted".
  it.each([
    ['its region not listed', { region: REGION }, true],
    ['its description not read', { region: REGION, environment: ENV }, true],
    ['another environment not read', { region: REGION, environment: 'other' }, false],
    ['another region not listed', { region: 'eu-west-1' }, false],
  ])(`${DOC.alertmanager}: environment not seen (%s): its incident stays open, unchanged`, (_why, unseen, kept) => {
    const incident = openIncident(logs)
    const result = incidentTransitions({
      role: 'r',
      open: [incident],
      environments: [],
      unseen: [unseen],
      now: T0,
      settings,
    })
    expect(result.open).toEqual(kept ? [incident] : [])
    expect(result.transitions.map((t) => t.kind)).toEqual(kept ? [] : ['resolved'])
  })

  it(`${DOC.alertmanager}: resolutions say whether the heal or someone else fixed it`, () => {
    const by = (before: Finding[]) =>
      incidentTransitions({
        role: 'r',
        open: [openIncident(logs)],
        environments: [{ environment: ENV, region: REGION, before, after: [] }],
        now: T0,
        settings,
      }).transitions[0]
    expect(by(logs)).toMatchObject({ kind: 'resolved', by: 'heal' })
    expect(by([])).toMatchObject({ kind: 'resolved', by: 'change' })
  })
})

describe('notices: one per problem, reminded at most every remindAfter, one resolved', () => {
  const run = (open: IncidentRecord[], before: Finding[], after: Finding[], now: number, healed = false) => {
    const t = incidentTransitions({
      role: 'r',
      open,
      environments: [{ environment: ENV, region: REGION, before, after }],
      now,
      settings,
    })
    const plan = planNotices({ transitions: t.transitions, healed, newlyContested: false })
    return { ...plan, open: markNotified(t.open, plan.notified, now) }
  }

  it(`${DOC.alertmanager}: three checks of the same drift inside remindAfter send one notice`, () => {
    let open: IncidentRecord[] = []
    const sent: string[] = []
    for (const now of [T0, T0 + 6 * HOUR, T0 + 12 * HOUR]) {
      const step = run(open, logs, logs, now)
      sent.push(...step.notices.map((n) => n.state))
      open = step.open
    }
    expect(sent).toEqual(['open'])
    // 24 hours after the notice, a reminder; the next reminder counts from it.
    const reminded = run(open, logs, logs, T0 + 24 * HOUR)
    expect(reminded.notices.map((n) => n.state)).toEqual(['reminder'])
    expect(run(reminded.open, logs, logs, T0 + 30 * HOUR).notices).toEqual([])
    // Fixed: exactly one resolved notice, then silence.
    const fixed = run(reminded.open, [], [], T0 + 31 * HOUR)
    expect(fixed.notices.map((n) => [n.kind, n.state])).toEqual([['resolved', 'resolved']])
    expect(run(fixed.open, [], [], T0 + 32 * HOUR).notices).toEqual([])
  })

  it(`${DOC.pagerDuty}: a healed drift is one notice, not an open and a resolve`, () => {
    const healed = run([], logs, [], T0, true)
    expect(healed.notices.map((n) => [n.kind, n.state])).toEqual([['heal', 'resolved']])
    expect(healed.open).toEqual([])
  })

  it(`${DOC.pagerDuty}: a heal of an already open incident resolves it in that same one notice`, () => {
    const opened = run([], logs, logs, T0)
    const healed = run(opened.open, logs, [], T0 + HOUR, true)
    expect(healed.notices).toEqual([
      expect.objectContaining({
        kind: 'heal',
        state: 'resolved',
        incidents: [expect.objectContaining({ id: opened.open[0]!.id, by: 'heal' })],
      }),
    ])
  })

  it(`${DOC.alertmanager}: a change of what is missing is told at once, on the same incident id`, () => {
    const opened = run([], logs, logs, T0)
    const changed = run(opened.open, [...logs, ...queue], [...logs, ...queue], T0 + HOUR)
    expect(changed.notices.map((n) => n.state)).toEqual(['changed'])
    expect(changed.notices[0]!.incidents[0]!.id).toBe(opened.open[0]!.id)
    expect(changed.open[0]!.notifiedAt).toBe(T0 + HOUR)
  })

  it(`${DOC.configRemediation}: a newly contested role sends one contested notice about its open incidents`, () => {
    const t = incidentTransitions({
      role: 'r',
      open: [],
      environments: [{ environment: ENV, region: REGION, before: logs, after: logs }],
      now: T0,
      settings,
    })
    const plan = planNotices({ transitions: t.transitions, healed: false, newlyContested: true })
    expect(plan.notices.map((n) => [n.kind, n.state])).toEqual([['contested', 'contested']])
    expect([...plan.notified]).toEqual([t.open[0]!.id])
  })
})
