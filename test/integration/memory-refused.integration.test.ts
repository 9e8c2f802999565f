/**
 * Environment data refused (issue 6) is an incident like any other problem (issue 7), on moto and the MWAA stand-in:
 * a GetEnvironment description that fails validation is told once, not by every event and every 6-hourly sweep;
 * a newly refused value is one "changed" notice on the same incident; it is reminded at most every remindAfter; once
 * the description is valid again (or the environment is gone) exactly one resolved notice closes it. The
 * environment's other incidents stay open meanwhile. Without a state table every sighting is alerted, as before; a
 * Create/UpdateEnvironment request refused by the preflight is always an immediate, one-off alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatTimeline } from '../../lib/incidents'
import { aboutEnvironment, incidentStates } from '../support/alert-inbox'
import { REGION, type Caller } from '../support/cloudtrail-event'
import { createEnvironmentEvent } from '../support/mwaa-calls'
import { uniqueName } from '../support/names'
import { startWorld, type World } from '../support/world'

const ALERTMANAGER = 'https://prometheus.io/docs/alerting/latest/configuration/#route'
const PAGERDUTY = 'https://developer.pagerduty.com/docs/events-api-v2-overview#alert-de-duplication'
const HOUR = 3_600_000
/** The MWAA adapter keeps a description for a minute: a changed environment is read after this. */
const PAST_CACHE = 2 * 60_000
const WILDCARD_BUCKET = 'arn:aws:s3:::*'
const FOREIGN_KEY = `arn:aws:kms:${REGION}:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab`

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('environment data refused: one incident, not an alert per event and per sweep', () => {
  it(`${ALERTMANAGER}: 1 alert; 3 sweeps and 2 events later still 1; a new refused value +1 (changed); valid again: 1 resolved notice`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const operator = world.as(world.callers.operator)
    const guard = world.guard()
    world.mwaa.put({ ...env.wire, SourceBucketArn: WILDCARD_BUCKET })
    guard.advanceClock(PAST_CACHE)

    for (let sweep = 0; sweep < 3; sweep++) {
      await guard.sweep()
      guard.advanceClock(6 * HOUR)
    }
    // Two events naming the role (a policy put back as it was): each re-reads the environment, finds the same refusal.
    for (let event = 0; event < 2; event++)
      await guard.handle(await operator.putRolePolicy(env.roleName, 'logs', env.inline.logs!))
    const told = await world.inbox.take(aboutEnvironment(env.name), { count: 3, timeoutMs: 500 })
    expect(incidentStates(told)).toEqual([['environment-refused', 'open']])
    const incident = told[0]!.attributes.incident!
    expect(incident).toMatch(/^inc-[0-9a-f]{12}$/)
    expect(told[0]!.attributes).toMatchObject({ severity: 'high', outcome: 'refused' })
    expect(told[0]!.subject).toBe(`[HIGH] MWAA data refused: ${env.name} SourceBucketArn (nothing written)`)
    expect(told[0]!.message).toContain(`environment data refused: SourceBucketArn, ${WILDCARD_BUCKET}`)

    // Another value refused too: told at once, on the same incident.
    world.mwaa.put({ ...env.wire, SourceBucketArn: WILDCARD_BUCKET, KmsKey: FOREIGN_KEY })
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    await guard.sweep()
    const changed = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(incidentStates(changed)).toEqual([['environment-refused', 'changed']])
    expect(changed[0]!.attributes.incident).toBe(incident)
    expect(changed[0]!.message).toContain(`environment data refused: KmsKey, ${FOREIGN_KEY}, account 999999999999`)

    // Described as it should be again: exactly one resolved notice; later sweeps say nothing.
    world.mwaa.put(env.wire)
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    guard.advanceClock(30 * HOUR)
    await guard.sweep()
    const closed = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(incidentStates(closed)).toEqual([['resolved', 'resolved']])
    expect(closed[0]!.attributes).toMatchObject({ incident, severity: 'info', outcome: 'resolved' })
    expect(closed[0]!.subject).toBe(`[INFO] MWAA data refusal resolved: ${env.name} (valid again)`)
    expect(closed[0]!.message).toContain('passes validation again')

    // The history shows every sighting of the refusal, told or not, and what it refused.
    const history = await world.state!.roleHistory(env.roleName, 0)
    const refusedEntries = history.items.filter((e) => (e.refusals ?? []).length > 0)
    expect(refusedEntries.length).toBe(7) // 3 sweeps, 2 events, the change, the sweep after it
    expect(refusedEntries.filter((e) => e.notices.length > 0).length).toBe(2)
    const timeline = formatTimeline(history.items).join('\n')
    expect(timeline).toContain(`refused: ${env.name}: SourceBucketArn, ${WILDCARD_BUCKET}`)
    expect(timeline).toContain(`refused: ${env.name}: KmsKey, ${FOREIGN_KEY}`)
    expect(timeline).toContain(`incident ${incident} (${env.name}, data refused): opened`)
    expect(timeline).toContain(`incident ${incident} (${env.name}, data refused): resolved by change`)
  })

  it(`${ALERTMANAGER}: still refused after remindAfter: one reminder on the same incident`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard()
    world.mwaa.put({ ...env.wire, KmsKey: FOREIGN_KEY })
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    const [opened] = await world.inbox.take(aboutEnvironment(env.name))
    for (let sweep = 0; sweep < 3; sweep++) {
      guard.advanceClock(6 * HOUR)
      await guard.sweep()
    }
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 1, timeoutMs: 500 })).toEqual([])
    guard.advanceClock(6 * HOUR)
    await guard.sweep()
    await guard.sweep()
    const reminders = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(incidentStates(reminders)).toEqual([['environment-refused', 'reminder']])
    expect(reminders[0]!.attributes.incident).toBe(opened!.attributes.incident)
    expect(reminders[0]!.subject).toMatch(/\(nothing written, reminder\)$/)
  })

  it(`${ALERTMANAGER}: the refused environment deleted: its incident resolves, naming it`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const guard = world.guard()
    world.mwaa.put({ ...env.wire, SourceBucketArn: WILDCARD_BUCKET })
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    const [opened] = await world.inbox.take(aboutEnvironment(env.name))
    world.mwaa.delete(env.name)
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    await guard.sweep()
    const closed = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(incidentStates(closed)).toEqual([['resolved', 'resolved']])
    expect(closed[0]!.attributes.incident).toBe(opened!.attributes.incident)
    expect(closed[0]!.message).toContain(`Ended by: environment ${env.name} no longer uses this role`)
    expect(closed[0]!.subject).toBe(`[INFO] MWAA data refusal resolved: ${env.name} (environment gone)`)
  })

  it(`${PAGERDUTY}: while refused, the drift incident stays open (not resolved as "deleted"); each closes on its own`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const operator = world.as(world.callers.operator)
    const guard = world.guard()
    await guard.handle(await operator.deleteRolePolicy(env.roleName, 'logs'))
    const [drift] = await world.inbox.take(aboutEnvironment(env.name))
    expect(incidentStates([drift!])).toEqual([['drift', 'open']])

    world.mwaa.put({ ...env.wire, SourceBucketArn: WILDCARD_BUCKET })
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    await guard.sweep()
    const [refused, ...none] = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(none).toEqual([])
    expect(incidentStates([refused!])).toEqual([['environment-refused', 'open']])
    expect(refused!.attributes.incident).not.toBe(drift!.attributes.incident)
    const open = (await world.state!.readRole(env.roleName)).record.incidents.map((i) => i.id)
    expect(open.sort()).toEqual([drift!.attributes.incident, refused!.attributes.incident].sort())

    // Valid again, still drifted: the refusal resolves; the drift incident is the same one, not told again.
    world.mwaa.put(env.wire)
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    const [accepted, ...nothingElse] = await world.inbox.take(aboutEnvironment(env.name), {
      count: 2,
      timeoutMs: 500,
    })
    expect(nothingElse).toEqual([])
    expect(accepted!.attributes).toMatchObject({ kind: 'resolved', incident: refused!.attributes.incident })
    const fixed = await guard.handle(await operator.putRolePolicy(env.roleName, 'logs', env.inline.logs!))
    expect(fixed.summary.roles[0]?.incidents).toEqual([
      { id: drift!.attributes.incident, environment: env.name, transition: 'resolved' },
    ])
  })
})

describe('what stays as it was', () => {
  it('without a state table (memory off) every sighting is alerted, as before', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const guard = world.guard({ env: { STATE_TABLE: '', RECONCILE_QUEUE_URL: '' } })
    world.mwaa.put({ ...env.wire, SourceBucketArn: WILDCARD_BUCKET })
    guard.advanceClock(PAST_CACHE)
    await guard.sweep()
    await guard.sweep()
    const told = await world.inbox.take(aboutEnvironment(env.name), { count: 3, timeoutMs: 500 })
    expect(incidentStates(told)).toEqual([
      ['environment-refused', 'none'],
      ['environment-refused', 'none'],
    ])
  })

  it('a refused CreateEnvironment request (preflight) is alerted at once, every time, with no incident', async () => {
    const role = await world.unusedRole({ mode: 'heal' })
    const name = uniqueName('refused-request')
    const wire = { ...world.describeEnvironment(name, role.roleArn), SourceBucketArn: WILDCARD_BUCKET }
    const attacker: Caller = { kind: 'user', arn: `arn:aws:iam::${world.account}:user/limited-dev` }
    const guard = world.guard()
    await guard.handle(createEnvironmentEvent(world.account, attacker, wire))
    await guard.handle(createEnvironmentEvent(world.account, attacker, wire))
    const told = await world.inbox.take(aboutEnvironment(name), { count: 3, timeoutMs: 500 })
    expect(incidentStates(told)).toEqual([
      ['environment-refused', 'none'],
      ['environment-refused', 'none'],
    ])
  })
})
