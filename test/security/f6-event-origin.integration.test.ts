/**
 * Issue 6, finding 6: detail.awsRegion was not validated and became the host of a signed MWAA request. An event's
 * region must be a region name, one of MWAA_REGIONS for MWAA calls, the partition's IAM region (us-east-1) for IAM
 * calls; its account (EventBridge `account` and `detail.recipientAccountId`, both) must be the deployment's.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mwaaEndpoint } from '../../lib/aws/mwaa'
import { mwaaCallEvent } from '../support/mwaa-calls'
import { startWorld, type World } from '../support/world'

let world: World
beforeAll(async () => {
  world = await startWorld({ defaultMode: 'heal' })
})
afterAll(async () => {
  await world?.stop()
})

describe('finding 6: the event says where it comes from, and is checked', () => {
  it.each([
    ['evil.example/x#', /detail\.awsRegion/],
    ['eu-west-1', /detail\.awsRegion: 'eu-west-1' is not one of MWAA_REGIONS/],
  ])('an UpdateEnvironment from region %s is dropped before any MWAA request', async (region, reason) => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const before = world.mwaa.requests.length
    const event = mwaaCallEvent(
      world.account,
      world.callers.operator,
      'UpdateEnvironment',
      { Name: env.name },
      {
        awsRegion: region,
      },
    )
    const handled = await world.guard().handle(event)

    expect(handled.summary).toMatchObject({ status: 'ignored', reason: expect.stringMatching(reason) })
    expect(world.mwaa.requests.slice(before).map((r) => r.authorization ?? '')).toEqual([])
  })

  it('the MWAA endpoint is never built from a string that is not a region name', () => {
    expect(() => mwaaEndpoint('evil.example/x#', {})).toThrow(/not a region/)
    expect(mwaaEndpoint('eu-west-1', {}).host).toBe('api.airflow.eu-west-1.amazonaws.com')
  })

  it.each([
    ['another account in both fields', { account: '999999999999', recipientAccountId: '999999999999' }, /account/],
    ['another recipientAccountId', { recipientAccountId: '999999999999' }, /recipientAccountId/],
    ['another EventBridge account', { account: '999999999999' }, /account/],
  ])('an IAM event from %s is dropped', async (_why, fields, reason) => {
    const env = await world.createEnvironment()
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const forged = {
      ...event,
      ...('account' in fields ? { account: fields.account } : {}),
      detail: {
        ...event.detail,
        ...('recipientAccountId' in fields ? { recipientAccountId: fields.recipientAccountId } : {}),
      },
    }
    const handled = await world.guard().handle(forged)
    expect(handled.summary).toMatchObject({ status: 'ignored', reason: expect.stringMatching(reason) })
    expect(handled.writes).toEqual([])
  })

  it('an IAM event from another region than IAM records in is dropped', async () => {
    const env = await world.createEnvironment()
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const handled = await world.guard().handle({ ...event, detail: { ...event.detail, awsRegion: 'eu-west-1' } })
    expect(handled.summary).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/us-east-1/) })
  })
})
