/**
 * Builds the shell's dependencies from environment variables, once per process (a warm Lambda keeps the MWAA cache,
 * the policy-version cache and the SSM cache between invocations).
 */
import { createIamAdapter } from '../aws/iam'
import { createMwaaAdapter } from '../aws/mwaa'
import {
  createDynamoDbClient,
  createIamClient,
  createSnsClient,
  createSqsClient,
  createSsmClient,
  createStsClient,
  credentialsFromEnv,
  type AwsEnv,
} from '../aws/clients'
import { eventOnce } from '../aws/event-once'
import { createReconcileQueue } from '../aws/reconcile-queue'
import { createStateTable } from '../aws/state-table'
import { createSnsAdapter } from '../aws/sns'
import { createSsmAdapter } from '../aws/ssm'
import { createStsAdapter } from '../aws/sts'
import { postToSlack } from '../aws/slack'
import { ApiCallCounter } from '../aws/call-counter'
import { loadConfig } from '../config'
import { deploymentResolver } from './deployment'
import type { Context } from 'aws-lambda'
import { createNotifier, type NotifierDeps } from './notifier'
import type { Deps, Log } from './types'

export type WireOptions = {
  log: Log
  counter?: ApiCallCounter
  /** test/demo hooks */
  sleep?: (ms: number) => Promise<void>
  sent?: NotifierDeps['sent']
  now?: () => Date
  /** plan and report, write nothing, publish nothing (`handle --dry-run`) */
  dryRun?: boolean
}

/** Dependencies for handleEvent, from an environment map (process.env in the Lambda). */
export function wireDeps(env: AwsEnv, options: WireOptions): Deps {
  const config = loadConfig(env)
  // IAM's CloudTrail events reach EventBridge only on us-east-1's default bus (docs/deploy.md).
  if (env.AWS_LAMBDA_FUNCTION_NAME && config.region !== 'us-east-1') {
    options.log.warn(
      `deployed in ${config.region}: IAM change events arrive only in us-east-1 unless forwarded here; only this region's MWAA events will trigger checks`,
    )
  }
  const now = options.now ?? (() => new Date())
  const clock = () => now().getTime()
  const credentials = credentialsFromEnv(env)
  // Totals only: a warm Lambda lives for hours, and the sweep needs counts, not a list of every call.
  const counter = options.counter ?? new ApiCallCounter({ keep: false })
  const common = { env, counter, credentials }
  const iam = createIamAdapter(createIamClient({ ...common, region: config.region }))
  const mwaa = createMwaaAdapter({ env, clock, counter, credentials })
  const sns = createSnsAdapter(createSnsClient({ ...common, region: config.region }))
  const ssm =
    config.slackWebhookParameter || config.extrasParameter
      ? createSsmAdapter(createSsmClient({ ...common, region: config.region }), { clock })
      : undefined
  const notify = createNotifier({
    config,
    sns,
    ssm,
    postSlack: (url, payload) => postToSlack(url, payload),
    now,
    log: options.log,
    sent: options.sent,
    dryRun: options.dryRun,
  })
  const deployment = deploymentResolver(config, () =>
    createStsAdapter(createStsClient({ ...common, region: config.region })),
  )
  const dynamodb = config.stateTable ? createDynamoDbClient({ ...common, region: config.region }) : undefined
  const memory =
    dynamodb && config.stateTable
      ? {
          state: createStateTable(dynamodb, { tableName: config.stateTable, historyDays: config.memory.historyDays }),
          // Longer than EventBridge and Lambda re-deliver an event: both give up after the rules' 1 h maximum age.
          dedupe: <T>(fn: (event: unknown, context: Context) => Promise<T>) =>
            eventOnce(dynamodb, { tableName: config.stateTable!, expiresAfterSeconds: 3 * 3600 }, fn),
        }
      : {}
  const queue = config.reconcileQueueUrl
    ? createReconcileQueue(createSqsClient({ ...common, region: config.region }), config.reconcileQueueUrl)
    : undefined
  return {
    config,
    deployment,
    iam,
    mwaa,
    notify,
    ssm,
    ...memory,
    ...(queue ? { queue } : {}),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log: options.log,
    clock: now,
    ...(options.dryRun ? { dryRun: true } : {}),
    counter,
  }
}
