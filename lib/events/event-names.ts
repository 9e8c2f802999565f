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

export type IamEventName = (typeof IAM_EVENT_NAMES)[number]
export type MwaaEventName = (typeof MWAA_EVENT_NAMES)[number]
export type WatchedEventName = IamEventName | MwaaEventName

/** EventBridge `source` and CloudTrail `eventSource` of each watched service, and its calls. */
export const WATCHED_SOURCES = {
  'aws.iam': { eventSource: 'iam.amazonaws.com', names: IAM_EVENT_NAMES as readonly WatchedEventName[] },
  'aws.airflow': { eventSource: 'airflow.amazonaws.com', names: MWAA_EVENT_NAMES as readonly WatchedEventName[] },
} as const

export type WatchedSource = keyof typeof WATCHED_SOURCES
