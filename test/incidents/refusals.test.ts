/**
 * Environment data refused is an incident like drift: one per environment, fingerprinted by what was refused,
 * opened once, changed when another value is refused, reminded at most every remindAfter, resolved when the
 * description is valid again or the environment no longer uses the role, kept open where it was not seen.
 */
import { describe, expect, it } from 'vitest'
import type { Refusal } from '../../lib/baseline/validate-environment'
import {
  DEFAULT_MEMORY_SETTINGS,
  incidentTransitions,
  planNotices,
  refusalFingerprint,
  refusalTransitions,
  type IncidentRecord,
  type RefusedView,
  type Unseen,
} from '../../lib/incidents'
import { DOC } from './docs'
import { ENV, HOUR, missing, openIncident, REGION, T0 } from './support'

const settings = DEFAULT_MEMORY_SETTINGS
const ROLE = 'exec-role'
const bucket: Refusal = {
  field: 'SourceBucketArn',
  value: 'arn:aws:s3:::*',
  why: 'not concrete (a wildcard, a policy variable or a control character)',
}
const key: Refusal = {
  field: 'KmsKey',
  value: 'arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  why: "account 999999999999 is not this deployment's",
}
const otherBucket: Refusal = { ...bucket, value: 'arn:aws:s3:::?' }
const view = (...refusals: Refusal[]): RefusedView => ({ environment: ENV, region: REGION, refusals })
const openRefusal = (refusals: Refusal[], over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: 'inc-aaaaaaaaaaaa',
  kind: 'refused',
  environment: ENV,
  region: REGION,
  fingerprint: refusalFingerprint(ROLE, ENV, refusals),
  openedAt: T0,
  notifiedAt: T0,
  missing: refusals.length,
  features: [...new Set(refusals.map((r) => r.field))],
  ...over,
})

type Row = [
  doc: string,
  name: string,
  open: IncidentRecord | undefined,
  seen: { refused?: RefusedView; accepted?: boolean; unseen?: Unseen },
  now: number,
  want: { transition?: string; by?: string; open: boolean },
]

const rows: Row[] = [
  [DOC.alertmanager, 'first sighting', undefined, { refused: view(bucket) }, T0, { transition: 'opened', open: true }],
  [
    DOC.alertmanager,
    'the same refusal, before remindAfter (an event, a sweep)',
    openRefusal([bucket]),
    { refused: view(bucket) },
    T0 + 6 * HOUR,
    { transition: 'unchanged', open: true },
  ],
  [
    DOC.alertmanager,
    'the same refusal, listed in another order, with other wording of why',
    openRefusal([bucket, key]),
    { refused: view({ ...key, why: 'reworded' }, bucket) },
    T0 + HOUR,
    { transition: 'unchanged', open: true },
  ],
  [
    DOC.alertmanager,
    'the same refusal at remindAfter',
    openRefusal([bucket]),
    { refused: view(bucket) },
    T0 + 24 * HOUR,
    { transition: 'reminded', open: true },
  ],
  [
    DOC.alertmanager,
    'another value refused too',
    openRefusal([bucket]),
    { refused: view(bucket, key) },
    T0 + HOUR,
    { transition: 'changed', open: true },
  ],
  [
    DOC.alertmanager,
    'a refused value replaced by another refused value',
    openRefusal([bucket]),
    { refused: view(otherBucket) },
    T0 + HOUR,
    { transition: 'changed', open: true },
  ],
  [
    DOC.getEnvironment,
    'described with valid values again',
    openRefusal([bucket]),
    { accepted: true },
    T0 + HOUR,
    { transition: 'resolved', by: 'change', open: false },
  ],
  [
    DOC.getEnvironment,
    'no longer described as using the role (deleted, another role)',
    openRefusal([bucket]),
    {},
    T0 + HOUR,
    { transition: 'resolved', by: 'environment-gone', open: false },
  ],
  [
    DOC.getEnvironment,
    'its region not listed by the sweep',
    openRefusal([bucket]),
    { unseen: { region: REGION } },
    T0 + HOUR,
    { open: true },
  ],
  [
    DOC.getEnvironment,
    'its description not read by the sweep',
    openRefusal([bucket]),
    { unseen: { region: REGION, environment: ENV } },
    T0 + 48 * HOUR,
    { open: true },
  ],
  [DOC.getEnvironment, 'nothing refused, nothing open', undefined, { accepted: true }, T0, { open: false }],
]

describe('refusal transitions per environment', () => {
  it.each(rows)('%s: %s', (_doc, _name, open, seen, now, want) => {
    const result = refusalTransitions({
      role: ROLE,
      open: open ? [open] : [],
      refused: seen.refused ? [seen.refused] : [],
      accepted: seen.accepted ? [{ environment: ENV, region: REGION }] : [],
      unseen: seen.unseen ? [seen.unseen] : [],
      now,
      settings,
    })
    const [transition, ...more] = result.transitions
    expect(more).toEqual([])
    expect(transition?.kind).toBe(want.transition)
    if (want.by) expect(transition).toMatchObject({ by: want.by })
    expect(result.open.length).toBe(want.open ? 1 : 0)
    // An open refusal keeps its id (every notice about it threads together), and says it is about refused data.
    if (open && want.open) expect(result.open[0]).toMatchObject({ id: open.id, kind: 'refused' })
    if (want.transition === 'opened') expect(result.open[0]).toMatchObject({ kind: 'refused', missing: 1 })
  })

  it(`${DOC.pagerDuty}: the fingerprint is the role, the environment and each refused field and value`, () => {
    const base = refusalFingerprint(ROLE, ENV, [bucket, key])
    expect(refusalFingerprint(ROLE.toUpperCase(), ENV, [key, bucket])).toBe(base)
    expect(refusalFingerprint(ROLE, ENV, [bucket, { ...key, why: 'other words' }])).toBe(base)
    expect(refusalFingerprint('other-role', ENV, [bucket, key])).not.toBe(base)
    expect(refusalFingerprint(ROLE, 'other-env', [bucket, key])).not.toBe(base)
    expect(refusalFingerprint(ROLE, ENV, [bucket])).not.toBe(base)
    expect(refusalFingerprint(ROLE, ENV, [otherBucket, key])).not.toBe(base)
    expect(refusalFingerprint(ROLE, ENV, [{ ...bucket, field: 'DagS3Path' }, key])).not.toBe(base)
  })

  it(`${DOC.getEnvironment}: a refusal opened in the same reconcile as a drift incident has another id`, () => {
    const refusal = refusalTransitions({
      role: ROLE,
      open: [],
      refused: [view(bucket)],
      accepted: [],
      unseen: [],
      now: T0,
      settings,
    })
    const drift = incidentTransitions({
      role: ROLE,
      open: [],
      environments: [
        { environment: ENV, region: REGION, before: missing('AirflowLogs'), after: missing('AirflowLogs') },
      ],
      now: T0,
      settings,
    })
    expect(refusal.open[0]!.id).not.toBe(drift.open[0]!.id)
  })
})

describe('drift and refusal incidents of one environment do not touch each other', () => {
  const logs = missing('AirflowLogs')

  it(`${DOC.alertmanager}: a healthy read of an environment leaves its refusal incident to refusalTransitions`, () => {
    const refusal = openRefusal([bucket])
    const result = incidentTransitions({
      role: ROLE,
      open: [refusal],
      environments: [{ environment: ENV, region: REGION, before: [], after: [] }],
      now: T0 + HOUR,
      settings,
    })
    expect(result).toEqual({ transitions: [], open: [] })
  })

  it(`${DOC.alertmanager}: a refused environment is unseen for drift: its drift incident stays open, not "gone"`, () => {
    const drift = openIncident(logs)
    const result = incidentTransitions({
      role: ROLE,
      open: [drift, openRefusal([bucket])],
      environments: [],
      unseen: [{ region: REGION, environment: ENV }],
      now: T0 + HOUR,
      settings,
    })
    expect(result).toEqual({ transitions: [], open: [drift] })
  })

  it(`${DOC.alertmanager}: a drift incident is not a refusal: refusalTransitions leaves it alone`, () => {
    const result = refusalTransitions({
      role: ROLE,
      open: [openIncident(logs)],
      refused: [],
      accepted: [],
      unseen: [],
      now: T0,
      settings,
    })
    expect(result).toEqual({ transitions: [], open: [] })
  })
})

describe('refusal notices', () => {
  const transitions = (open: IncidentRecord[], refused: RefusedView[], accepted: boolean, now: number) =>
    refusalTransitions({
      role: ROLE,
      open,
      refused,
      accepted: accepted ? [{ environment: ENV, region: REGION }] : [],
      unseen: [],
      now,
      settings,
    }).transitions

  it.each([
    ['opened', [], [view(bucket)], false, T0, [['refused', 'open']]],
    ['unchanged', [openRefusal([bucket])], [view(bucket)], false, T0 + HOUR, []],
    ['changed', [openRefusal([bucket])], [view(bucket, key)], false, T0 + HOUR, [['refused', 'changed']]],
    ['reminded', [openRefusal([bucket])], [view(bucket)], false, T0 + 24 * HOUR, [['refused', 'reminder']]],
    ['resolved', [openRefusal([bucket])], [], true, T0 + HOUR, [['refusal-resolved', 'resolved']]],
  ] as const)(`${DOC.alertmanager}: %s -> %j`, (_name, open, refused, accepted, now, want) => {
    const plan = planNotices({
      transitions: transitions([...open], [...refused], accepted, now),
      healed: false,
      newlyContested: false,
    })
    expect(plan.notices.map((n) => [n.kind, n.state])).toEqual(want)
  })

  it(`${DOC.pagerDuty}: a heal's one notice and a contested notice never carry a refusal; it is told on its own`, () => {
    const logs = missing('AirflowLogs')
    const drift = incidentTransitions({
      role: ROLE,
      open: [],
      environments: [{ environment: 'other-env', region: REGION, before: logs, after: [] }],
      now: T0,
      settings,
    }).transitions
    const refusal = transitions([], [view(bucket)], false, T0)
    const healed = planNotices({ transitions: [...drift, ...refusal], healed: true, newlyContested: false })
    expect(healed.notices.map((n) => [n.kind, n.incidents.map((i) => i.environment)])).toEqual([
      ['heal', ['other-env']],
      ['refused', [ENV]],
    ])
    expect([...healed.notified]).toEqual([refusal[0]!.incident.id])
    const contested = planNotices({ transitions: refusal, healed: false, newlyContested: true })
    expect(contested.notices.map((n) => [n.kind, n.incidents.length])).toEqual([
      ['contested', 0],
      ['refused', 1],
    ])
  })
})
