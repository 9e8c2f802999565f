/**
 * Where this deployment of mwaa-role-guard runs: its partition, its account and the regions it watches. Everything
 * that reaches a baseline (events, GetEnvironment data) is checked against it before any baseline exists.
 * Partitions and regions: https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */

export type Deployment = {
  /** aws, aws-cn, aws-us-gov, ... */
  partition: string
  /** the 12-digit account the function runs in (AWS_ACCOUNT_ID, or STS GetCallerIdentity) */
  accountId: string
  /** MWAA_REGIONS */
  regions: readonly string[]
}

/** A region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. Nothing else. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

/** The partition a region belongs to (the region-name prefixes AWS documents). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  if (region.startsWith('us-isob-')) return 'aws-iso-b'
  if (region.startsWith('us-iso-')) return 'aws-iso'
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e'
  if (region.startsWith('us-isof-')) return 'aws-iso-f'
  if (region.startsWith('eusc-')) return 'aws-eusc'
  return 'aws'
}

/**
 * The region IAM's CloudTrail events are recorded in: IAM is global, its events arrive in the partition's IAM region
 * (us-east-1 for aws; https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html).
 */
export function iamEventRegion(partition: string): string {
  if (partition === 'aws-cn') return 'cn-north-1'
  if (partition === 'aws-us-gov') return 'us-gov-west-1'
  return 'us-east-1'
}
