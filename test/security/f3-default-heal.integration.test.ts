/**
 * Issue 6, finding 3: defaultMode=heal made every role in the account writable. Under DEFAULT_MODE=heal an untagged
 * role is healed only when its ARN matches HEAL_ROLE_PATTERN (default the console's role/service-role/AmazonMWAA-*,
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html), the same rule the stack's IAM policy
 * enforces; any other untagged role is in alert mode, with a note saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { aboutEnvironment } from '../support/alert-inbox'
import { describeEnvironment } from '../support/environments'
import { createEnvironmentEvent } from '../support/mwaa-calls'
import { uniqueName } from '../support/names'
import { startWorld, type World } from '../support/world'

let world: World
beforeAll(async () => {
  world = await startWorld({ defaultMode: 'heal' })
})
afterAll(async () => {
  await world?.stop()
})

describe('finding 3: DEFAULT_MODE=heal does not make every role writable', () => {
  it('an untagged CI role used by no environment: one CreateEnvironment event naming it writes nothing', async () => {
    const ci = await world.unusedRole({ roleName: uniqueName('ci-deployer'), rolePath: '/', omit: [Sid.logs] })
    await world.as(world.callers.operator).updateAssumeRolePolicy(ci.roleName, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    })
    const name = uniqueName('via-ci')
    const event = createEnvironmentEvent(world.account, world.callers.operator, describeEnvironment(name, ci.roleArn))
    const handled = await world.guard().handle(event)

    expect(handled.writes).toEqual([])
    expect(JSON.stringify((await world.readRole(ci.roleName))!.trustPolicy)).not.toContain('airflow')
    await world.inbox.take(aboutEnvironment(name), { timeoutMs: 100 })
  })

  it('a live environment on an untagged role outside HEAL_ROLE_PATTERN: alert mode with a note, nothing written', async () => {
    const env = await world.createEnvironment({ roleName: uniqueName('ci-deployer'), rolePath: '/' })
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'))

    expect(handled.summary.roles[0]).toMatchObject({ result: 'reported', mode: 'alert' })
    expect(handled.writes).toEqual([])
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.message).toContain('outside HEAL_ROLE_PATTERN')
  })

  it('a live environment on an untagged role the console would create (service-role/AmazonMWAA-*): healed', async () => {
    const env = await world.createEnvironment({ roleName: uniqueName('AmazonMWAA-env') })
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'))

    expect(handled.summary.roles[0]).toMatchObject({ result: 'healed', mode: 'heal' })
    await world.inbox.take(aboutEnvironment(env.name))
  })
})
