/**
 * The alert as its reader gets it: the SNS notification delivered to an SQS subscriber on moto (subject, e-mail
 * body, message attributes for subscription filters), in alert mode, in heal mode, and for a role two environments
 * share. Publish: https://docs.aws.amazon.com/sns/latest/api/API_Publish.html; delivery format:
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const PUBLISH = 'https://docs.aws.amazon.com/sns/latest/api/API_Publish.html'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { aboutEnvironment } from '../support/alert-inbox'
import { isIamWrite } from '../support/guard'
import { startWorld, type World } from '../support/world'
import { inlineOf } from './drift-vectors'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('the SNS notification', () => {
  it('alert mode: subject, attributes and body say what changed, who did it, what is missing; no IAM write is made', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'dag-bucket'))
    const [delivered] = await world.inbox.take(aboutEnvironment(env.name))

    expect(handled.writes).toEqual([])
    expect(handled.calls.filter(isIamWrite)).toEqual([])
    expect(inlineOf(await world.readRole(env.roleName), RESTORE_POLICY_NAME)).toBeUndefined()
    expect(delivered?.subject).toBe(`[MEDIUM] MWAA role drift: ${env.name} DAG bucket (not healed)`)
    expect(delivered?.attributes).toEqual({
      severity: 'medium',
      environment: env.name,
      outcome: 'reported',
      mode: 'alert',
      kind: 'drift',
      incident: expect.stringMatching(/^inc-[0-9a-f]{12}$/),
      incident_state: 'open',
    })
    const body = delivered?.message ?? ''
    for (const line of [
      'MWAA role drift — not healed — severity MEDIUM',
      `Environment: ${env.name} (us-east-1)`,
      `Execution role:  ${env.roleArn}`,
      'Mode:            alert only: nothing was changed (tag the role mwaa-role-guard:mode=heal to let the guard restore what is missing)',
      `  deleted inline policy dag-bucket from role ${env.roleName}`,
      `  By:          ${world.callerArn(world.callers.operator)} (IAMUser)`,
      '  ✗ DAGs and supporting files (Amazon S3)',
      'What was done: nothing (alert mode).',
      'A heal (mwaa-role-guard:mode=heal) would:',
      `  - put inline policy ${RESTORE_POLICY_NAME}`,
      `  npx mwaa-role-guard check --env ${env.name} --region us-east-1`,
    ])
      expect(body).toContain(line)
    expect(body).toMatch(/What is missing now \(\d+ of \d+ required permissions\):/)
    // What the guard composed is what the subscriber got.
    expect(handled.alerts.map((a) => [a.alert.subject, a.alert.text])).toEqual([[delivered?.subject, body]])
  })

  it('heal mode: an INFO alert says what was missing, that it was restored, and the write made', async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    await world.guard().handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'dag-bucket'))
    const [delivered] = await world.inbox.take(aboutEnvironment(env.name))
    expect(delivered?.subject).toBe(`[INFO] MWAA role drift: ${env.name} DAG bucket (healed)`)
    // A drift found and healed in one go: one notice, its incident already resolved.
    expect(delivered?.attributes).toEqual({
      severity: 'info',
      environment: env.name,
      outcome: 'healed',
      mode: 'heal',
      kind: 'drift',
      incident: expect.stringMatching(/^inc-[0-9a-f]{12}$/),
      incident_state: 'resolved',
    })
    expect(delivered?.message).toMatch(
      /What was missing \(\d+ of \d+ required permissions; restored\):\n\n {2}✗ DAGs and supporting files/,
    )
    expect(delivered?.message).toMatch(
      new RegExp(`What was done:\\n {2}- put inline policy ${RESTORE_POLICY_NAME} \\(restores \\d+ permissions\\)`),
    )
  })

  it('a role two environments share, both lacking something: one alert naming both, in the environment attribute too', async () => {
    const first = await world.createEnvironment({ mode: 'alert' })
    const second = await world.shareRole(first)
    // The role was built for the first environment (the second one's bucket and log groups are missing); the DAG
    // bucket policy goes: now both lack something, one incident each, one alert.
    const handled = await world
      .guard()
      .handle(await world.as(world.callers.operator).deleteRolePolicy(first.roleName, 'dag-bucket'))
    expect(handled.errors).toEqual([])
    const names = [first.name, second.name].sort()
    expect(handled.summary.roles[0]).toMatchObject({ result: 'reported', environments: names })
    const [delivered, ...more] = await world.inbox.take(aboutEnvironment(first.name))
    expect(more).toEqual([])
    expect(delivered?.attributes.environment).toBe(names.join(','))
    expect(delivered?.attributes.incident).toMatch(/^inc-[0-9a-f]{12},inc-[0-9a-f]{12}$/)
    expect(delivered?.subject).toContain(`${names[0]}, ${names[1]}`)
    expect(delivered?.message).toContain(`Environments: ${names[0]} (us-east-1), ${names[1]} (us-east-1)`)
  })

  it(`an event carrying lone surrogates (userAgent, caller) still gets its alert delivered, with U+FFFD in their place (${PUBLISH})`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'dag-bucket')
    event.detail.userAgent = 'aws-cli/2.15.0 \ud800 Python/3.11'
    const identity = event.detail.userIdentity as { arn: string }
    identity.arn = `${identity.arn}\udfff`
    const handled = await world.guard().handle(event)
    expect(handled.summary.roles[0]).toMatchObject({ result: 'reported', alerted: true })
    const [delivered] = await world.inbox.take(aboutEnvironment(env.name))
    expect(delivered?.message).toContain('  User agent:  aws-cli/2.15.0 \ufffd Python/3.11')
    expect(delivered?.message).toContain(`${world.callerArn(world.callers.operator)}\ufffd (IAMUser)`)
  })
})
