/**
 * The CloudTrail calls that can change what an MWAA execution role may do. They must stay in step with the
 * `eventName` lists of events/*.pattern.json (a test checks it).
 */

/** IAM calls on a role, on a managed policy attached to it, or on the role's existence. */
export const IAM_EVENT_NAMES = [
  'PutRolePolicy',
  'DeleteRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'UpdateAssumeRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'DeletePolicyVersion',
  'TagRole',
  'UntagRole',
  'DeleteRole',
] as const

/** MWAA calls that create an environment, change its execution role or inputs, or remove it. */
export const MWAA_EVENT_NAMES = ['CreateEnvironment', 'UpdateEnvironment', 'DeleteEnvironment'] as const

/** S3 calls that replace or remove a bucket's policy. */
export const S3_EVENT_NAMES = ['PutBucketPolicy', 'DeleteBucketPolicy'] as const

/**
 * KMS calls that change whether a key can be used: its policy, its state (disabled, scheduled for deletion), and the
 * two calls that undo those, so a check right after sees the key usable again.
 */
export const KMS_EVENT_NAMES = [
  'PutKeyPolicy',
  'DisableKey',
  'ScheduleKeyDeletion',
  'EnableKey',
  'CancelKeyDeletion',
] as const

/** EC2 calls that change a VPC endpoint's policy. */
export const EC2_EVENT_NAMES = ['ModifyVpcEndpoint'] as const

/** Organizations calls that change which SCPs and RCPs apply, or what they say. */
export const ORGANIZATIONS_EVENT_NAMES = ['AttachPolicy', 'DetachPolicy', 'UpdatePolicy', 'DisablePolicyType'] as const

export type IamEventName = (typeof IAM_EVENT_NAMES)[number]
export type MwaaEventName = (typeof MWAA_EVENT_NAMES)[number]
export type ResourceEventName =
  | (typeof S3_EVENT_NAMES)[number]
  | (typeof KMS_EVENT_NAMES)[number]
  | (typeof EC2_EVENT_NAMES)[number]
export type OrganizationsEventName = (typeof ORGANIZATIONS_EVENT_NAMES)[number]
export type WatchedEventName = IamEventName | MwaaEventName | ResourceEventName | OrganizationsEventName

/** EventBridge `source` and CloudTrail `eventSource` of each watched service, and its calls. */
export const WATCHED_SOURCES = {
  'aws.iam': { eventSource: 'iam.amazonaws.com', names: IAM_EVENT_NAMES as readonly WatchedEventName[] },
  'aws.airflow': { eventSource: 'airflow.amazonaws.com', names: MWAA_EVENT_NAMES as readonly WatchedEventName[] },
  'aws.s3': { eventSource: 's3.amazonaws.com', names: S3_EVENT_NAMES as readonly WatchedEventName[] },
  'aws.kms': { eventSource: 'kms.amazonaws.com', names: KMS_EVENT_NAMES as readonly WatchedEventName[] },
  'aws.ec2': { eventSource: 'ec2.amazonaws.com', names: EC2_EVENT_NAMES as readonly WatchedEventName[] },
  'aws.organizations': {
    eventSource: 'organizations.amazonaws.com',
    names: ORGANIZATIONS_EVENT_NAMES as readonly WatchedEventName[],
  },
} as const

/** Sources whose events arrive in the region of the resource (MWAA, S3, KMS, EC2); the others are global. */
export const REGIONAL_SOURCES: ReadonlySet<string> = new Set(['aws.airflow', 'aws.s3', 'aws.kms', 'aws.ec2'])

export type WatchedSource = keyof typeof WATCHED_SOURCES
