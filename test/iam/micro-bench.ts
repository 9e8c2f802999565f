/**
 * Micro-benchmark of the evaluator (a script, not a test): `node bin/run-ts.mjs test/iam/micro-bench.ts`.
 * The policy is the MWAA "AWS owned key" sample execution-role policy (9 statements) plus a 2-statement
 * boundary; requests cycle through allowed, denied and not-granted cases, some with conditions.
 */
import { compilePolicy, evaluateRequest, type EvaluationRequest } from '../../lib/iam/index'

const R = 'us-east-1'
const A = '111122223333'
const ENV = 'my-env'
const BUCKET = 'my-dags'
const policy = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'airflow:PublishMetrics', Resource: `arn:aws:airflow:${R}:${A}:environment/${ENV}` },
      {
        Effect: 'Deny',
        Action: 's3:ListAllMyBuckets',
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
        Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      },
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
        Resource: [`arn:aws:logs:${R}:${A}:log-group:airflow-${ENV}-*`],
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
        Resource: `arn:aws:sqs:${R}:*:airflow-celery-*`,
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
        NotResource: `arn:aws:kms:*:${A}:key/*`,
        Condition: { StringLike: { 'kms:ViaService': [`sqs.${R}.amazonaws.com`] } },
      },
    ],
  },
  'mwaa-execution',
  'identity',
)
const boundary = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:*', 'logs:*', 'sqs:*', 'kms:*', 'airflow:*', 'cloudwatch:*'], Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  },
  'boundary',
  'boundary',
)

const requests: EvaluationRequest[] = [
  { action: 'airflow:PublishMetrics', resource: `arn:aws:airflow:${R}:${A}:environment/${ENV}` },
  {
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${BUCKET}/dags/dag.py`,
    context: { 'aws:SecureTransport': 'true' },
  },
  { action: 's3:ListAllMyBuckets', resource: `arn:aws:s3:::${BUCKET}` },
  { action: 'logs:PutLogEvents', resource: `arn:aws:logs:${R}:${A}:log-group:airflow-${ENV}-Task:log-stream:x` },
  { action: 'sqs:SendMessage', resource: `arn:aws:sqs:${R}:999999999999:airflow-celery-abc` },
  {
    action: 'kms:Decrypt',
    resource: `arn:aws:kms:${R}:999999999999:key/k`,
    context: { 'kms:ViaService': `sqs.${R}.amazonaws.com` },
  },
  { action: 'iam:PassRole', resource: `arn:aws:iam::${A}:role/x` },
  { action: 'cloudwatch:PutMetricData', resource: '*', context: { 'aws:SecureTransport': 'false' } },
]

function run(label: string, n: number, withBoundary: boolean): void {
  const policies = withBoundary ? { identity: [policy], boundary } : { identity: [policy] }
  let sink = 0
  for (let i = 0; i < 200_000; i++) sink += evaluateRequest(policies, requests[i % requests.length]!).statements.length
  const t0 = performance.now()
  for (let i = 0; i < n; i++) sink += evaluateRequest(policies, requests[i % requests.length]!).statements.length
  const ms = performance.now() - t0
  console.log(
    `${label}: ${Math.round((n / ms) * 1000).toLocaleString('en-US')} evaluations/s (${n} in ${ms.toFixed(0)} ms, sink ${sink})`,
  )
}

run('identity only     ', 3_000_000, false)
run('identity+boundary ', 3_000_000, true)
