/**
 * The doc's two sample execution-role policies, copied statement by statement with the placeholders filled for an
 * environment (the Deny of s3:ListAllMyBuckets included, as the doc writes it).
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("Sample JSON policies for an execution role")
 */
import type { EnvironmentRef } from '../../lib/baseline/types'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'

/** The sample for the environment's key: "Sample policy for a customer managed key" or "... for an AWS owned key". */
export function docSamplePolicy(ref: EnvironmentRef, bucketArn: string): PolicyDocument {
  const { region, accountId, name } = ref
  const bucket = [bucketArn, `${bucketArn}/*`]
  const common: PolicyStatement[] = [
    { Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: bucket },
    { Effect: 'Allow', Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], Resource: bucket },
    {
      Effect: 'Allow',
      Action: [
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'logs:PutLogEvents',
        'logs:GetLogEvents',
        'logs:GetLogRecord',
        'logs:GetLogGroupFields',
        'logs:GetQueryResults',
      ],
      Resource: [`arn:aws:logs:${region}:${accountId}:log-group:airflow-${name}-*`],
    },
    { Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: ['*'] },
    { Effect: 'Allow', Action: ['s3:GetAccountPublicAccessBlock'], Resource: ['*'] },
    { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
    {
      Effect: 'Allow',
      Action: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
      Resource: `arn:aws:sqs:${region}:*:airflow-celery-*`,
    },
  ]
  const kms = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt']
  if (ref.kmsKey) {
    return {
      Version: '2012-10-17',
      Statement: [
        ...common,
        {
          Effect: 'Allow',
          Action: kms,
          Resource: ref.kmsKey,
          Condition: {
            StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`] },
          },
        },
      ],
    }
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'airflow:PublishMetrics',
        Resource: `arn:aws:airflow:${region}:${accountId}:environment/${name}`,
      },
      ...common,
      {
        Effect: 'Allow',
        Action: kms,
        NotResource: `arn:aws:kms:*:${accountId}:key/*`,
        Condition: { StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`] } },
      },
    ],
  }
}

/** The doc's sample assume role policy document. */
export const DOC_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
  ],
}
