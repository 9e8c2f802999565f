/**
 * One incident per problem (issue 7), on moto: a drifted alert-mode role is told once, reminded at most every
 * remindAfter by the sweep, and closed with exactly one resolved notice that names who fixed it; a role whose
 * environment is deleted has its incident resolved (by the first sweep that could list the region). Notices carry the incident id and state as SNS attributes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aboutEnvironment, incidentStates } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'

const ALERTMANAGER = 'https://prometheus.io/docs/alerting/latest/configuration/#route'
const HOUR = 3_600_000

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('a drifted alert-mode role and the 6-hourly sweep', () => {
  it(`${ALERTMANAGER}: 3 sweeps inside remindAfter -> 1 alert; at remindAfter a reminder; after the fix exactly 1 resolved notice`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const operator = world.as(world.callers.operator)
    // The drift's event was lost: only the sweep finds it.
    await operator.deleteRolePolicy(env.roleName, 'logs')
    const guard = world.guard()
    for (let sweep = 0; sweep < 3; sweep++) {
      await guard.sweep()
      guard.advanceClock(6 * HOUR)
    }
    const told = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(incidentStates(told)).toEqual([['drift', 'open']])
    const incident = told[0]!.attributes.incident

    // 24 hours after the notice, the next sweep reminds, on the same incident.
    guard.advanceClock(6 * HOUR)
    await guard.sweep()
    const [reminder, ...none] = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(none).toEqual([])
    expect(reminder?.attributes).toMatchObject({ incident, incident_state: 'reminder' })
    expect(reminder?.subject).toMatch(/\(not healed, reminder\)$/)

    // Fixed by hand: one resolved notice naming who fixed it; the next sweeps say nothing.
    const fixed = await guard.handle(await operator.putRolePolicy(env.roleName, 'logs', env.inline.logs!))
    expect(fixed.summary.roles[0]?.incidents).toEqual([{ id: incident, environment: env.name, transition: 'resolved' }])
    await guard.sweep()
    guard.advanceClock(30 * HOUR)
    await guard.sweep()
    const closed = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(incidentStates(closed)).toEqual([['resolved', 'resolved']])
    expect(closed[0]?.attributes).toMatchObject({ incident, severity: 'info', outcome: 'resolved' })
    expect(closed[0]?.message).toContain(`Fixed by: ${world.callerArn(world.callers.operator)}`)
    expect(closed[0]?.subject).toBe(`[INFO] MWAA role drift resolved: ${env.name} (by ops-alice)`)
  })

  it(`${ALERTMANAGER}: what is missing changes: one "changed" notice on the same incident, not a new one`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const operator = world.as(world.callers.operator)
    const guard = world.guard()
    await guard.handle(await operator.deleteRolePolicy(env.roleName, 'logs'))
    await guard.handle(await operator.deleteRolePolicy(env.roleName, 'dag-bucket'))
    const alerts = await world.inbox.take(aboutEnvironment(env.name), { count: 2 })
    expect(incidentStates(alerts)).toEqual([
      ['drift', 'open'],
      ['drift', 'changed'],
    ])
    expect(alerts[1]!.attributes.incident).toBe(alerts[0]!.attributes.incident)
  })

  it(`${ALERTMANAGER}: the environment deleted: its incident is resolved, naming it`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const guard = world.guard()
    await guard.handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'))
    await world.inbox.take(aboutEnvironment(env.name))
    world.mwaa.put({ ...env.wire, Status: 'DELETING' })
    guard.advanceClock(2 * 60_000) // past the MWAA adapter's one-minute cache of descriptions
    // A sweep that cannot list the region has not seen the environment go: nothing is resolved from that.
    world.mwaa.failNext(1, { status: 403, code: 'AccessDeniedException', message: 'not authorized' })
    const blind = await guard.sweep()
    expect(blind.threw).toBe(true)
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 1, timeoutMs: 500 })).toEqual([])
    expect(blind.summary.roles.map((r) => r.role)).not.toContain(env.roleName)
    await guard.sweep()
    const [resolved] = await world.inbox.take(aboutEnvironment(env.name))
    expect(resolved?.attributes).toMatchObject({ kind: 'resolved', incident_state: 'resolved' })
    expect(resolved?.message).toContain(`Fixed by: environment ${env.name} no longer uses this role`)
  })

  it(`${ALERTMANAGER}: environment data refused: the refusal is an incident of its own; the drift incident stays open (not "deleted")`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const guard = world.guard()
    await guard.handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'))
    const [opened] = await world.inbox.take(aboutEnvironment(env.name))
    world.mwaa.put({ ...env.wire, SourceBucketArn: 'arn:aws:s3:::*' })
    guard.advanceClock(2 * 60_000)
    await guard.sweep()
    const told = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(told.map((a) => a.attributes.kind)).toEqual(['environment-refused'])
    // Described as it should be again and fixed in the same reconcile: both incidents resolve, each as itself.
    world.mwaa.put(env.wire)
    guard.advanceClock(2 * 60_000)
    const fixed = await guard.handle(
      await world.as(world.callers.operator).putRolePolicy(env.roleName, 'logs', env.inline.logs!),
    )
    expect(fixed.summary.roles[0]?.incidents).toEqual([
      { id: opened!.attributes.incident, environment: env.name, transition: 'resolved' },
      { id: told[0]!.attributes.incident, environment: env.name, transition: 'resolved', kind: 'refused' },
    ])
  })
})
