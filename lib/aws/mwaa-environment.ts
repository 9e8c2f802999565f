/**
 * Maps MWAA's GetEnvironment `Environment` to the fields the baseline reads. The type is the SDK's own
 * (type-only import: nothing of client-mwaa is bundled); its string fields are the same on the wire.
 */
import type { Environment } from '@aws-sdk/client-mwaa'
import type { MwaaEnvironment } from '../baseline/types'

export class MwaaEnvironmentShapeError extends Error {
  override name = 'MwaaEnvironmentShapeError'
  constructor(
    readonly environment: string,
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(`GetEnvironment ${environment}: ${field} is missing or not a string`, options)
  }
}

const REQUIRED = ['Name', 'Arn', 'ExecutionRoleArn', 'SourceBucketArn'] as const
const OPTIONAL = [
  'DagS3Path',
  'PluginsS3Path',
  'RequirementsS3Path',
  'StartupScriptS3Path',
  'KmsKey',
  'CeleryExecutorQueue',
  'Status',
] as const

/** Copies the baseline's fields from a GetEnvironment `Environment`; absent optional fields stay absent. */
export function toMwaaEnvironment(env: Environment, requestedName: string): MwaaEnvironment {
  const out: Record<string, unknown> = {}
  for (const field of REQUIRED) {
    const value = env[field]
    if (typeof value !== 'string' || value === '') throw new MwaaEnvironmentShapeError(requestedName, field)
    out[field] = value
  }
  for (const field of OPTIONAL) if (typeof env[field] === 'string') out[field] = env[field]
  if (env.LoggingConfiguration) out.LoggingConfiguration = loggingOf(env.LoggingConfiguration)
  if (env.Tags) out.Tags = { ...env.Tags }
  const network = env.NetworkConfiguration
  if (network?.SubnetIds || network?.SecurityGroupIds)
    out.NetworkConfiguration = {
      ...(network.SubnetIds ? { SubnetIds: network.SubnetIds.filter((id) => typeof id === 'string') } : {}),
      ...(network.SecurityGroupIds
        ? { SecurityGroupIds: network.SecurityGroupIds.filter((id) => typeof id === 'string') }
        : {}),
    }
  return out as MwaaEnvironment
}

type LogModule = { Enabled?: boolean; LogLevel?: string; CloudWatchLogGroupArn?: string }

function loggingOf(logging: NonNullable<Environment['LoggingConfiguration']>): MwaaEnvironment['LoggingConfiguration'] {
  const out: Record<string, LogModule> = {}
  for (const [module, value] of Object.entries(logging) as Array<[string, LogModule | undefined]>) {
    if (!value) continue
    out[module] = {
      ...(value.Enabled !== undefined ? { Enabled: value.Enabled } : {}),
      ...(value.LogLevel !== undefined ? { LogLevel: value.LogLevel } : {}),
      ...(value.CloudWatchLogGroupArn !== undefined ? { CloudWatchLogGroupArn: value.CloudWatchLogGroupArn } : {}),
    }
  }
  return out
}
