import { describe, expect, it } from 'vitest'
import { EnvironmentParseError } from '../../lib/baseline/errors'
import { environmentRef, parseEnvironment } from '../../lib/baseline/parse-environment'
import { DOC, SAMPLES, rawSample, sample } from './corpus'

const bare = () => structuredClone((rawSample('mwaaDR-1') as { Environment: Record<string, unknown> }).Environment)

describe('parseEnvironment on the corpus', () => {
  it.each(SAMPLES.map((s) => [DOC.getEnvironment, s]))(
    '%s: %s parses and its ARN gives region and account',
    (_doc, name) => {
      const env = sample(name)
      const ref = environmentRef(env)
      expect(ref.region).toBe('us-east-1')
      expect(ref.accountId).toMatch(/^\d{12}$/)
      expect(ref.name).toBe(env.Name)
    },
  )

  it.each([
    [DOC.getEnvironment, 'aws mwaa get-environment output', { Environment: bare() }],
    [DOC.getEnvironment, 'boto3/placebo recording', { status_code: 200, data: { Environment: bare() } }],
    [DOC.getEnvironment, 'bare Environment object', bare()],
  ])('%s: accepts the %s shape', (_doc, _shape, json) => {
    const env = parseEnvironment(json, 'env.json')
    expect(env.CeleryExecutorQueue).toBe(
      'arn:aws:sqs:us-east-1:123456789888:airflow-celery-aaaaaaa-bbbb-1111-aa11-1112223334445',
    )
    expect(env.RequirementsS3Path).toBe('requirements.txt')
  })

  it(`${DOC.getEnvironment}: trims slashes from S3 paths ("dags/" as some tools write it)`, () => {
    expect(parseEnvironment({ ...bare(), DagS3Path: '/dags/' }, 'env.json').DagS3Path).toBe('dags')
  })
})

describe('parseEnvironment errors: one line naming the source and the field', () => {
  const withEnv = (patch: Record<string, unknown>) => ({ Environment: { ...bare(), ...patch } })
  const without = (field: string) => {
    const env = bare()
    delete env[field]
    return { Environment: env }
  }
  it.each([
    [
      'a role name instead of its ARN',
      withEnv({ ExecutionRoleArn: 'mwaa-exec-role' }),
      'env.json: Environment.ExecutionRoleArn: expected an IAM role ARN',
    ],
    ['no Name', without('Name'), 'env.json: Environment.Name: required'],
    [
      'a bucket name instead of its ARN',
      withEnv({ SourceBucketArn: 'primary-bucket' }),
      'env.json: Environment.SourceBucketArn: expected an S3 bucket ARN (arn:aws:s3:::BUCKET)',
    ],
    [
      'a number as Arn (placebo shape)',
      { data: { Environment: { ...bare(), Arn: 42 } } },
      'env.json: data.Environment.Arn: expected an MWAA environment ARN (arn:aws:airflow:REGION:ACCOUNT:environment/NAME)',
    ],
    ['a key id as KmsKey (bare shape)', { ...bare(), KmsKey: 'my-key' }, 'env.json: KmsKey: expected a KMS key ARN'],
    [
      "a Name that is not the ARN's",
      withEnv({ Name: 'other' }),
      'env.json: Environment.Name: does not match the name in Arn ("mwaa-2-8-1-public-primary")',
    ],
    [
      'a string as Enabled',
      withEnv({ LoggingConfiguration: { TaskLogs: { Enabled: 'yes' } } }),
      'env.json: Environment.LoggingConfiguration.TaskLogs.Enabled: expected true or false',
    ],
    [
      'a null Environment',
      { Environment: null },
      'env.json: Environment: expected a GetEnvironment response ({"Environment": {...}})',
    ],
    ['a string', 'not json object', 'env.json: expected a GetEnvironment response ({"Environment": {...}})'],
  ])(`${DOC.getEnvironment}: %s -> %s`, (_case, json, message) => {
    const error = (() => {
      try {
        parseEnvironment(json, 'env.json')
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(EnvironmentParseError)
    expect((error as Error).name).toBe('EnvironmentParseError')
    expect((error as Error).message).toBe(message)
  })
})
