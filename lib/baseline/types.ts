/**
 * What an MWAA environment needs from its execution role, as plain data.
 * Source: https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html (../shared/seed/mwaa-execution-role.txt)
 */
import type { PolicyDocument, PolicyStatement, RequestContext } from '../iam/types'

/** The Airflow feature a permission serves; reports group findings by it. */
export const Feature = {
  taskQueue: 'task-queue',
  logs: 'logs',
  dagBucket: 'dag-bucket',
  metrics: 'metrics',
  encryption: 'encryption',
  trust: 'trust',
  extra: 'extra',
} as const
export type Feature = (typeof Feature)[keyof typeof Feature]

/** The fields of a GetEnvironment response the baseline reads (validated at the edge). */
export type MwaaEnvironment = {
  Name: string
  Arn: string
  ExecutionRoleArn: string
  SourceBucketArn: string
  DagS3Path?: string
  PluginsS3Path?: string
  RequirementsS3Path?: string
  StartupScriptS3Path?: string
  KmsKey?: string
  CeleryExecutorQueue?: string
  Status?: string
  LoggingConfiguration?: Partial<
    Record<
      'DagProcessingLogs' | 'SchedulerLogs' | 'TaskLogs' | 'WebserverLogs' | 'WorkerLogs',
      { Enabled?: boolean; LogLevel?: string; CloudWatchLogGroupArn?: string }
    >
  >
  Tags?: Record<string, string>
  /** the subnets (and so the VPC) the environment's interfaces are in (https://docs.aws.amazon.com/mwaa/latest/API/API_NetworkConfiguration.html) */
  NetworkConfiguration?: { SubnetIds?: string[]; SecurityGroupIds?: string[] }
}

/** Identity of the environment, parsed from its ARN. */
export type EnvironmentRef = {
  name: string
  arn: string
  region: string
  accountId: string
  partition: string
  executionRoleArn: string
  /** SourceBucketArn: the DAG bucket */
  bucketArn: string
  /** customer managed key ARN, absent for an AWS owned key */
  kmsKey?: string
}

/** One concrete (action, resource, context) the execution role must allow. */
export type RequiredCheck = {
  /** stable identifier, unique within a baseline: `${action} ${resource}` plus context when present */
  id: string
  feature: Feature
  /** Sid of the baseline statement this check comes from */
  statement: string
  /** concrete action, with the catalogue's casing, e.g. `s3:GetObject` */
  action: string
  resource: string
  context: RequestContext
  /** why this resource stands for others (e.g. a representative queue in an MWAA-owned account), for reports */
  note?: string
}

/** The trust policy must let this service principal call sts:AssumeRole on the role. */
export type TrustCheck = {
  id: string
  principal: string
  action: 'sts:AssumeRole'
  context: RequestContext
}

export type Baseline = {
  environment: EnvironmentRef
  /** the doc's sample policy with every placeholder filled (plus extras); each statement has a Sid */
  policy: { Version: '2012-10-17'; Statement: PolicyStatement[] }
  trustPolicy: PolicyDocument
  checks: RequiredCheck[]
  trustChecks: TrustCheck[]
  /** things the baseline noticed but does not require, e.g. a doc-granted action that has no resource-level permissions */
  warnings: string[]
}
