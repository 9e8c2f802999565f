import { describe, expect, it } from 'vitest'
import { compileBaselines, firstGrantBeyond } from '../../lib/drift/within-baseline'
import type { PolicyStatement } from '../../lib/iam/types'
import { DOC } from './docs'
import { baselineOf, catalogue, doc } from './support'

// custodian-1: AWS owned key, account 644160558196, us-east-1; custodian-3: customer managed key.
const owned = baselineOf('custodian-1')
const customer = baselineOf('custodian-3')
const A = '644160558196'
const BUCKET = 'arn:aws:s3:::teststack-environmentbucket-f4ymk3qn4gj4'
const KEY = customer.environment.kmsKey!
const beyond = (b: typeof owned, ...statements: PolicyStatement[]) =>
  firstGrantBeyond(doc(...statements), compileBaselines([b]), catalogue)

describe('firstGrantBeyond: within the baseline', () => {
  it.each<[string, string, typeof owned, PolicyStatement]>([
    [
      DOC.mwaaRole,
      'one object action on the DAG folder',
      owned,
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/dags/*` },
    ],
    [
      DOC.mwaaRole,
      'a narrower action pattern on the bucket',
      owned,
      { Effect: 'Allow', Action: 's3:GetBucketTag*', Resource: BUCKET },
    ],
    [
      DOC.mwaaRole,
      'actions written in another case',
      owned,
      { Effect: 'Allow', Action: 'SQS:sendmessage', Resource: 'arn:aws:sqs:us-east-1:*:airflow-celery-*' },
    ],
    [
      DOC.mwaaRole,
      'one log group of the environment',
      owned,
      {
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: `arn:aws:logs:us-east-1:${A}:log-group:airflow-TestStack-MwaaEnvironment-Task:*`,
      },
    ],
    [
      DOC.mwaaRole,
      'the customer managed key via SQS only',
      customer,
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KEY,
        Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
      },
    ],
    [
      DOC.notResource,
      "the doc's AWS owned key statement",
      owned,
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        NotResource: `arn:aws:kms:*:${A}:key/*`,
        Condition: { StringLike: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
      },
    ],
    [
      DOC.notResource,
      'a NotResource that excludes more than the baseline',
      owned,
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        NotResource: `arn:aws:kms:*:${A}:*`,
        Condition: { StringLike: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
      },
    ],
    [DOC.denyAllow, 'a Deny of anything (a Deny only narrows)', owned, { Effect: 'Deny', Action: '*', Resource: '*' }],
    [
      DOC.mwaaRole,
      'an extra condition key (narrower)',
      owned,
      {
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'AmazonMWAA' } },
      },
    ],
  ])('%s: %s', (_doc, _title, b, statement) => {
    expect(beyond(b, statement)).toBeUndefined()
  })
})

describe('firstGrantBeyond: broader than the baseline, with the first request that shows it', () => {
  it.each<[string, string, typeof owned, PolicyStatement, string | RegExp]>([
    [DOC.mwaaRole, 's3:* on *', owned, { Effect: 'Allow', Action: 's3:*', Resource: '*' }, /^s3:\w+ on \*$/],
    [
      DOC.mwaaRole,
      'a write action on the bucket',
      owned,
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET}/*` },
      `s3:PutObject on ${BUCKET}/*`,
    ],
    [
      DOC.mwaaRole,
      'another bucket',
      owned,
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' },
      's3:GetObject on arn:aws:s3:::other/*',
    ],
    [
      DOC.mwaaRole,
      'a bucket whose name only starts like the environment bucket',
      owned,
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}*` },
      `s3:GetObject on ${BUCKET}*`,
    ],
    [
      DOC.mwaaRole,
      'every log group of the account',
      owned,
      { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `arn:aws:logs:us-east-1:${A}:log-group:*` },
      `logs:PutLogEvents on arn:aws:logs:us-east-1:${A}:log-group:*`,
    ],
    [
      DOC.mwaaRole,
      'the customer managed key without kms:ViaService',
      customer,
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY },
      `kms:Decrypt on ${KEY}`,
    ],
    [
      DOC.mwaaRole,
      'the customer managed key via any service',
      customer,
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: { StringLike: { 'kms:ViaService': '*' } } },
      `kms:Decrypt on ${KEY}`,
    ],
    [
      DOC.notResource,
      'a NotResource that also lets keys of the account in other Regions through',
      owned,
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        NotResource: `arn:aws:kms:us-east-1:${A}:key/*`,
        Condition: { StringLike: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
      },
      `kms:Decrypt on every resource except arn:aws:kms:us-east-1:${A}:key/*`,
    ],
    [
      DOC.notResource,
      'the AWS owned key statement without its condition',
      owned,
      { Effect: 'Allow', Action: 'kms:Decrypt', NotResource: `arn:aws:kms:*:${A}:key/*` },
      /^kms:Decrypt on every resource except/,
    ],
    [
      DOC.notResource,
      'a NotResource whose exclusion uses ?',
      owned,
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        NotResource: `arn:aws:kms:*:${A}:key/?*`,
        Condition: { StringLike: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
      },
      /^kms:Decrypt on every resource except/,
    ],
    [
      DOC.mwaaRole,
      'a NotAction statement',
      owned,
      { Effect: 'Allow', NotAction: 'iam:*', Resource: BUCKET },
      'a NotAction statement',
    ],
    [
      DOC.mwaaRole,
      'a condition operator that cannot be expanded',
      owned,
      {
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringNotEquals: { 'cloudwatch:namespace': 'x' } },
      },
      'a condition other than StringEquals/StringLike',
    ],
    [
      DOC.mwaaRole,
      'an action the catalogue does not know',
      owned,
      { Effect: 'Allow', Action: 'glue:GetTable', Resource: '*' },
      'action glue:GetTable',
    ],
  ])('%s: %s', (_doc, _title, b, statement, expected) => {
    const answer = beyond(b, statement)
    if (typeof expected === 'string') expect(answer).toBe(expected)
    else expect(answer).toMatch(expected)
  })
})
