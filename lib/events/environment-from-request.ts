/**
 * A CreateEnvironment request already names everything the execution role must reach, so the shell can preflight
 * the role before the environment exists. Request fields: https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html
 */
import type { MwaaEnvironment } from '../baseline/types'
import type { EnvironmentTarget } from './targets'

/** The environment a CreateEnvironment request describes, shaped like GetEnvironment; undefined for an update or a request missing the role or bucket. */
export function environmentFromRequest(target: EnvironmentTarget, accountId: string): MwaaEnvironment | undefined {
  const r = target.request
  if (target.operation !== 'create' || !r.ExecutionRoleArn || !r.SourceBucketArn) return undefined
  const partition = r.ExecutionRoleArn.split(':')[1] || partitionOfRegion(target.region)
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

/** The request may name the key by ID; GetEnvironment reports an ARN. Aliases are left as they are. */
function keyArn(key: string, partition: string, region: string, accountId: string): string {
  const id =
    /^(?:key\/)?((?:mrk-[0-9a-f]{32})|(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/i.exec(
      key,
    )?.[1]
  return id ? `arn:${partition}:kms:${region}:${accountId}:key/${id}` : key
}

function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}
