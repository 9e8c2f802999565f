/**
 * Someone who changes the documents beyond the role: each method makes the real call on moto (bucket policy, key
 * policy and state, endpoint policy, SCP attachment) and returns the CloudTrail event it would cause, with
 * requestParameters as the fixtures in test/events/fixtures/cloudtrail show them (S3's bucketPolicy as an object, KMS's
 * keyId, EC2's ModifyVpcEndpointRequest, Organizations' policyId/targetId).
 */
import {
  CreateKeyCommand,
  DisableKeyCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms'
import {
  AttachPolicyCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import type { PolicyDocument } from '../../lib/iam/types'
import { type Caller, type CloudTrailEvent, cloudTrailEvent, REGION } from './cloudtrail-event'
import { motoEc2, motoS3 } from './moto-resources'

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** Credentials of a world's environment map. */
export function credentialsOf(env: Record<string, string>): Credentials {
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  }
}

export class ResourceActor {
  private readonly s3
  private readonly ec2
  private readonly kms: KMSClient
  private readonly organizations: OrganizationsClient

  constructor(
    endpoint: string,
    credentials: Credentials,
    private readonly account: string,
    private readonly caller: Caller,
  ) {
    this.s3 = motoS3(endpoint, credentials)
    this.ec2 = motoEc2(endpoint, credentials)
    this.kms = new KMSClient({ region: REGION, endpoint, credentials })
    this.organizations = new OrganizationsClient({ region: REGION, endpoint, credentials })
  }

  // Set-up (no event): what an environment's documents are made of.
  createBucket = (bucket: string) => this.s3.createBucket(bucket)
  createVpc = async () => {
    const vpc = await this.ec2.createVpc('10.8.0.0/16')
    const subnets = [await this.ec2.createSubnet(vpc, '10.8.1.0/24'), await this.ec2.createSubnet(vpc, '10.8.2.0/24')]
    return { vpc, subnets }
  }
  createGatewayEndpoint = (vpc: string, policy?: PolicyDocument) =>
    this.ec2.createGatewayEndpoint(vpc, `com.amazonaws.${REGION}.s3`, policy)
  async createKey(policy: PolicyDocument): Promise<string> {
    const out = await this.kms.send(new CreateKeyCommand({ Policy: JSON.stringify(policy) }))
    return out.KeyMetadata!.Arn!
  }
  /** An organization whose management account is this one, with an SCP; returns ids to attach it. */
  async createOrganizationWithPolicy(name: string, document: PolicyDocument) {
    const org = await this.organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    const policy = await this.organizations.send(
      new CreatePolicyCommand({
        Name: name,
        Description: name,
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify(document),
      }),
    )
    return { organizationId: org.Organization!.Id!, policyId: policy.Policy!.PolicySummary!.Id! }
  }

  async putBucketPolicy(bucket: string, policy: PolicyDocument): Promise<CloudTrailEvent> {
    await this.s3.putBucketPolicy(bucket, policy)
    return this.event('s3', 'PutBucketPolicy', {
      bucketName: bucket,
      Host: `${bucket}.s3.${REGION}.amazonaws.com`,
      bucketPolicy: policy,
      policy: '',
    })
  }

  async deleteBucketPolicy(bucket: string): Promise<CloudTrailEvent> {
    await this.s3.deleteBucketPolicy(bucket)
    return this.event('s3', 'DeleteBucketPolicy', { bucketName: bucket, Host: `${bucket}.s3.${REGION}.amazonaws.com` })
  }

  async putKeyPolicy(keyArn: string, policy: PolicyDocument): Promise<CloudTrailEvent> {
    await this.kms.send(
      new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify(policy) }),
    )
    return this.event('kms', 'PutKeyPolicy', { keyId: keyArn, policyName: 'default', policy: JSON.stringify(policy) })
  }

  async disableKey(keyArn: string): Promise<CloudTrailEvent> {
    // By key id: moto 5.2.1 answers 500 to DisableKey with a key ARN (AWS takes either).
    await this.kms.send(new DisableKeyCommand({ KeyId: keyArn.split('/').at(-1) }))
    return this.event('kms', 'DisableKey', { keyId: keyArn.split('/').at(-1) })
  }

  async scheduleKeyDeletion(keyArn: string): Promise<CloudTrailEvent> {
    await this.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyArn.split('/').at(-1), PendingWindowInDays: 7 }))
    return this.event('kms', 'ScheduleKeyDeletion', { keyId: keyArn, pendingWindowInDays: 7 })
  }

  async modifyEndpointPolicy(endpointId: string, policy: PolicyDocument): Promise<CloudTrailEvent> {
    await this.ec2.modifyEndpointPolicy(endpointId, policy)
    return this.event('ec2', 'ModifyVpcEndpoint', {
      ModifyVpcEndpointRequest: { VpcEndpointId: endpointId, PolicyDocument: JSON.stringify(policy) },
    })
  }

  async attachPolicy(policyId: string, targetId: string): Promise<CloudTrailEvent> {
    await this.organizations.send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }))
    return this.event('organizations', 'AttachPolicy', { policyId, targetId })
  }

  /** The event of an Organizations call made elsewhere (by the management account's client, say). */
  organizationsEvent(eventName: string, requestParameters: Record<string, unknown>): CloudTrailEvent {
    return this.event('organizations', eventName, requestParameters)
  }

  private event(
    service: 's3' | 'kms' | 'ec2' | 'organizations',
    eventName: string,
    requestParameters: Record<string, unknown>,
  ): CloudTrailEvent {
    return cloudTrailEvent({ account: this.account, service, eventName, requestParameters, caller: this.caller })
  }
}
