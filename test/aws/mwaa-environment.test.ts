import { describe, expect, it } from 'vitest'
import { MwaaEnvironmentShapeError, toMwaaEnvironment } from '../../lib/aws/mwaa-environment'

// Field list: https://docs.aws.amazon.com/mwaa/latest/API/API_Environment.html
const minimal = {
  Name: 'env',
  Arn: 'arn:aws:airflow:eu-west-1:123456789012:environment/env',
  ExecutionRoleArn: 'arn:aws:iam::123456789012:role/service-role/exec',
  SourceBucketArn: 'arn:aws:s3:::dags',
}

describe('toMwaaEnvironment', () => {
  it.each(['Name', 'Arn', 'ExecutionRoleArn', 'SourceBucketArn'] as const)(
    'refuses an Environment without %s (the baseline cannot be derived without it)',
    (field) => {
      const { [field]: _dropped, ...rest } = minimal
      expect(() => toMwaaEnvironment(rest, 'env')).toThrow(MwaaEnvironmentShapeError)
    },
  )

  it('leaves absent optional fields absent (an AWS owned key has no KmsKey)', () => {
    expect(
      Object.keys(toMwaaEnvironment({ ...minimal, WebserverUrl: 'x.airflow.amazonaws.com' }, 'env')).sort(),
    ).toEqual(['Arn', 'ExecutionRoleArn', 'Name', 'SourceBucketArn'])
  })
})
