/**
 * The four document adapters over the real wire, against moto: a bucket policy (and none), a key policy behind a
 * key ARN, the VPC of a subnet and its S3 gateway endpoint's policy, the SCP/RCP levels of an account. Each read is
 * cached until an event forgets it.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
 */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms'
import {
  AttachPolicyCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createEc2Adapter } from '../../lib/aws/ec2'
import { createKmsAdapter } from '../../lib/aws/kms'
import { createOrganizationsAdapter } from '../../lib/aws/organizations'
import { createS3Adapter } from '../../lib/aws/s3'
import { openMotoAccount, type MotoAccount } from '../support/moto-account'
import { startMoto, type Moto } from '../support/moto'
import { motoEc2, motoS3 } from '../support/moto-resources'

const REGION = 'us-east-1'
let moto: Moto
let account: MotoAccount
const clock = () => 0
const credentials = () => ({
  accessKeyId: account.accessKeyId,
  secretAccessKey: account.secretAccessKey,
  sessionToken: account.sessionToken,
})

beforeAll(async () => {
  moto = await startMoto()
  account = await openMotoAccount(moto.endpoint)
})
afterAll(async () => {
  await moto?.stop()
})

const denyNonVpc = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyNonVpc',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
    },
  ],
})

describe('S3: bucketPolicy', () => {
  it('reads a bucket policy, says none for a bucket without one, and re-reads only once forgotten', async () => {
    const s3 = motoS3(moto.endpoint, credentials())
    const counter = new ApiCallCounter()
    const adapter = createS3Adapter({
      env: { AWS_ENDPOINT_URL: moto.endpoint },
      clock,
      credentials: credentials(),
      counter,
    })
    const bucket = `sales-dags-${account.accountId}`
    await s3.createBucket(bucket)
    expect(await adapter.bucketPolicy(bucket, REGION)).toEqual({ kind: 'none' })
    adapter.forget(bucket)
    await s3.putBucketPolicy(bucket, denyNonVpc(bucket))
    const read = await adapter.bucketPolicy(bucket, REGION)
    expect(read.kind === 'found' && read.value.Statement).toEqual(denyNonVpc(bucket).Statement)
    await adapter.bucketPolicy(bucket, REGION)
    expect(counter.count({ operation: 'GetBucketPolicy' })).toBe(2)
  })
})

describe('KMS: key', () => {
  it("reads a customer managed key's state and its default policy", async () => {
    const client = new KMSClient({ region: REGION, endpoint: moto.endpoint, credentials: credentials() })
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Root',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    }
    const created = await client.send(new CreateKeyCommand({ Policy: JSON.stringify(policy) }))
    const arn = created.KeyMetadata!.Arn!
    const counter = new ApiCallCounter()
    const adapter = createKmsAdapter({
      env: { AWS_ENDPOINT_URL: moto.endpoint },
      clock,
      credentials: credentials(),
      counter,
    })
    const read = await adapter.key(arn)
    expect(read).toEqual({ kind: 'found', value: { arn, state: 'Enabled', awsManaged: false, policy } })
    await adapter.key(arn)
    expect(counter.summary()).toEqual({ 'kms:DescribeKey': 1, 'kms:GetKeyPolicy': 1 })
    adapter.forget(arn.split('/')[1]!)
    await adapter.key(arn)
    expect(counter.summary()).toEqual({ 'kms:DescribeKey': 2, 'kms:GetKeyPolicy': 2 })
  })
})

describe('EC2: vpcOfSubnets, vpcEndpoints', () => {
  it("finds the subnets' VPC and its S3 gateway endpoint with its policy; other VPCs' endpoints are not listed", async () => {
    const ec2 = motoEc2(moto.endpoint, credentials())
    const vpc = await ec2.createVpc('10.1.0.0/16')
    const subnet = await ec2.createSubnet(vpc, '10.1.1.0/24')
    const other = await ec2.createVpc('10.2.0.0/16')
    const endpointPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'OnlyOtherBuckets', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::other/*' },
      ],
    }
    const endpoint = await ec2.createGatewayEndpoint(vpc, `com.amazonaws.${REGION}.s3`, endpointPolicy)
    await ec2.createGatewayEndpoint(other, `com.amazonaws.${REGION}.s3`)
    const counter = new ApiCallCounter()
    const adapter = createEc2Adapter({
      env: { AWS_ENDPOINT_URL: moto.endpoint },
      clock,
      credentials: credentials(),
      counter,
    })
    expect(await adapter.vpcOfSubnets([subnet], REGION)).toEqual({ kind: 'found', value: vpc })
    const read = await adapter.vpcEndpoints(vpc, REGION)
    expect(read).toEqual({
      kind: 'found',
      value: {
        id: vpc,
        endpoints: [
          {
            id: endpoint,
            serviceName: `com.amazonaws.${REGION}.s3`,
            service: 's3',
            type: 'Gateway',
            policy: endpointPolicy,
          },
        ],
      },
    })
    expect(await adapter.vpcOfEndpoint(endpoint, REGION)).toBe(vpc)
    await adapter.vpcEndpoints(vpc, REGION)
    adapter.forgetEndpoint(endpoint)
    await adapter.vpcEndpoints(vpc, REGION)
    expect(counter.summary()).toEqual({ 'ec2:DescribeSubnets': 1, 'ec2:DescribeVpcEndpoints': 2 })
  })
})

describe('Organizations: policiesFor', () => {
  it('lists the SCP levels from the root to the account, each with its documents', async () => {
    const org = await openMotoAccount(moto.endpoint)
    const client = new OrganizationsClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: {
        accessKeyId: org.accessKeyId,
        secretAccessKey: org.secretAccessKey,
        sessionToken: org.sessionToken,
      },
    })
    await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    const root = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!
    const ou = (await client.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'data' })))
      .OrganizationalUnit!.Id!
    await client.send(
      new MoveAccountCommand({ AccountId: org.accountId, SourceParentId: root, DestinationParentId: ou }),
    )
    const denySqs = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenySqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' }],
    }
    const policy = await client.send(
      new CreatePolicyCommand({
        Name: 'deny-sqs',
        Description: 'no queues',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify(denySqs),
      }),
    )
    await client.send(new AttachPolicyCommand({ PolicyId: policy.Policy!.PolicySummary!.Id!, TargetId: ou }))
    const counter = new ApiCallCounter()
    const adapter = createOrganizationsAdapter({
      env: { AWS_ENDPOINT_URL: moto.endpoint },
      clock,
      credentials: {
        accessKeyId: org.accessKeyId,
        secretAccessKey: org.secretAccessKey,
        sessionToken: org.sessionToken,
      },
      counter,
    })
    const read = await adapter.policiesFor(org.accountId)
    expect(read.kind).toBe('found')
    if (read.kind !== 'found') return
    expect(read.value.managementAccount).toBe(org.accountId)
    expect(read.value.scps.map((l) => l.target)).toEqual([root, ou, org.accountId])
    expect(read.value.scps.map((l) => l.policies.map((p) => p.name))).toEqual([
      ['FullAWSAccess'],
      ['FullAWSAccess', 'deny-sqs'],
      ['FullAWSAccess'],
    ])
    expect(read.value.scps[1]!.policies[1]!.document).toEqual(denySqs)
    const calls = counter.calls.length
    await adapter.policiesFor(org.accountId)
    expect(counter.calls.length).toBe(calls)
  })
})
