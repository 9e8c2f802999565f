/**
 * The doc's sample execution-role policy with every placeholder filled, each statement given a stable Sid.
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("Sample JSON policies for an execution role")
 */
import type { PolicyStatement } from '../iam/types'
import { DocActions } from './doc-actions'
import { viaService } from './representative'
import { Sid } from './sids'
import type { EnvironmentRef } from './types'

export type DocPolicyInput = {
  ref: EnvironmentRef
  bucketArn: string
  /** log group ARNs from LoggingConfiguration that the doc's `airflow-{env}-*` pattern does not cover */
  extraLogGroups: string[]
}

/** The doc's log group pattern: `arn:aws:logs:{region}:{account}:log-group:airflow-{env}-*`. */
export function docLogGroupPattern(ref: EnvironmentRef): string {
  return `arn:${ref.partition}:logs:${ref.region}:${ref.accountId}:log-group:airflow-${ref.name}-*`
}

/** Statements of the customer-managed-key sample when the environment has a KmsKey, else of the AWS-owned-key sample. */
export function docPolicyStatements({ ref, bucketArn, extraLogGroups }: DocPolicyInput): PolicyStatement[] {
  const { partition, region, accountId } = ref
  const bucketAndObjects = [bucketArn, `${bucketArn}/*`]
  const statements: PolicyStatement[] = [
    // The doc says the role needs airflow:PublishMetrics ("to allow Amazon MWAA to monitor the health of an
    // environment"), but only its AWS-owned-key sample grants it; we require it with either key.
    { Sid: Sid.publishMetrics, Effect: 'Allow', Action: 'airflow:PublishMetrics', Resource: ref.arn },
    // The doc's samples also Deny s3:ListAllMyBuckets on the bucket ARNs. That Deny never applies: the action has no
    // resource-level permissions, so its requests are for "*", which a bucket ARN never matches
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html). The environment does
    // not need it, and a baseline whose every statement is required lets `check` prove each one is.
    { Sid: Sid.dagBucketRead, Effect: 'Allow', Action: [...DocActions.dagBucket], Resource: bucketAndObjects },
    {
      Sid: Sid.logs,
      Effect: 'Allow',
      Action: [...DocActions.logs],
      Resource: [docLogGroupPattern(ref), ...extraLogGroups.flatMap((g) => [g, `${g}:*`])],
    },
    { Sid: Sid.describeLogGroups, Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: ['*'] },
    { Sid: Sid.accountPublicAccessBlock, Effect: 'Allow', Action: ['s3:GetAccountPublicAccessBlock'], Resource: ['*'] },
    { Sid: Sid.cloudWatchMetrics, Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
    {
      Sid: Sid.celeryQueue,
      Effect: 'Allow',
      Action: [...DocActions.queue],
      Resource: `arn:${partition}:sqs:${region}:*:airflow-celery-*`,
    },
  ]
  if (ref.kmsKey) {
    statements.push({
      Sid: Sid.kmsCustomerKey,
      Effect: 'Allow',
      Action: [...DocActions.kms],
      Resource: ref.kmsKey,
      Condition: { StringLike: { 'kms:ViaService': [viaService('sqs', region), viaService('s3', region)] } },
    })
  } else {
    // AWS owned key: any key outside the customer's account, used through SQS only.
    statements.push({
      Sid: Sid.kmsAwsOwnedKey,
      Effect: 'Allow',
      Action: [...DocActions.kms],
      NotResource: `arn:${partition}:kms:*:${accountId}:key/*`,
      Condition: { StringLike: { 'kms:ViaService': [viaService('sqs', region)] } },
    })
  }
  return statements
}

/** The doc's assume-role policy: both MWAA service principals may call sts:AssumeRole. */
export function docTrustPolicy() {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow' as const,
        Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
        Action: 'sts:AssumeRole',
      },
    ],
  }
}
