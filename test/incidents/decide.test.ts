import { describe, expect, it } from 'vitest'
import type { Finding } from '../../lib/drift/findings'
import {
  conclude,
  decide,
  DEFAULT_MEMORY_SETTINGS,
  emptyRecord,
  lastKnownGoodOf,
  type DecideInput,
  type RoleRecord,
} from '../../lib/incidents'
import { baselineOf, roleOf } from '../drift/support'
import { DOC } from './docs'
import { ENV, HOUR, MINUTE, missing, openIncident, REGION, T0 } from './support'

const b = baselineOf('custodian-1')
const healthyRole = roleOf(b)
const logs = missing('AirflowLogs')
const remembered: RoleRecord = { ...emptyRecord('exec'), lastKnownGood: lastKnownGoodOf(healthyRole, T0 - HOUR) }
const terraform = 'arn:aws:sts::111122223333:assumed-role/terraform-ci/run-1'

const input = (over: Partial<DecideInput> & { findings?: Finding[] } = {}): DecideInput => {
  const { findings = [], ...rest } = over
  return {
    record: remembered,
    role: healthyRole,
    mode: 'alert',
    environments: [{ environment: ENV, region: REGION, findings }],
    healable: findings.some((f) => f.kind === 'not-granted'),
    actors: [terraform],
    modeTagSet: false,
    now: T0,
    settings: DEFAULT_MEMORY_SETTINGS,
    ...rest,
  }
}

type Row = [string, string, DecideInput, { action: string; needsLease: boolean; needsWrite: boolean }]
const rows: Row[] = [
  [
    DOC.dynamoItems,
    'healthy, last-known-good unchanged: one read, nothing else',
    input(),
    { action: 'none', needsLease: false, needsWrite: false },
  ],
  [
    DOC.dynamoItems,
    'healthy, first seen: remember its policies (one write, no lease)',
    input({ record: emptyRecord('exec') }),
    { action: 'none', needsLease: false, needsWrite: true },
  ],
  [
    DOC.alertmanager,
    'alert mode, new drift: notify (lease)',
    input({ findings: logs }),
    { action: 'report', needsLease: true, needsWrite: true },
  ],
  [
    DOC.alertmanager,
    'alert mode, the same drift already told: history only',
    input({ findings: logs, record: { ...remembered, incidents: [openIncident(logs)] }, now: T0 + HOUR }),
    { action: 'report', needsLease: false, needsWrite: true },
  ],
  [
    DOC.alertmanager,
    'alert mode, the same drift at remindAfter: remind (lease)',
    input({ findings: logs, record: { ...remembered, incidents: [openIncident(logs)] }, now: T0 + 24 * HOUR }),
    { action: 'report', needsLease: true, needsWrite: true },
  ],
  [
    DOC.alertmanager,
    'fixed by someone: resolve (lease)',
    input({ record: { ...remembered, incidents: [openIncident(logs)] } }),
    { action: 'none', needsLease: true, needsWrite: true },
  ],
  [
    DOC.configRemediation,
    'heal mode, drift: heal (lease)',
    input({ findings: logs, mode: 'heal' }),
    { action: 'heal', needsLease: true, needsWrite: true },
  ],
  [
    DOC.configRemediation,
    'heal mode, inside the back-off: defer (history only)',
    input({
      findings: logs,
      mode: 'heal',
      record: { ...remembered, heals: [{ at: T0 - 10_000, actors: [] }], nextHealAt: T0 + 50_000 },
    }),
    { action: 'defer', needsLease: false, needsWrite: true },
  ],
  [
    DOC.configRemediation,
    'heal mode, fourth heal in the window: contested (lease: one critical notice)',
    input({
      findings: logs,
      mode: 'heal',
      record: { ...remembered, heals: [1, 2, 3].map((m) => ({ at: T0 - m * 10 * MINUTE, actors: [terraform] })) },
    }),
    { action: 'contested', needsLease: true, needsWrite: true },
  ],
  [
    DOC.configRemediation,
    'contested, a sweep finds the same drift: history only',
    input({
      findings: logs,
      mode: 'heal',
      actors: [],
      record: {
        ...remembered,
        incidents: [openIncident(logs)],
        contested: { since: T0 - MINUTE, lastUndoAt: T0 - MINUTE, actors: [terraform], removing: [] },
      },
    }),
    { action: 'contested', needsLease: false, needsWrite: true },
  ],
  [
    DOC.mwaaRole,
    'mode off: nothing, whatever is missing',
    input({ findings: logs, mode: 'off' }),
    { action: 'none', needsLease: false, needsWrite: false },
  ],
  [
    DOC.dynamoItems,
    'an interrupted heal (intent) and the role now healthy: send its notice (lease)',
    input({ record: { ...remembered, intent: { id: 'i', at: T0 - MINUTE, writes: ['w'], notice: '{}' } } }),
    { action: 'recover', needsLease: true, needsWrite: true },
  ],
]

describe('decide: what one reconcile must do, and what it costs in DynamoDB', () => {
  it.each(rows)('%s: %s', (_doc, _name, given, want) => {
    expect(decide(given)).toMatchObject(want)
  })

  it(`${DOC.grammar}: a drifted role is described against its last-known-good policies`, () => {
    const drifted = roleOf(b, { inlinePolicies: [] })
    const decision = decide(input({ role: drifted, findings: logs }))
    expect(decision.changes).toEqual([expect.stringMatching(/^inline policy `execution` removed \(\d+ statements: /)])
  })
})

describe('conclude: the record to store and the notices to send', () => {
  const env = (before: Finding[], after: Finding[]) => [{ environment: ENV, region: REGION, before, after }]

  it(`${DOC.configRemediation}: a heal that wrote is counted, backs the next one off, and is one notice`, () => {
    const given = input({ findings: logs, mode: 'heal' })
    const decision = decide(given)
    const out = conclude({
      decision,
      record: given.record,
      environments: env(logs, []),
      wrote: true,
      actors: [terraform],
      now: T0,
      settings: DEFAULT_MEMORY_SETTINGS,
    })
    expect(out.next.heals).toEqual([{ at: T0, actors: [terraform] }])
    expect(out.next.nextHealAt).toBe(T0 + DEFAULT_MEMORY_SETTINGS.backoffBaseMs)
    expect(out.notices.map((n) => [n.kind, n.state])).toEqual([['heal', 'resolved']])
    expect(out.next.incidents).toEqual([])
  })

  it(`${DOC.configRemediation}: a deferred heal changes no incident and sends nothing`, () => {
    const given = input({
      findings: logs,
      mode: 'heal',
      record: { ...remembered, heals: [{ at: T0 - 10_000, actors: [] }], nextHealAt: T0 + 50_000 },
    })
    const out = conclude({
      decision: decide(given),
      record: given.record,
      environments: env(logs, logs),
      wrote: false,
      actors: [],
      now: T0,
      settings: DEFAULT_MEMORY_SETTINGS,
    })
    expect(out.notices).toEqual([])
    expect(out.next.incidents).toEqual([])
    expect(out.next.nextHealAt).toBe(T0 + 50_000)
  })

  it(`${DOC.configRemediation}: a newly contested role stores the fight and sends one contested notice`, () => {
    const given = input({
      findings: logs,
      mode: 'heal',
      record: { ...remembered, heals: [1, 2, 3].map((m) => ({ at: T0 - m * 10 * MINUTE, actors: [terraform] })) },
    })
    const out = conclude({
      decision: decide(given),
      record: given.record,
      environments: env(logs, logs),
      wrote: false,
      actors: [terraform],
      now: T0,
      settings: DEFAULT_MEMORY_SETTINGS,
    })
    expect(out.next.contested).toMatchObject({ since: T0, actors: [terraform] })
    expect(out.notices.map((n) => n.kind)).toEqual(['contested'])
    expect(out.next.incidents).toHaveLength(1)
  })

  it(`${DOC.dynamoItems}: a recovered heal closes its incidents as healed, with no notice of its own (the stored one is sent)`, () => {
    const given = input({
      record: {
        ...remembered,
        incidents: [openIncident(logs)],
        intent: { id: 'i', at: T0 - MINUTE, writes: ['w'], notice: '{}' },
      },
    })
    const out = conclude({
      decision: decide(given),
      record: given.record,
      environments: env([], []),
      wrote: false,
      actors: [],
      now: T0,
      settings: DEFAULT_MEMORY_SETTINGS,
    })
    expect(out.notices).toEqual([])
    expect(out.transitions).toEqual([expect.objectContaining({ kind: 'resolved', by: 'heal' })])
    expect(out.next.incidents).toEqual([])
  })
})

describe('decide and conclude with refused environment data', () => {
  const bucket = { field: 'SourceBucketArn', value: 'arn:aws:s3:::*', why: 'not concrete' }
  const refusedEnv = { environment: 'refused-env', region: REGION, refusals: [bucket] }
  const seenRefused = { region: REGION, environment: 'refused-env' }
  const settings = DEFAULT_MEMORY_SETTINGS
  /** What a reconcile that sees refused-env refused (and ENV with `findings`) decides, and then stores and tells. */
  const run = (over: Partial<DecideInput> & { findings?: Finding[] }, after?: Finding[]) => {
    const given = input({ refused: [refusedEnv], unseen: [seenRefused], ...over })
    const decision = decide(given)
    const findings = given.environments[0]?.findings ?? []
    const out = conclude({
      decision,
      record: given.record,
      environments: given.environments.map((e) => ({ ...e, before: findings, after: after ?? findings })),
      wrote: after !== undefined,
      actors: [],
      now: given.now,
      settings,
    })
    return { decision, out, told: out.notices.map((n) => [n.kind, n.state]) }
  }
  const opened = run({}).out.next

  it.each([
    ['alert mode', 'alert'],
    ['heal mode', 'heal'],
    ['mode off (refused data may be someone trying to steer the guard)', 'off'],
  ] as const)(`${DOC.getEnvironment}: first sighting, %s: told (lease), one refusal incident`, (_name, mode) => {
    const { decision, out, told } = run({ mode })
    expect(decision).toMatchObject({ needsLease: true, needsWrite: true })
    expect(told).toEqual([['refused', 'open']])
    expect(out.next.incidents).toEqual([expect.objectContaining({ kind: 'refused', environment: 'refused-env' })])
  })

  it(`${DOC.alertmanager}: the same refusal on a later event or sweep: no lease, no notice, one write (history)`, () => {
    const { decision, told, out } = run({ record: opened, now: T0 + 6 * HOUR })
    expect(decision).toMatchObject({ needsLease: false, needsWrite: true })
    expect(told).toEqual([])
    expect(out.next.incidents).toEqual(opened.incidents)
  })

  it(`${DOC.alertmanager}: still refused at remindAfter: one reminder`, () => {
    const { decision, told } = run({ record: opened, now: T0 + 24 * HOUR })
    expect(decision.needsLease).toBe(true)
    expect(told).toEqual([['refused', 'reminder']])
  })

  it(`${DOC.getEnvironment}: valid again: one resolved notice; the environment's drift is a new incident of its own`, () => {
    const valid = [{ environment: 'refused-env', region: REGION, findings: logs }]
    const { told, out } = run({ record: opened, refused: [], unseen: [], environments: valid, now: T0 + HOUR })
    expect(told).toEqual([
      ['problem', 'open'],
      ['refusal-resolved', 'resolved'],
    ])
    expect(out.next.incidents).toEqual([expect.objectContaining({ environment: 'refused-env' })])
    expect(out.next.incidents[0]!.kind).toBeUndefined()
  })

  it(`${DOC.alertmanager}: while refused, the environment's drift incident stays open and is not told again`, () => {
    const drift = { ...openIncident(logs), environment: 'refused-env' }
    const record = { ...opened, incidents: [...opened.incidents, drift] }
    const { told, out } = run({ record, environments: [], now: T0 + 6 * HOUR })
    expect(told).toEqual([])
    expect(out.next.incidents).toEqual(expect.arrayContaining([drift]))
    expect(out.next.incidents).toHaveLength(2)
  })

  it(`${DOC.configRemediation}: a heal deferred by the back-off still tells a new refusal`, () => {
    const record = { ...remembered, heals: [{ at: T0 - 10_000, actors: [] }], nextHealAt: T0 + 50_000 }
    const { decision, told } = run({ findings: logs, mode: 'heal', record })
    expect(decision).toMatchObject({ action: 'defer', needsLease: true })
    expect(told).toEqual([['refused', 'open']])
  })

  it(`${DOC.pagerDuty}: a heal of another environment is one heal notice, and the refusal one of its own`, () => {
    const { told } = run({ findings: logs, mode: 'heal' }, [])
    expect(told).toEqual([
      ['heal', 'resolved'],
      ['refused', 'open'],
    ])
  })

  it(`${DOC.mwaaRole}: mode off: the refusal is told, a drifted environment opens no incident`, () => {
    const { told, out } = run({ findings: logs, mode: 'off' })
    expect(told).toEqual([['refused', 'open']])
    expect(out.next.incidents.map((i) => i.kind)).toEqual(['refused'])
  })
})
