/**
 * Issue 6, finding 5: the mode tag is the only authority and changed silently. Every TagRole/UntagRole naming the
 * mode tag key (any case: IAM tag keys are case-insensitive, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html)
 * on a role an environment uses is alerted with who, from where, and the new mode; the sweep's summary lists `off`
 * roles that drifted (evaluated, not alerted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { sweep } from '../../lib/reconcile/sweep'
import { aboutEnvironment } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('finding 5: every change of the mode tag is alerted', () => {
  it('TagRole mode=heal on a watched role: an alert with who, from where, and the new mode', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const event = await world.as(world.callers.admin).tagRole(env.roleName, { 'mwaa-role-guard:mode': 'heal' })
    const handled = await world.guard().handle(event)

    expect(handled.alerts.map((a) => a.request.kind)).toEqual(['mode-change'])
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.attributes).toMatchObject({ kind: 'mode-change', mode: 'heal' })
    expect(alert?.message).toContain('→ heal')
    expect(alert?.message).toContain('AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe@example.com')
    expect(alert?.message).toContain('Source IP:   198.51.100.23')
  })

  it('UntagRole of the key written in another case: alerted, the role falls back to the default mode', async () => {
    const env = await world.createEnvironment({ tags: { 'MWAA-Role-Guard:Mode': 'heal' } })
    const event = await world.as(world.callers.operator).untagRole(env.roleName, ['MWAA-Role-Guard:Mode'])
    const handled = await world.guard().handle(event)

    expect(handled.alerts.map((a) => a.request.kind)).toEqual(['mode-change'])
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.message).toContain('→ alert')
  })

  it('a tag with another key is not a mode change', async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const handled = await world.guard().handle(await world.as(world.callers.operator).tagRole(env.roleName, { a: 'b' }))
    expect(handled.alerts).toEqual([])
  })

  it('the sweep lists off roles that drifted, without alerting them', async () => {
    const env = await world.createEnvironment({ mode: 'off', omit: [Sid.celeryQueue] })
    const guard = world.guard()
    const summary = await sweep(guard.deps)

    expect(summary.offDrifted).toContainEqual({ role: env.roleName, environments: [env.name], findings: 6 })
    expect(await world.inbox.about(env.name)).toEqual([])
  })
})
