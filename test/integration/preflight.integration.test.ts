/**
 * Preflight at creation: a CreateEnvironment names everything the execution role must reach, so the guard checks
 * the role as soon as the call is made, not when the creation fails 20-30 minutes later.
 * https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { aboutEnvironment } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

const ci = () =>
  ({
    kind: 'role-session',
    roleArn: `arn:aws:iam::${world.account}:role/terraform-ci`,
    session: 'gha-run-4242',
  }) as const

describe('CreateEnvironment', () => {
  it('naming a role that falls short: a preflight alert within seconds, nothing written in alert mode', async () => {
    const { environment, event } = await world.createEnvironmentCall(ci(), { omit: [Sid.logs, Sid.describeLogGroups] })
    const started = Date.now()
    const handled = await world.guard().handle(event)
    const [alert] = await world.inbox.take(aboutEnvironment(environment.name))
    const seconds = (Date.now() - started) / 1000

    expect(seconds).toBeLessThan(5)
    expect(handled.summary.roles[0]).toMatchObject({
      result: 'reported',
      preflight: true,
      environments: [environment.name],
    })
    expect(handled.writes).toEqual([])
    expect(alert?.attributes).toEqual({
      kind: 'preflight',
      severity: 'high',
      outcome: 'reported',
      mode: 'alert',
      environment: environment.name,
      incident: expect.stringMatching(/^inc-[0-9a-f]{12}$/),
      incident_state: 'open',
    })
    expect(alert?.subject).toBe(`[HIGH] MWAA preflight: ${environment.name} role lacks logs (not healed)`)
    expect(alert?.message).toContain(
      'The creation takes 20–30 minutes and would fail at the end: fix the role now, or cancel the creation.',
    )
    expect(alert?.message).toContain(
      `created MWAA environment ${environment.name} with execution role ${environment.roleArn}`,
    )
    expect(alert?.message).toContain(
      `By:          arn:aws:sts::${world.account}:assumed-role/terraform-ci/gha-run-4242 (AssumedRole)`,
    )
  })

  it('naming a role tagged mode=heal: the role is fixed before the environment needs it', async () => {
    const { environment, event } = await world.createEnvironmentCall(ci(), { mode: 'heal', omit: [Sid.celeryQueue] })
    const handled = await world.guard().handle(event)
    expect(handled.summary.roles[0]).toMatchObject({ result: 'healed', preflight: true, writes: ['put-inline-policy'] })
    const [alert] = await world.inbox.take(aboutEnvironment(environment.name))
    expect(alert?.attributes).toMatchObject({ kind: 'preflight', outcome: 'healed', severity: 'info' })
    expect((await world.recheck(environment)).code).toBe(0)
  })

  it('naming a good role: no alert, no write', async () => {
    const { environment, event } = await world.createEnvironmentCall(ci())
    const handled = await world.guard().handle(event)
    expect(handled.summary.roles[0]).toMatchObject({ result: 'healthy', preflight: true, alerted: false })
    expect(handled.writes).toEqual([])
    expect(await world.inbox.about(environment.name)).toEqual([])
  })
})
