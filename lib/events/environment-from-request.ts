/**
 * A CreateEnvironment request already names everything the execution role must reach, so the shell can preflight
 * the role before the environment exists. Request fields: https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html
 */
import type { Deployment } from '../baseline/deployment'
import type { MwaaEnvironment } from '../baseline/types'
import type { EnvironmentTarget } from './targets'

/**
 * The environment a CreateEnvironment request describes, shaped like GetEnvironment, in the deployment's partition and
 * account (the request's own ARNs are validated against them before any use); undefined for an update or a request
 * missing the role or bucket.
 */
export function environmentFromRequest(
  target: EnvironmentTarget,
  deployment: Pick<Deployment, 'partition' | 'accountId'>,
): MwaaEnvironment | undefined {
  const r = target.request
  if (target.operation !== 'create' || !r.ExecutionRoleArn || !r.SourceBucketArn) return undefined
  const { partition, accountId } = deployment
  const environment: MwaaEnvironment = {
    Name: r.Name,
    Arn: `arn:${partition}:airflow:${target.region}:${accountId}:environment/${r.Name}`,
    ExecutionRoleArn: r.ExecutionRoleArn,
    SourceBucketArn: r.SourceBucketArn,
    // What GetEnvironment reports until creation finishes.
    Status: 'CREATING',
  }
  if (r.DagS3Path) environment.DagS3Path = r.DagS3Path
  if (r.PluginsS3Path) environment.PluginsS3Path = r.PluginsS3Path
  if (r.RequirementsS3Path) environment.RequirementsS3Path = r.RequirementsS3Path
  if (r.StartupScriptS3Path) environment.StartupScriptS3Path = r.StartupScriptS3Path
  if (r.KmsKey) environment.KmsKey = keyArn(r.KmsKey, partition, target.region, accountId)
  if (r.Tags) environment.Tags = r.Tags
  if (r.LoggingConfiguration) {
    // The request has Enabled/LogLevel only; log group ARNs exist once MWAA creates the groups.
    const logging: NonNullable<MwaaEnvironment['LoggingConfiguration']> = {}
    for (const [module, config] of Object.entries(r.LoggingConfiguration)) {
      if (!config) continue
      const { Enabled, LogLevel } = config
      logging[module as keyof typeof logging] = {
        ...(Enabled === undefined ? {} : { Enabled }),
        ...(LogLevel === undefined ? {} : { LogLevel }),
      }
    }
    environment.LoggingConfiguration = logging
  }
  return environment
}

/** The request may name the key by ID or alias name; GetEnvironment reports an ARN. Anything else is kept as given. */
export function keyArn(key: string, partition: string, region: string, accountId: string): string {
  const id =
    /^(?:key\/)?((?:mrk-[0-9a-f]{32})|(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/i.exec(
      key,
    )?.[1]
  if (id) return `arn:${partition}:kms:${region}:${accountId}:key/${id}`
  if (/^alias\/[A-Za-z0-9/_-]+$/.test(key)) return `arn:${partition}:kms:${region}:${accountId}:${key}`
  return key
}
