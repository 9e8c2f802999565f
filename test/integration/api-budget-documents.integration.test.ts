/**
 * The calls the documents beyond the role add per event, counted on the wire (S3, KMS, EC2; Organizations is off by
 * default), for an environment with a DAG bucket that has a policy, a customer managed key and a VPC with an S3
 * gateway endpoint. The adapters cache each document (10 minutes; a key's state and a subnet's VPC an hour) until an
 * event about it: an environment whose resources have not changed costs nothing in a warm process, and at most 3 once
 * the documents have expired. The IAM, MWAA and memory calls are those of api-budget.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HandledEvent } from '../support/guard'
import { credentialsOf, ResourceActor } from '../support/resource-actor'
import { startWorld, type World } from '../support/world'

let world: World
let actor: ResourceActor
beforeAll(async () => {
  world = await startWorld()
  actor = new ResourceActor(world.moto.endpoint, credentialsOf(world.env), world.account, world.callers.operator)
})
afterAll(async () => {
  await world?.stop()
})

const DOCUMENT_SERVICES = new Set(['s3', 'kms', 'ec2', 'organizations'])

/** The document reads of one handled event, by `service:operation`. */
function documentCalls(handled: HandledEvent): Record<string, number> {
  const out: Record<string, number> = {}
  for (const c of handled.calls)
    if (DOCUMENT_SERVICES.has(c.service))
      out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1
  return out
}

async function environmentWithDocuments() {
  const key = await actor.createKey({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${world.account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  })
  const { vpc, subnets } = await actor.createVpc()
  await actor.createGatewayEndpoint(vpc)
  const env = await world.createEnvironment({ mode: 'alert', kmsKeyArn: key, subnetIds: subnets })
  const bucket = env.wire.SourceBucketArn.split(':::')[1]!
  await actor.createBucket(bucket)
  await actor.putBucketPolicy(bucket, {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  })
  return { env, bucket }
}

describe('document reads per event (bucket with a policy, customer managed key, VPC with an S3 endpoint)', () => {
  it('cold process: 5 (bucket policy, key and its policy, the subnets VPC and its endpoints); warm, unchanged: 0; documents expired: 3', async () => {
    const { env } = await environmentWithDocuments()
    const guard = world.guard()
    const operator = world.as(world.callers.operator)
    const cold = await guard.handle(await operator.tagRole(env.roleName, { round: '1' }))
    expect(cold.summary.roles.find((r) => r.role === env.roleName)?.result).toBe('healthy')
    expect(documentCalls(cold)).toEqual({
      's3:GetBucketPolicy': 1,
      'kms:DescribeKey': 1,
      'kms:GetKeyPolicy': 1,
      'ec2:DescribeSubnets': 1,
      'ec2:DescribeVpcEndpoints': 1,
    })
    const warm = await guard.handle(await operator.tagRole(env.roleName, { round: '2' }))
    expect(documentCalls(warm)).toEqual({})
    // Past the documents' 10 minutes (a key's state and a subnet's VPC are kept an hour).
    guard.advanceClock(11 * 60_000)
    const expired = await guard.handle(await operator.tagRole(env.roleName, { round: '3' }))
    expect(documentCalls(expired)).toEqual({
      's3:GetBucketPolicy': 1,
      'kms:GetKeyPolicy': 1,
      'ec2:DescribeVpcEndpoints': 1,
    })
  })

  it('an event about the bucket re-reads that document only', async () => {
    const { env, bucket } = await environmentWithDocuments()
    const guard = world.guard()
    await guard.handle(await world.as(world.callers.operator).tagRole(env.roleName, { warmed: 'yes' }))
    const changed = await guard.handle(
      await actor.putBucketPolicy(bucket, {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Nothing',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${bucket}/x`,
          },
        ],
      }),
    )
    expect(changed.summary.roles.find((r) => r.role === env.roleName)?.result).toBe('healthy')
    expect(documentCalls(changed)).toEqual({ 's3:GetBucketPolicy': 1 })
  })
})
