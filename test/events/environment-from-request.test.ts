import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { environmentFromRequest } from '../../lib/events/environment-from-request'
import { isIgnored, parseEvent } from '../../lib/events/parse-event'
import { type EnvironmentTarget, targetsOf } from '../../lib/events/targets'
import { corpusEvent, readJson, SAMPLES, withDetail } from './corpus'

// Request fields: https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html
// Environment ARN: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmanagedworkflowsforapacheairflow.html#amazonmanagedworkflowsforapacheairflow-resources-for-iam-policies

function target(event: unknown): EnvironmentTarget {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(result.reason)
  const [first] = targetsOf(result)
  if (first?.kind !== 'environment') throw new Error(`not an environment target: ${first?.kind}`)
  return first
}

const failedCreate = corpusEvent('mwaa-CreateEnvironment-project-1.json')
const succeeded = withDetail(failedCreate, (d) => delete d.errorCode)
const withRequest = (edit: Record<string, unknown>, region = 'eu-west-1') =>
  withDetail(succeeded, (d) => {
    d.awsRegion = region
    Object.assign(d.requestParameters as object, edit)
  })

const DEPLOYMENT = { partition: 'aws', accountId: '742180356914' }

describe('environmentFromRequest', () => {
  it('builds the environment of a successful CreateEnvironment', () => {
    expect(environmentFromRequest(target(succeeded), DEPLOYMENT)).toEqual({
      Name: 'analytics-dev',
      Arn: 'arn:aws:airflow:eu-west-1:742180356914:environment/analytics-dev',
      ExecutionRoleArn: 'arn:aws:iam::742180356914:role/service-role/analytics-dev-mwaa-execution',
      SourceBucketArn: 'arn:aws:s3:::analytics-dev-airflow-742180356914',
      DagS3Path: 'dags',
      Status: 'CREATING',
    })
  })

  it('keeps paths, logging levels and tags of the sample create', () => {
    const env = environmentFromRequest(target(readJson(join(SAMPLES, 'mwaa-create-environment.json'))), {
      partition: 'aws',
      accountId: '111122223333',
    })
    expect(env).toMatchObject({
      Arn: 'arn:aws:airflow:us-east-1:111122223333:environment/mwaa-demo',
      RequirementsS3Path: 'requirements.txt',
      Tags: { team: 'data-platform' },
      LoggingConfiguration: { TaskLogs: { Enabled: true, LogLevel: 'INFO' } },
    })
    expect(env?.LoggingConfiguration?.TaskLogs).not.toHaveProperty('CloudWatchLogGroupArn')
  })

  it.each([
    [
      'a key ID becomes a key ARN',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:eu-west-1:742180356914:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
    [
      'a multi-Region key ID becomes a key ARN',
      'mrk-1234abcd12ab34cd56ef1234567890ab',
      'arn:aws:kms:eu-west-1:742180356914:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    ],
    [
      'a key ARN is kept',
      'arn:aws:kms:eu-west-1:742180356914:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:eu-west-1:742180356914:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
    ['an alias name becomes an alias ARN', 'alias/airflow', 'arn:aws:kms:eu-west-1:742180356914:alias/airflow'],
    ['a wildcard is kept as given (and refused by validation)', '*', '*'],
  ])('KmsKey: %s', (_name, key, expected) => {
    expect(environmentFromRequest(target(withRequest({ KmsKey: key })), DEPLOYMENT)?.KmsKey).toBe(expected)
  })

  it("takes the partition and account from the deployment, never from the request's own ARNs", () => {
    const event = withRequest({ ExecutionRoleArn: 'arn:aws:iam::999999999999:role/r' }, 'cn-north-1')
    const env = environmentFromRequest(target(event), { partition: 'aws-cn', accountId: '742180356914' })
    expect(env?.Arn).toBe('arn:aws-cn:airflow:cn-north-1:742180356914:environment/analytics-dev')
    expect(env?.ExecutionRoleArn).toBe('arn:aws:iam::999999999999:role/r')
  })

  it('has nothing to build for an update, or for a create without role or bucket', () => {
    const update = withDetail(succeeded, (d) => {
      d.eventName = 'UpdateEnvironment'
    })
    const noBucket = withDetail(succeeded, (d) => {
      delete (d.requestParameters as Record<string, unknown>).SourceBucketArn
    })
    expect(environmentFromRequest(target(update), DEPLOYMENT)).toBeUndefined()
    expect(environmentFromRequest(target(noBucket), DEPLOYMENT)).toBeUndefined()
  })
})
