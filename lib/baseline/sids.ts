/** Stable Sids of the baseline policy's statements: checks name the statement they come from. */
export const Sid = {
  publishMetrics: 'AirflowPublishMetrics',
  dagBucketRead: 'DagBucketRead',
  logs: 'AirflowLogs',
  describeLogGroups: 'DescribeLogGroups',
  accountPublicAccessBlock: 'AccountPublicAccessBlock',
  cloudWatchMetrics: 'CloudWatchMetrics',
  celeryQueue: 'CeleryQueue',
  kmsCustomerKey: 'KmsViaSqsAndS3',
  kmsAwsOwnedKey: 'KmsViaSqs',
} as const
export type Sid = (typeof Sid)[keyof typeof Sid]

/** Sids an extras file may not use, because the baseline's own statements carry them. */
export const RESERVED_SIDS: ReadonlySet<string> = new Set(Object.values(Sid))

/** Sids given to extras statements without one (`ExtraShared1`, `ExtraEnv2`): by position, so never written by users. */
export const GENERATED_SID = /^Extra(Shared|Env)\d+$/
