/**
 * Every value that reaches a baseline is checked against the deployment before a baseline exists: an environment
 * description (GetEnvironment, or a Create/UpdateEnvironment request for a preflight) whose values are not concrete,
 * not of the right service, in another partition, Region or account is refused, field by field, and never becomes a
 * grant. The two documented exceptions: no KmsKey means an AWS owned key, and CeleryExecutorQueue lives in an account
 * Amazon MWAA owns, named `airflow-celery-*`
 * (https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html: "an Amazon SQS queue owned by Amazon MWAA",
 * "an Amazon SQS queue that starts with airflow-celery- in the third-party account").
 * ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
import { LOG_TYPES } from './doc-actions'
import type { Deployment } from './deployment'
import type { MwaaEnvironment } from './types'

/** One value refused, and why. */
export type Refusal = { field: string; value: string; why: string }

export type EnvironmentCheck =
  | { kind: 'valid'; environment: MwaaEnvironment }
  | { kind: 'refused'; environment: MwaaEnvironment; refusals: Refusal[] }

type Arn = { partition: string; service: string; region: string; account: string; resource: string }

// https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html#mwaa-CreateEnvironment-request-uri-Name
const ENVIRONMENT_NAME = /^[A-Za-z][0-9A-Za-z_-]{0,79}$/
// Role path and name: https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html (no wildcard, no variable)
const ROLE_RESOURCE = /^role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
// Bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const KEY_RESOURCE = /^(?:key\/(?:mrk-)?[A-Za-z0-9-]{1,64}|alias\/[A-Za-z0-9/_-]{1,250})$/
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/
const QUEUE_NAME = /^[\w-]{1,80}$/
const MWAA_OWNED_QUEUE = /^airflow-celery-/
// Log group names: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
const LOG_GROUP_RESOURCE = /^log-group:[\w./#-]{1,512}(?::\*)?$/
// Policy wildcards and variables must never come from data: `*`, `?`, `${...}`.
const NOT_CONCRETE = /[*?$]/
const CONTROL = /[\u0000-\u001f\u007f]/

/** Checks every field the baseline reads; `region` is where the description was read (its ARN must say the same). */
export function validateEnvironment(env: MwaaEnvironment, deployment: Deployment, region?: string): EnvironmentCheck {
  const refusals: Refusal[] = []
  const refuse = (field: string, value: string, why: string) => refusals.push({ field, value, why })
  const arnOf = (field: string, value: string, service: string): Arn | undefined => {
    const parsed = parseArn(value)
    const problem = !parsed
      ? 'not an ARN'
      : NOT_CONCRETE.test(value) || CONTROL.test(value)
        ? 'not concrete (a wildcard, a policy variable or a control character)'
        : parsed.service !== service
          ? `not an ARN of ${service}`
          : parsed.partition !== deployment.partition
            ? `partition is not ${deployment.partition}`
            : undefined
    if (problem) refuse(field, value, problem)
    return problem ? undefined : parsed
  }
  const inRegions = (field: string, value: string, arnRegion: string) => {
    if (!deployment.regions.includes(arnRegion))
      refuse(
        field,
        value,
        `region ${arnRegion || '(none)'} is not one of MWAA_REGIONS (${deployment.regions.join(', ')})`,
      )
  }
  const ours = (field: string, value: string, account: string) => {
    if (account !== deployment.accountId)
      refuse(field, value, `account ${account || '(none)'} is not this deployment's`)
  }

  if (!ENVIRONMENT_NAME.test(env.Name)) refuse('Name', env.Name, 'not an MWAA environment name')

  const arn = arnOf('Arn', env.Arn, 'airflow')
  if (arn) {
    inRegions('Arn', env.Arn, arn.region)
    if (region !== undefined && arn.region !== region) refuse('Arn', env.Arn, `read in ${region}, not ${arn.region}`)
    ours('Arn', env.Arn, arn.account)
    if (arn.resource !== `environment/${env.Name}`) refuse('Arn', env.Arn, `not the ARN of environment ${env.Name}`)
  }

  const role = arnOf('ExecutionRoleArn', env.ExecutionRoleArn, 'iam')
  if (role) {
    ours('ExecutionRoleArn', env.ExecutionRoleArn, role.account)
    if (role.region !== '' || !ROLE_RESOURCE.test(role.resource))
      refuse('ExecutionRoleArn', env.ExecutionRoleArn, 'not an IAM role ARN')
  }

  const bucket = arnOf('SourceBucketArn', env.SourceBucketArn, 's3')
  if (bucket && (bucket.region !== '' || bucket.account !== '' || !BUCKET.test(bucket.resource)))
    refuse('SourceBucketArn', env.SourceBucketArn, 'not an S3 bucket ARN (arn:PARTITION:s3:::BUCKET)')

  for (const field of ['DagS3Path', 'PluginsS3Path', 'RequirementsS3Path', 'StartupScriptS3Path'] as const) {
    const value = env[field]
    if (value !== undefined && (NOT_CONCRETE.test(value) || CONTROL.test(value)))
      refuse(field, value, 'not concrete (a wildcard, a policy variable or a control character)')
  }

  if (env.KmsKey !== undefined) {
    const key = arnOf('KmsKey', env.KmsKey, 'kms')
    if (key) {
      inRegions('KmsKey', env.KmsKey, key.region)
      ours('KmsKey', env.KmsKey, key.account)
      if (!KEY_RESOURCE.test(key.resource)) refuse('KmsKey', env.KmsKey, 'not a KMS key or alias ARN')
    }
  }

  if (env.CeleryExecutorQueue !== undefined) {
    const queue = arnOf('CeleryExecutorQueue', env.CeleryExecutorQueue, 'sqs')
    if (queue) {
      inRegions('CeleryExecutorQueue', env.CeleryExecutorQueue, queue.region)
      if (!QUEUE_NAME.test(queue.resource) || !/^\d{12}$/.test(queue.account))
        refuse('CeleryExecutorQueue', env.CeleryExecutorQueue, 'not an SQS queue ARN')
      else if (queue.account !== deployment.accountId && !MWAA_OWNED_QUEUE.test(queue.resource))
        refuse(
          'CeleryExecutorQueue',
          env.CeleryExecutorQueue,
          `account ${queue.account} is not this deployment's, and the queue is not an MWAA-owned airflow-celery-* queue`,
        )
    }
  }

  for (const [module] of LOG_TYPES) {
    const field = `LoggingConfiguration.${module}.CloudWatchLogGroupArn`
    const value = env.LoggingConfiguration?.[module]?.CloudWatchLogGroupArn
    if (value === undefined) continue
    const group = arnOf(field, value.replace(/:\*$/, ''), 'logs')
    if (group) {
      inRegions(field, value, group.region)
      ours(field, value, group.account)
      if (!LOG_GROUP_RESOURCE.test(group.resource)) refuse(field, value, 'not a CloudWatch Logs log group ARN')
    }
  }

  // The subnets name the VPC whose endpoint policies are read (https://docs.aws.amazon.com/mwaa/latest/API/API_NetworkConfiguration.html).
  for (const [i, subnet] of (env.NetworkConfiguration?.SubnetIds ?? []).entries())
    if (!SUBNET_ID.test(subnet)) refuse(`NetworkConfiguration.SubnetIds[${i}]`, subnet, 'not a subnet id (subnet-...)')

  return refusals.length === 0 ? { kind: 'valid', environment: env } : { kind: 'refused', environment: env, refusals }
}

/** `environment data refused: FIELD, VALUE, WHY` (the value on one line, clipped). */
export function describeRefusal(refusal: Refusal): string {
  const value = JSON.stringify(refusal.value.length > 200 ? `${refusal.value.slice(0, 200)}...` : refusal.value)
  return `environment data refused: ${refusal.field}, ${value.slice(1, -1)}, ${refusal.why}`
}

function parseArn(value: string): Arn | undefined {
  const parts = value.split(':')
  if (parts.length < 6 || parts[0] !== 'arn') return undefined
  const [, partition = '', service = '', region = '', account = '', ...rest] = parts
  return { partition, service, region, account, resource: rest.join(':') }
}
