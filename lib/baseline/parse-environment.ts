/**
 * Validates the GetEnvironment fields the baseline reads, from any of the shapes users have at hand:
 * `aws mwaa get-environment` output `{"Environment": {...}}`, a boto3/placebo recording `{"data": {"Environment": ...}}`,
 * or a bare Environment object (e.g. the SDK's GetEnvironmentCommandOutput.Environment). Other fields (dates included)
 * are not read, so their format does not matter. API: https://docs.aws.amazon.com/mwaa/latest/API/API_GetEnvironment.html
 */
import * as z from 'zod'
import { formatPath } from '../input-error'
import { ArnPattern } from './arns'
import { EnvironmentParseError } from './errors'
import type { EnvironmentRef, MwaaEnvironment } from './types'

const text = (expected: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${expected}`) })

const arn = (pattern: RegExp, expected: string) => text(expected).regex(pattern, { error: `expected ${expected}` })

const logConfig = z
  .object({
    Enabled: z.boolean({ error: 'expected true or false' }).optional(),
    LogLevel: text('a log level').optional(),
    CloudWatchLogGroupArn: arn(ArnPattern.logGroup, 'a CloudWatch Logs log group ARN').optional(),
  })
  .optional()

const environmentSchema = z
  .object({
    Name: text('an environment name'),
    Arn: arn(ArnPattern.environment, 'an MWAA environment ARN (arn:aws:airflow:REGION:ACCOUNT:environment/NAME)'),
    ExecutionRoleArn: arn(ArnPattern.role, 'an IAM role ARN'),
    SourceBucketArn: arn(ArnPattern.bucket, 'an S3 bucket ARN (arn:aws:s3:::BUCKET)'),
    DagS3Path: text('an S3 key prefix').optional(),
    PluginsS3Path: text('an S3 key').optional(),
    RequirementsS3Path: text('an S3 key').optional(),
    StartupScriptS3Path: text('an S3 key').optional(),
    KmsKey: text('a KMS key ARN')
      .refine((v) => ArnPattern.kmsKey.test(v) || ArnPattern.kmsAlias.test(v), { error: 'expected a KMS key ARN' })
      .optional(),
    CeleryExecutorQueue: arn(ArnPattern.queue, 'an SQS queue ARN').optional(),
    Status: text('a status').optional(),
    LoggingConfiguration: z
      .object({
        DagProcessingLogs: logConfig,
        SchedulerLogs: logConfig,
        TaskLogs: logConfig,
        WebserverLogs: logConfig,
        WorkerLogs: logConfig,
      })
      .optional(),
    Tags: z.record(z.string(), z.string({ error: 'expected a string tag value' })).optional(),
    NetworkConfiguration: z
      .object({
        // Only strings here: files users share are often anonymised (subnet-xxxx). validateEnvironment checks the
        // ids read live before they reach EC2.
        SubnetIds: z.array(text('a subnet id')).max(16).optional(),
        SecurityGroupIds: z.array(text('a security group id')).max(16).optional(),
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    const fromArn = ArnPattern.environment.exec(env.Arn)?.[4]
    if (fromArn !== undefined && fromArn !== env.Name) {
      ctx.addIssue({ code: 'custom', path: ['Name'], message: `does not match the name in Arn ("${fromArn}")` })
    }
  })

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Finds the Environment object and the path users will recognise it by. */
function locate(json: unknown): { value: unknown; prefix: string } {
  if (isObject(json) && isObject(json.data) && 'Environment' in json.data) {
    return { value: json.data.Environment, prefix: 'data.Environment' }
  }
  if (isObject(json) && 'Environment' in json) return { value: json.Environment, prefix: 'Environment' }
  return { value: json, prefix: '' }
}

const trimSlashes = (path: string | undefined) => path?.replace(/^\/+|\/+$/g, '')

/** Parses a GetEnvironment description; throws EnvironmentParseError (one line: source, field, problem). */
export function parseEnvironment(json: unknown, source: string): MwaaEnvironment {
  const { value, prefix } = locate(json)
  if (!isObject(value)) {
    throw new EnvironmentParseError(source, prefix, 'expected a GetEnvironment response ({"Environment": {...}})')
  }
  const result = environmentSchema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const field = [prefix, formatPath(issue.path)].filter(Boolean).join('.')
    throw new EnvironmentParseError(source, field, issue.message, { cause: result.error })
  }
  const env = result.data
  return {
    ...env,
    DagS3Path: trimSlashes(env.DagS3Path),
    PluginsS3Path: trimSlashes(env.PluginsS3Path),
    RequirementsS3Path: trimSlashes(env.RequirementsS3Path),
    StartupScriptS3Path: trimSlashes(env.StartupScriptS3Path),
  }
}

/** Identity of an environment, from its (already validated) ARN. */
export function environmentRef(env: MwaaEnvironment): EnvironmentRef {
  const match = ArnPattern.environment.exec(env.Arn)
  if (!match) throw new EnvironmentParseError(env.Name, 'Arn', 'expected an MWAA environment ARN')
  const [, partition, region, accountId, name] = match as unknown as [string, string, string, string, string]
  const ref: EnvironmentRef = {
    name,
    arn: env.Arn,
    region,
    accountId,
    partition,
    executionRoleArn: env.ExecutionRoleArn,
    bucketArn: env.SourceBucketArn,
  }
  if (env.KmsKey) ref.kmsKey = env.KmsKey
  return ref
}
