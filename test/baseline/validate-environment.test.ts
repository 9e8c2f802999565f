/**
 * Every value that reaches a baseline, checked against the deployment first (issue 6). Each row edits one field of a
 * real GetEnvironment description (custodian-1, account 644160558196) and says what is refused and why.
 */
import { describe, expect, it } from 'vitest'
import { describeRefusal, validateEnvironment } from '../../lib/baseline/validate-environment'
import type { MwaaEnvironment } from '../../lib/baseline/types'
import { DOC, sample } from './corpus'

const DEPLOYMENT = { partition: 'aws', accountId: '644160558196', regions: ['us-east-1', 'eu-west-1'] }
const ARN = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html'
const S3_NAMES = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html'
const VARIABLES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html'
const env = (edit: (e: MwaaEnvironment) => void = () => {}): MwaaEnvironment => {
  const e = structuredClone(sample('custodian-1'))
  edit(e)
  return e
}

describe('validateEnvironment: the documented cases pass', () => {
  it.each([
    ['custodian-1 (AWS owned key: no KmsKey)', sample('custodian-1')],
    ['custodian-3 (customer managed key in the account)', sample('custodian-3')],
  ])(`${DOC.role}: %s`, (_name, environment) => {
    expect(validateEnvironment(environment, DEPLOYMENT, 'us-east-1')).toEqual({ kind: 'valid', environment })
  })

  it(`${DOC.role}: a Celery queue in an account Amazon MWAA owns, named airflow-celery-*`, () => {
    const queue = 'arn:aws:sqs:us-east-1:123456789888:airflow-celery-aaaaaaa-bbbb-1111'
    expect(
      validateEnvironment(
        env((e) => (e.CeleryExecutorQueue = queue)),
        DEPLOYMENT,
      ).kind,
    ).toBe('valid')
  })
})

describe('validateEnvironment: refused values, field by field', () => {
  it.each<[string, string, (e: MwaaEnvironment) => void, string, RegExp]>([
    [
      ARN,
      'Arn in another account',
      (e) => (e.Arn = e.Arn.replace('644160558196', '999999999999')),
      'Arn',
      /account 999999999999/,
    ],
    [
      ARN,
      'Arn in an unwatched region',
      (e) => (e.Arn = e.Arn.replace('us-east-1', 'ap-south-1')),
      'Arn',
      /not one of MWAA_REGIONS/,
    ],
    [
      ARN,
      'Arn of another environment',
      (e) => (e.Arn = e.Arn.replace(/environment\/.*/, 'environment/other')),
      'Arn',
      /not the ARN of environment/,
    ],
    [
      ARN,
      'role in another account',
      (e) => (e.ExecutionRoleArn = 'arn:aws:iam::999999999999:role/r'),
      'ExecutionRoleArn',
      /account 999999999999/,
    ],
    [
      ARN,
      'role in another partition',
      (e) => (e.ExecutionRoleArn = 'arn:aws-cn:iam::644160558196:role/r'),
      'ExecutionRoleArn',
      /partition is not aws/,
    ],
    [
      ARN,
      'role with a wildcard',
      (e) => (e.ExecutionRoleArn = 'arn:aws:iam::644160558196:role/*'),
      'ExecutionRoleArn',
      /not concrete/,
    ],
    [ARN, 'every bucket', (e) => (e.SourceBucketArn = 'arn:aws:s3:::*'), 'SourceBucketArn', /not concrete/],
    [
      S3_NAMES,
      'not a bucket name',
      (e) => (e.SourceBucketArn = 'arn:aws:s3:::Bucket_Name'),
      'SourceBucketArn',
      /not an S3 bucket ARN/,
    ],
    [
      ARN,
      'an object, not a bucket',
      (e) => (e.SourceBucketArn = 'arn:aws:s3:::bucket/key'),
      'SourceBucketArn',
      /not an S3 bucket ARN/,
    ],
    [VARIABLES, 'a policy variable in a path', (e) => (e.DagS3Path = '${aws:username}'), 'DagS3Path', /not concrete/],
    [ARN, 'every key', (e) => (e.KmsKey = '*'), 'KmsKey', /not an ARN/],
    [
      ARN,
      'every key of the account',
      (e) => (e.KmsKey = 'arn:aws:kms:us-east-1:644160558196:key/*'),
      'KmsKey',
      /not concrete/,
    ],
    [
      ARN,
      "another account's key",
      (e) => (e.KmsKey = 'arn:aws:kms:us-east-1:999999999999:key/k'),
      'KmsKey',
      /account 999999999999/,
    ],
    [
      ARN,
      'a key of another service',
      (e) => (e.KmsKey = 'arn:aws:sqs:us-east-1:644160558196:key'),
      'KmsKey',
      /not an ARN of kms/,
    ],
    [
      DOC.role,
      "another account's queue not named airflow-celery-*",
      (e) => (e.CeleryExecutorQueue = 'arn:aws:sqs:us-east-1:999999999999:jobs'),
      'CeleryExecutorQueue',
      /not an MWAA-owned/,
    ],
    [
      ARN,
      "another account's log group",
      (e) =>
        (e.LoggingConfiguration!.TaskLogs!.CloudWatchLogGroupArn = 'arn:aws:logs:us-east-1:999999999999:log-group:x'),
      'LoggingConfiguration.TaskLogs.CloudWatchLogGroupArn',
      /account 999999999999/,
    ],
  ])('%s: %s', (_doc, _name, edit, field, why) => {
    const result = validateEnvironment(env(edit), DEPLOYMENT, 'us-east-1')
    expect(result.kind).toBe('refused')
    if (result.kind !== 'refused') return
    expect(result.refusals.map((r) => r.field)).toContain(field)
    expect(result.refusals.find((r) => r.field === field)?.why).toMatch(why)
  })

  it(`${ARN}: a description read in one region that says another`, () => {
    const result = validateEnvironment(env(), DEPLOYMENT, 'eu-west-1')
    expect(result.kind === 'refused' && result.refusals[0]?.why).toBe('read in eu-west-1, not us-east-1')
  })

  it('describes a refusal on one line: field, value, why', () => {
    expect(describeRefusal({ field: 'SourceBucketArn', value: 'arn:aws:s3:::*\nx', why: 'not concrete' })).toBe(
      'environment data refused: SourceBucketArn, arn:aws:s3:::*\\nx, not concrete',
    )
  })
})
