/**
 * The concrete checks behind each statement of the doc's policy, for one environment.
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("Sample JSON policies for an execution role")
 */
import type { Catalogue } from '../catalogue/types'
import { arnResource } from './arns'
import { check } from './check'
import { DocActions, LOG_TYPES } from './doc-actions'
import { mwaaOwnedAccount, REPRESENTATIVE_KEY_ID, REPRESENTATIVE_QUEUE_NAME, viaService } from './representative'
import { Sid } from './sids'
import { Feature, type EnvironmentRef, type MwaaEnvironment, type RequiredCheck } from './types'

export type FeatureInput = { env: MwaaEnvironment; ref: EnvironmentRef; catalogue: Catalogue }

/** Concrete actions of a doc action or pattern; the baseline catalogue must know them all. */
function actionsOf(catalogue: Catalogue, pattern: string): string[] {
  const actions = catalogue.expand(pattern)
  if (actions.length === 0)
    throw new Error(`the IAM catalogue has no action matching ${pattern} (is it the baseline catalogue?)`)
  return actions
}

export function publishMetricsChecks({ ref }: FeatureInput): RequiredCheck[] {
  return [
    check({
      feature: Feature.metrics,
      statement: Sid.publishMetrics,
      action: 'airflow:PublishMetrics',
      resource: ref.arn,
    }),
  ]
}

/** S3: each action of the doc's patterns only on the resource types it applies to (a bucket or an object ARN). */
export function dagBucketChecks({ env, catalogue }: FeatureInput): RequiredCheck[] {
  const bucket = env.SourceBucketArn
  const objects = [
    {
      arn: env.DagS3Path ? `${bucket}/${env.DagS3Path}/*` : `${bucket}/*`,
      note: 'stands for every object in the DAG folder',
    },
    ...[env.RequirementsS3Path, env.PluginsS3Path, env.StartupScriptS3Path]
      .filter((path): path is string => !!path)
      .map((path) => ({ arn: `${bucket}/${path}`, note: undefined })),
  ]
  const actions = [...new Set(DocActions.dagBucket.flatMap((p) => actionsOf(catalogue, p)))]
  const checks: RequiredCheck[] = []
  for (const action of actions) {
    const types = catalogue.resourceTypes(action) ?? []
    const base = { feature: Feature.dagBucket, statement: Sid.dagBucketRead, action }
    if (types.includes('bucket')) checks.push(check({ ...base, resource: bucket }))
    if (types.includes('object'))
      for (const o of objects) checks.push(check({ ...base, resource: o.arn, note: o.note }))
    // Other actions (s3:ListAllMyBuckets, access points, access grants) cannot be granted on the doc's bucket ARNs.
  }
  checks.push(
    check({
      feature: Feature.dagBucket,
      statement: Sid.accountPublicAccessBlock,
      action: 's3:GetAccountPublicAccessBlock',
      resource: '*',
    }),
  )
  return checks
}

/** The five log group ARNs: LoggingConfiguration's when present, else the names MWAA gives them. */
export function logGroupArns({ env, ref }: FeatureInput): Array<{ field: (typeof LOG_TYPES)[number][0]; arn: string }> {
  return LOG_TYPES.map(([field, suffix]) => {
    const configured = env.LoggingConfiguration?.[field]?.CloudWatchLogGroupArn?.replace(/:\*$/, '')
    const built = `arn:${ref.partition}:logs:${ref.region}:${ref.accountId}:log-group:airflow-${ref.name}-${suffix}`
    return { field, arn: configured ?? built }
  })
}

function fillArnFormat(format: string, values: Record<string, string>): string {
  return format.replace(/\$\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

/** Logs: log-group actions on each group, log-stream actions on a representative stream of it (`...:log-stream:*`). */
export function logsChecks(input: FeatureInput): RequiredCheck[] {
  const { ref, catalogue } = input
  const streamFormat =
    catalogue.arnFormat('logs', 'log-stream') ??
    'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}'
  const checks: RequiredCheck[] = []
  for (const group of logGroupArns(input)) {
    const [region, account] = group.arn.split(':').slice(3, 5)
    const stream = fillArnFormat(streamFormat, {
      Partition: ref.partition,
      Region: region ?? ref.region,
      Account: account ?? ref.accountId,
      LogGroupName: arnResource(group.arn).replace(/^log-group:/, ''),
      LogStreamName: '*',
    })
    for (const pattern of DocActions.logs) {
      for (const action of actionsOf(catalogue, pattern)) {
        const types = catalogue.resourceTypes(action) ?? []
        const base = { feature: Feature.logs, statement: Sid.logs, action }
        if (types.includes('log-group')) checks.push(check({ ...base, resource: group.arn }))
        if (types.includes('log-stream'))
          checks.push(check({ ...base, resource: stream, note: 'stands for every log stream of the group' }))
      }
    }
  }
  checks.push(
    check({ feature: Feature.logs, statement: Sid.describeLogGroups, action: 'logs:DescribeLogGroups', resource: '*' }),
  )
  return checks
}

export function cloudWatchMetricsChecks(): RequiredCheck[] {
  return [
    check({
      feature: Feature.metrics,
      statement: Sid.cloudWatchMetrics,
      action: 'cloudwatch:PutMetricData',
      resource: '*',
    }),
  ]
}

/** SQS: the environment's Celery queue, or a representative one in an MWAA-owned account. */
export function queueChecks({ env, ref, catalogue }: FeatureInput): RequiredCheck[] {
  const queue =
    env.CeleryExecutorQueue ??
    `arn:${ref.partition}:sqs:${ref.region}:${mwaaOwnedAccount(env, ref)}:${REPRESENTATIVE_QUEUE_NAME}`
  const note = env.CeleryExecutorQueue
    ? undefined
    : 'representative Celery queue: the real one is in an account Amazon MWAA owns'
  return DocActions.queue
    .flatMap((p) => actionsOf(catalogue, p))
    .map((action) => check({ feature: Feature.taskQueue, statement: Sid.celeryQueue, action, resource: queue, note }))
}

/**
 * KMS: with a customer managed key, each action on that key via SQS and via S3; with an AWS owned key, on a
 * representative key outside the customer's account, via SQS only (the doc's two samples).
 */
export function kmsChecks({ env, ref, catalogue }: FeatureInput): RequiredCheck[] {
  const actions = DocActions.kms.flatMap((p) => actionsOf(catalogue, p))
  const customer = ref.kmsKey !== undefined
  const resource =
    ref.kmsKey ?? `arn:${ref.partition}:kms:${ref.region}:${mwaaOwnedAccount(env, ref)}:key/${REPRESENTATIVE_KEY_ID}`
  const via = customer ? [viaService('sqs', ref.region), viaService('s3', ref.region)] : [viaService('sqs', ref.region)]
  const statement = customer ? Sid.kmsCustomerKey : Sid.kmsAwsOwnedKey
  const note = customer ? undefined : 'representative AWS owned key: it lives in an account Amazon MWAA owns'
  return via.flatMap((service) =>
    actions.map((action) =>
      check({ feature: Feature.encryption, statement, action, resource, context: { 'kms:ViaService': service }, note }),
    ),
  )
}
