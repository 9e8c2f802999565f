/**
 * Every document beyond the role one environment's checks need, read through the four adapters in the
 * environment's region (each cached per document): its DAG bucket's policy, its customer managed key, the endpoints
 * of the VPC its subnets are in, and (only when reading them is switched on) the organization's SCPs and RCPs.
 * The environment is live state already validated against the deployment (validateEnvironment).
 */
import type { MwaaEnvironment } from '../baseline/types'
import type { DocumentRead, ResourceDocuments } from '../drift/resource-documents'
import type { Ec2Adapter, VpcEndpoints } from './ec2'
import type { KmsAdapter } from './kms'
import type { OrganizationsAdapter } from './organizations'
import type { S3Adapter } from './s3'

export type DocumentAdapters = {
  s3: S3Adapter
  kms: KmsAdapter
  ec2: Ec2Adapter
  /** only with READ_ORGANIZATION_POLICIES=true */
  organizations?: OrganizationsAdapter
}

/** Reads the documents of one environment of `region` in `accountId`; unreadable ones are data, not errors. */
export async function readEnvironmentDocuments(
  adapters: DocumentAdapters,
  environment: MwaaEnvironment,
  region: string,
  accountId: string,
): Promise<ResourceDocuments> {
  const bucket = environment.SourceBucketArn.slice(environment.SourceBucketArn.indexOf(':::') + 3)
  const subnets = environment.NetworkConfiguration?.SubnetIds ?? []
  const [policy, key, vpc, organization] = await Promise.all([
    adapters.s3.bucketPolicy(bucket, region),
    environment.KmsKey ? adapters.kms.key(environment.KmsKey) : undefined,
    subnets.length > 0 ? endpointsOf(adapters.ec2, subnets, region) : undefined,
    adapters.organizations?.policiesFor(accountId),
  ])
  return {
    bucket: { name: bucket, policy },
    ...(key ? { key } : {}),
    ...(vpc ? { vpc } : {}),
    ...(organization ? { organization } : {}),
  }
}

async function endpointsOf(ec2: Ec2Adapter, subnets: string[], region: string): Promise<DocumentRead<VpcEndpoints>> {
  const vpc = await ec2.vpcOfSubnets(subnets, region)
  if (vpc.kind !== 'found') return vpc.kind === 'none' ? { kind: 'none' } : vpc
  return ec2.vpcEndpoints(vpc.value, region)
}
