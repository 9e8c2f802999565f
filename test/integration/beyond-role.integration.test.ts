/**
 * The documents beyond the role, end to end on moto: each change is a real call (bucket policy, key policy and
 * state, VPC endpoint policy, an SCP) whose CloudTrail event the guard handles. The role itself grants everything;
 * the alert names the blocking document and statement; in heal mode nothing is written (these documents are
 * alert-only). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PolicyDocument } from '../../lib/iam/types'
import type { HandledEvent } from '../support/guard'
import { organizationOnMoto, type MotoOrganization } from '../support/organizations-on-moto'
import { credentialsOf, ResourceActor } from '../support/resource-actor'
import { startWorld, type World } from '../support/world'

const ALERT_ONLY = /changes a bucket policy, key policy, VPC endpoint policy, SCP or RCP \(alert only\)/
const doc = (...Statement: PolicyDocument['Statement'][]) =>
  ({ Version: '2012-10-17', Statement: Statement.flat() }) as PolicyDocument

let world: World
let actor: ResourceActor
beforeAll(async () => {
  world = await startWorld()
  actor = new ResourceActor(world.moto.endpoint, credentialsOf(world.env), world.account, world.callers.operator)
})
afterAll(async () => {
  await world?.stop()
})

/** The one alert's text, and what the heal wrote. */
function outcome(handled: HandledEvent, roleName: string) {
  const role = handled.summary.roles.find((r) => r.role === roleName)
  return {
    result: role?.result,
    text: handled.alerts.map((a) => a.alert.text).join('\n'),
    iamWrites: handled.writes.map((w) => w.operation),
  }
}

const bucketOf = (wire: { SourceBucketArn: string }) => wire.SourceBucketArn.split(':::')[1]!

describe('a Deny added to the DAG bucket policy', () => {
  it.each(['alert', 'heal'] as const)(
    'mode %s: alerted naming the bucket policy and statement, nothing written',
    async (mode) => {
      const env = await world.createEnvironment({ mode })
      const bucket = bucketOf(env.wire)
      await actor.createBucket(bucket)
      const guard = world.guard()
      const event = await actor.putBucketPolicy(
        bucket,
        doc({
          Sid: 'DenyNonVpc',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
        }),
      )
      const got = outcome(await guard.handle(event), env.roleName)
      expect(got.result).toBe(mode === 'heal' ? 'blocked' : 'reported')
      expect(got.text).toContain(`explicitly denied by bucket policy of ${bucket}, statement "DenyNonVpc"`)
      expect(got.iamWrites).toEqual([])
      if (mode === 'heal') expect(got.text).toMatch(ALERT_ONLY)
    },
  )

  it('DeleteBucketPolicy: the next check reads the bucket again and finds the role healthy', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const bucket = bucketOf(env.wire)
    await actor.createBucket(bucket)
    const guard = world.guard()
    const deny = doc({
      Sid: 'DenyAll',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: `arn:aws:s3:::${bucket}/*`,
    })
    expect(outcome(await guard.handle(await actor.putBucketPolicy(bucket, deny)), env.roleName).result).toBe('reported')
    expect(outcome(await guard.handle(await actor.deleteBucketPolicy(bucket)), env.roleName).result).not.toBe(
      'reported',
    )
  })
})

describe('a customer managed key', () => {
  const rootDelegation = (account: string) =>
    doc({
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    })

  it('whose key policy no longer lets the role or the account use it: named, heal mode writes nothing', async () => {
    const key = await actor.createKey(rootDelegation(world.account))
    const env = await world.createEnvironment({ mode: 'heal', kmsKeyArn: key })
    const guard = world.guard()
    const adminsOnly = doc({
      Sid: 'KeyAdminsOnly',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${world.account}:role/key-admin` },
      Action: 'kms:*',
      Resource: '*',
    })
    const got = outcome(await guard.handle(await actor.putKeyPolicy(key, adminsOnly)), env.roleName)
    expect(got.result).toBe('blocked')
    expect(got.text).toContain(`not allowed by key policy of ${key}`)
    expect(got.text).toMatch(ALERT_ONLY)
    expect(got.iamWrites).toEqual([])
  })

  it('disabled: every call through it fails whatever the policies say', async () => {
    const key = await actor.createKey(rootDelegation(world.account))
    const env = await world.createEnvironment({ mode: 'alert', kmsKeyArn: key })
    const got = outcome(await world.guard().handle(await actor.disableKey(key)), env.roleName)
    expect(got.result).toBe('reported')
    expect(got.text).toContain(`the KMS key ${key} is Disabled`)
  })
})

describe("an S3 gateway endpoint of the environment's VPC", () => {
  it('whose policy leaves out the bucket: the endpoint is named, heal mode writes nothing', async () => {
    const { vpc, subnets } = await actor.createVpc()
    const endpoint = await actor.createGatewayEndpoint(vpc)
    const env = await world.createEnvironment({ mode: 'heal', subnetIds: subnets })
    const guard = world.guard()
    const otherBucket = doc({
      Sid: 'DataLakeOnly',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::datalake', 'arn:aws:s3:::datalake/*'],
    })
    const got = outcome(await guard.handle(await actor.modifyEndpointPolicy(endpoint, otherBucket)), env.roleName)
    expect(got.result).toBe('blocked')
    expect(got.text).toContain(`not allowed by policy of VPC endpoint ${endpoint} (com.amazonaws.us-east-1.s3)`)
    expect(got.iamWrites).toEqual([])
  })
})

describe('SCPs', () => {
  let organization: MotoOrganization
  let member: World
  beforeAll(async () => {
    organization = await organizationOnMoto(world.moto.endpoint)
    member = await startWorld({
      accountId: organization.memberAccountId,
      env: { READ_ORGANIZATION_POLICIES: 'true', AWS_ENDPOINT_URL_ORGANIZATIONS: organization.endpoint },
    })
  })
  afterAll(async () => {
    await member?.stop()
    await organization?.stop()
  })

  it('in a member account, an SCP denying SQS: found on the next check of the role, named, nothing written', async () => {
    const env = await member.createEnvironment({ mode: 'heal' })
    const guard = member.guard()
    const { policyId } = await organization.attachScp(
      'deny-sqs',
      doc({ Sid: 'DenySqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' }),
    )
    // Organizations records AttachPolicy in the management account: the member's guard finds it on its next check.
    const got = outcome(
      await guard.handle(await member.as(member.callers.operator).tagRole(env.roleName, { team: 'data' })),
      env.roleName,
    )
    expect(got.result).toBe('blocked')
    expect(got.text).toContain(
      `explicitly denied by SCP deny-sqs (${policyId}) attached to ${organization.memberAccountId}, statement "DenySqs"`,
    )
    expect(got.text).toMatch(ALERT_ONLY)
    expect(got.iamWrites).toEqual([])
  })

  it('in the management account SCPs do not apply: an AttachPolicy of a Deny at the root re-checks every role, and they stay healthy', async () => {
    const management = await startWorld({
      accountId: organization.management.accountId,
      env: { READ_ORGANIZATION_POLICIES: 'true' },
    })
    try {
      const env = await management.createEnvironment({ mode: 'alert' })
      const managementActor = new ResourceActor(
        management.moto.endpoint,
        credentialsOf(management.env),
        management.account,
        management.callers.operator,
      )
      const { policyId } = await organization.attachScp(
        'deny-sqs-2',
        doc({ Sid: 'DenySqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' }),
        organization.rootId,
      )
      const event = managementActor.organizationsEvent('AttachPolicy', { policyId, targetId: organization.rootId })
      const handled = await management.guard().handle(event)
      const role = handled.summary.roles.find((r) => r.role === env.roleName)
      expect(role?.result).toBe('healthy')
    } finally {
      await management.stop()
    }
  })
})
