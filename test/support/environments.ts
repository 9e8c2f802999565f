/**
 * MWAA environments for the kit: a GetEnvironment-shaped description (https://docs.aws.amazon.com/mwaa/latest/API/API_GetEnvironment.html)
 * and an execution role built from the doc's sample policy via the baseline
 * (https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html), split over inline and customer managed
 * policies as asked.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { deriveBaseline, Sid, type Baseline } from '../../lib/baseline'
import { baselineCatalogue } from '../../lib/catalogue'
import { toMwaaEnvironment } from '../../lib/aws/mwaa'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'
import { REGION } from './cloudtrail-event'
import type { WireEnvironment } from './mwaa-server'
import { uniqueName } from './names'

export type PolicyPart = { kind: 'inline' | 'managed'; name: string; sids: readonly string[] }

/** 2 inline + 2 customer managed policies, every baseline statement in exactly one. */
export const SPLIT_LAYOUT = (env: string): PolicyPart[] => [
  { kind: 'managed', name: `${env}-queue-kms`, sids: [Sid.celeryQueue, Sid.kmsAwsOwnedKey, Sid.kmsCustomerKey] },
  { kind: 'managed', name: `${env}-metrics`, sids: [Sid.publishMetrics, Sid.cloudWatchMetrics] },
  { kind: 'inline', name: 'dag-bucket', sids: [Sid.dagBucketRead, Sid.accountPublicAccessBlock] },
  { kind: 'inline', name: 'logs', sids: [Sid.logs, Sid.describeLogGroups] },
]

export type EnvironmentSpec = {
  /** name prefix; a random suffix keeps names unique on a shared moto */
  prefix?: string
  /** the exact name instead (each world has an account of its own, so a fixed name cannot collide) */
  name?: string
  /** the `mwaa-role-guard:mode` tag; undefined leaves the role untagged (DEFAULT_MODE applies) */
  mode?: 'heal' | 'alert' | 'off'
  tags?: Record<string, string>
  /** default SPLIT_LAYOUT; 'managed' = one customer managed policy (what the console creates), 'inline' = one inline */
  layout?: 'split' | 'managed' | 'inline' | ((env: string) => PolicyPart[])
  /** a customer managed key instead of the AWS owned key */
  customerKey?: boolean
  /** that key's ARN (a key created on moto), instead of a made-up one */
  kmsKeyArn?: string
  /** NetworkConfiguration.SubnetIds (subnets created on moto): the VPC whose endpoint policies are read */
  subnetIds?: string[]
  /** baseline statements (by Sid) left out of the role: a role that falls short */
  omit?: readonly string[]
  /** the role's name and path (default `/service-role/{name}-exec`) */
  roleName?: string
  rolePath?: string
}

export type WorldEnvironment = {
  name: string
  region: string
  arn: string
  roleName: string
  roleArn: string
  /** GetEnvironment's `Environment`, as the MWAA stand-in serves it */
  wire: EnvironmentDescription
  baseline: Baseline
  /** inline policy name -> document */
  inline: Record<string, PolicyDocument>
  /** managed policy name -> ARN and document */
  managed: Record<string, { arn: string; document: PolicyDocument }>
}

type LogModule = { Enabled: boolean; LogLevel: string; CloudWatchLogGroupArn: string }

/** The GetEnvironment fields the kit sets (a WireEnvironment). */
export type EnvironmentDescription = {
  Name: string
  Arn: string
  AirflowVersion: string
  EnvironmentClass: string
  ExecutionRoleArn: string
  SourceBucketArn: string
  DagS3Path: string
  RequirementsS3Path: string
  KmsKey?: string
  NetworkConfiguration?: { SubnetIds: string[]; SecurityGroupIds: string[] }
  LoggingConfiguration: Record<
    'DagProcessingLogs' | 'SchedulerLogs' | 'TaskLogs' | 'WebserverLogs' | 'WorkerLogs',
    LogModule
  >
  CeleryExecutorQueue: string
  Status: string
  Tags: Record<string, string>
  WebserverAccessMode: string
  CreatedAt: number
}

/** The environment's description (Status AVAILABLE, logs on, as a newly created environment reports). */
export function describeEnvironment(
  name: string,
  roleArn: string,
  options: { customerKey?: boolean; kmsKeyArn?: string; subnetIds?: string[]; status?: string } = {},
): EnvironmentDescription {
  const account = roleArn.split(':')[4]
  const logs = (module: string, LogLevel: string): LogModule => ({
    Enabled: true,
    LogLevel,
    CloudWatchLogGroupArn: `arn:aws:logs:${REGION}:${account}:log-group:airflow-${name}-${module}`,
  })
  return {
    Name: name,
    Arn: `arn:aws:airflow:${REGION}:${account}:environment/${name}`,
    AirflowVersion: '2.10.3',
    EnvironmentClass: 'mw1.small',
    ExecutionRoleArn: roleArn,
    SourceBucketArn: `arn:aws:s3:::${name}-dags-${account}`,
    DagS3Path: 'dags',
    RequirementsS3Path: 'requirements.txt',
    ...(options.customerKey || options.kmsKeyArn
      ? { KmsKey: options.kmsKeyArn ?? `arn:aws:kms:${REGION}:${account}:key/0b5c3a4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d` }
      : {}),
    ...(options.subnetIds
      ? { NetworkConfiguration: { SubnetIds: options.subnetIds, SecurityGroupIds: ['sg-0123456789abcdef0'] } }
      : {}),
    LoggingConfiguration: {
      DagProcessingLogs: logs('DAGProcessing', 'WARNING'),
      SchedulerLogs: logs('Scheduler', 'WARNING'),
      TaskLogs: logs('Task', 'INFO'),
      WebserverLogs: logs('WebServer', 'WARNING'),
      WorkerLogs: logs('Worker', 'WARNING'),
    },
    // The Celery queue lives in an account Amazon MWAA owns.
    CeleryExecutorQueue: `arn:aws:sqs:${REGION}:210987654321:airflow-celery-${name}`,
    Status: options.status ?? 'AVAILABLE',
    Tags: { team: 'data-platform' },
    WebserverAccessMode: 'PRIVATE_ONLY',
    CreatedAt: Math.floor(Date.now() / 1000),
  }
}

/** The baseline of a described environment (what `mwaa-role-guard baseline --environment-file` prints). */
export function baselineOf(wire: EnvironmentDescription | WireEnvironment): Baseline {
  return deriveBaseline(toMwaaEnvironment(wire as never, wire.Name), { catalogue: baselineCatalogue() })
}

/** Creates the role (path /service-role/, trust and policies from the baseline, tags) on moto. */
export async function buildEnvironment(
  iam: IAMClient,
  account: string,
  spec: EnvironmentSpec = {},
): Promise<WorldEnvironment> {
  const name = spec.name ?? uniqueName(spec.prefix ?? 'env')
  const roleName = spec.roleName ?? `${name}-exec`
  const rolePath = spec.rolePath ?? '/service-role/'
  const roleArn = `arn:aws:iam::${account}:role${rolePath}${roleName}`
  const wire = describeEnvironment(name, roleArn, {
    customerKey: spec.customerKey,
    kmsKeyArn: spec.kmsKeyArn,
    subnetIds: spec.subnetIds,
  })
  const baseline = baselineOf(wire)
  const tags = { ...spec.tags, ...(spec.mode ? { 'mwaa-role-guard:mode': spec.mode } : {}) }
  await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      Path: rolePath,
      AssumeRolePolicyDocument: JSON.stringify(baseline.trustPolicy),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  )
  const layout = spec.layout ?? 'split'
  const parts =
    typeof layout === 'function'
      ? layout(name)
      : layout === 'split'
        ? SPLIT_LAYOUT(name)
        : [
            {
              kind: layout,
              name: layout === 'managed' ? `MWAA-Execution-Policy-${name}` : 'execution',
              sids: Object.values(Sid),
            },
          ]
  const statements = baseline.policy.Statement.filter((s) => !spec.omit?.includes(s.Sid ?? ''))
  const out: WorldEnvironment = {
    name,
    region: REGION,
    arn: wire.Arn,
    roleName,
    roleArn,
    wire,
    baseline,
    inline: {},
    managed: {},
  }
  for (const part of parts) {
    const mine = statements.filter((s) => part.sids.includes(s.Sid ?? ''))
    if (mine.length === 0) continue
    const document = policyOf(mine)
    if (part.kind === 'inline') {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: part.name,
          PolicyDocument: JSON.stringify(document),
        }),
      )
      out.inline[part.name] = document
    } else {
      const created = await iam.send(
        new CreatePolicyCommand({
          PolicyName: part.name,
          Path: '/service-role/',
          PolicyDocument: JSON.stringify(document),
        }),
      )
      const arn = created.Policy!.Arn!
      await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }))
      out.managed[part.name] = { arn, document }
    }
  }
  return out
}

/** A policy document holding these statements. */
export function policyOf(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: structuredClone([...statements]) }
}
