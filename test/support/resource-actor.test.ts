/**
 * The resource actor's events are the ones the guard parses: each becomes the target the shell reconciles, from the
 * world's account and region. (The calls themselves run on moto; this checks the events they return.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isIgnored, parseEvent } from '../../lib/events/parse-event'
import { targetsOf } from '../../lib/events/targets'
import { openMotoAccount } from './moto-account'
import { startMoto, type Moto } from './moto'
import { ResourceActor } from './resource-actor'

let moto: Moto
beforeAll(async () => {
  moto = await startMoto()
})
afterAll(async () => {
  await moto?.stop()
})

const policy = (resource: string) => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow' as const, Principal: '*' as const, Action: 's3:GetObject', Resource: resource },
  ],
})

describe('ResourceActor', () => {
  it('makes each call on moto and returns an event the guard parses to the changed resource', async () => {
    const account = await openMotoAccount(moto.endpoint)
    const actor = new ResourceActor(moto.endpoint, account, account.accountId, {
      kind: 'user',
      arn: `arn:aws:iam::${account.accountId}:user/ops-alice`,
    })
    const bucket = `dags-${account.accountId}`
    await actor.createBucket(bucket)
    const { vpc } = await actor.createVpc()
    const endpoint = await actor.createGatewayEndpoint(vpc)
    const key = await actor.createKey({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    })
    const { policyId } = await actor.createOrganizationWithPolicy('deny-sqs', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'sqs:*', Resource: '*' }],
    })
    const events = [
      await actor.putBucketPolicy(bucket, policy(`arn:aws:s3:::${bucket}/*`)),
      await actor.disableKey(key),
      await actor.modifyEndpointPolicy(endpoint, policy('arn:aws:s3:::other/*')),
      await actor.attachPolicy(policyId, account.accountId),
    ]
    const targets = events.map((event) => {
      const parsed = parseEvent(event)
      if (isIgnored(parsed)) throw new Error(parsed.reason)
      return targetsOf(parsed)[0]
    })
    expect(targets).toEqual([
      { kind: 'bucket', bucket, region: 'us-east-1' },
      { kind: 'kms-key', keyId: key.split('/')[1], region: 'us-east-1' },
      { kind: 'vpc-endpoint', endpointId: endpoint, region: 'us-east-1' },
      { kind: 'organization', policyId },
    ])
  })
})
