/**
 * Exact restore, nothing done unreported, and two runs on one role (issue 7), on moto.
 */
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { aboutEnvironment } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'

const MWAA_ROLE = 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html'
const CONDITIONS =
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html'
const THROTTLING = 'https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

describe('exact restore', () => {
  it(`${MWAA_ROLE}: a removed inline policy goes back under its own name, exactly as it was; the alert shows what went`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard()
    // Seen healthy once: its policies are remembered.
    await guard.handle(await world.as(world.callers.admin).tagRole(env.roleName, { team: 'data' }))
    const handled = await guard.handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'))
    expect(handled.healWrites.map((w) => [w.write.kind, 'policyName' in w.write ? w.write.policyName : ''])).toEqual([
      ['put-inline-policy', 'logs'],
    ])
    const role = await world.readRole(env.roleName)
    expect(role?.inlinePolicies.find((p) => p.name === 'logs')?.document).toEqual(env.inline.logs)
    expect(role?.inlinePolicies.map((p) => p.name)).not.toContain(RESTORE_POLICY_NAME)
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.message).toContain('Changed since the role was last known good')
    expect(alert?.message).toMatch(
      / {2}- inline policy `logs` removed \(2 statements: `AirflowLogs`, `DescribeLogGroups`\)/,
    )
    expect(alert?.message).toContain('put inline policy logs back as it was when last known good')
  })

  it(`${MWAA_ROLE}: a remembered document read back from the table is never written if it grants beyond the baseline`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard()
    await guard.handle(await world.as(world.callers.admin).tagRole(env.roleName, { team: 'data' }))
    // Someone with write access to the table widens the remembered `logs` policy.
    const stored = await world.state!.readRole(env.roleName)
    const lkg = stored.record.lastKnownGood!
    const widened = {
      ...lkg,
      inline: lkg.inline.map((p) =>
        p.name === 'logs'
          ? {
              name: 'logs',
              document: JSON.stringify({
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
              }),
            }
          : { name: p.name, document: JSON.stringify(p.document) },
      ),
    }
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: world.moto.endpoint,
      credentials: {
        accessKeyId: world.env.AWS_ACCESS_KEY_ID!,
        secretAccessKey: world.env.AWS_SECRET_ACCESS_KEY!,
        sessionToken: world.env.AWS_SESSION_TOKEN,
      },
    })
    await client.send(
      new PutItemCommand({
        TableName: world.env.STATE_TABLE!,
        Item: marshall(
          {
            ...stored.record,
            lastKnownGood: widened,
            pk: `role#${env.roleName.toLowerCase()}`,
            sk: 'state',
            gsi1pk: 'role',
            gsi1sk: env.roleName.toLowerCase(),
          },
          { removeUndefinedValues: true },
        ),
      }),
    )
    client.destroy()
    const handled = await guard.handle(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs'))
    expect(handled.healWrites.map((w) => 'policyName' in w.write && w.write.policyName)).toEqual([RESTORE_POLICY_NAME])
    const role = await world.readRole(env.roleName)
    expect(role?.inlinePolicies.map((p) => p.name)).not.toContain('logs')
    expect(JSON.stringify(role?.inlinePolicies)).not.toContain('"Action":"*"')
    expect((await world.recheck(env)).code).toBe(0)
  })
})

describe('nothing done goes unreported', () => {
  it(`${THROTTLING}: a heal whose verification read is throttled: the retry finds the role healthy and sends the "healed" notice, once`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard()
    guard.throttleNextVerification()
    const first = await guard.handle(
      await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'dag-bucket'),
    )
    expect(first.healWrites).toHaveLength(1)
    expect(first.alerts).toEqual([])
    expect((await world.state!.readRole(env.roleName)).record.intent?.writes).toEqual([
      expect.stringMatching(/^put inline policy dag-bucket back as it was|^put inline policy mwaa-role-guard-restore/),
    ])
    // SQS gives the message back after its visibility timeout; the role is whole: the notice the first run owed.
    guard.advanceClock(13 * 60_000)
    const retried = await guard.retryFailed()
    expect(retried.writes).toEqual([])
    expect(retried.summary.roles[0]).toMatchObject({ result: 'healed', alerted: true })
    const alerts = await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })
    expect(alerts).toHaveLength(1)
    expect(alerts[0]?.attributes.outcome).toBe('healed')
    expect(alerts[0]?.message).toContain('This notice was sent late')
    expect((await world.state!.readRole(env.roleName)).record.intent).toBeUndefined()
    const history = await world.state!.roleHistory(env.roleName, 0)
    expect(history.items.map((h) => [h.source, h.outcome])).toContainEqual(['recovery', 'healed'])
  })
})

describe('two runs on one role (two `handle` processes, or the sweep and the worker)', () => {
  it(`${CONDITIONS}: they coordinate through the role's lease: one heal, one notice`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const operator = world.as(world.callers.operator)
    const a = world.guard()
    const b = world.guard()
    const first = await operator.deleteRolePolicy(env.roleName, 'logs')
    const second = await operator.tagRole(env.roleName, { team: 'data' })
    // In one process each, at once, as two CLI handles would run.
    const [x, y] = await Promise.all([a.handle(first, 'direct'), b.handle(second, 'direct')])
    expect([...x.healWrites, ...y.healWrites]).toHaveLength(1)
    expect([...x.alerts, ...y.alerts].map((s) => s.request.outcome)).toEqual(['healed'])
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })).toHaveLength(1)
  })
})
