/**
 * Builds the shell's dependencies from environment variables, once per process (a warm Lambda keeps the MWAA cache,
 * the policy-version cache and the SSM cache between invocations).
 */
import { createDocumentAdapters } from '../aws/document-adapters'
import { createIamAdapter } from '../aws/iam'
import { createMwaaAdapter } from '../aws/mwaa'
import {
  createDynamoDbClient,
  createIamClient,
  createSnsClient,
  createSsmClient,
  credentialsFromEnv,
  type AwsEnv,
} from '../aws/clients'
import { createStateTable } from '../aws/state-table'
import { createSnsAdapter } from '../aws/sns'
import { createSsmAdapter } from '../aws/ssm'
import type { StsAdapter } from '../aws/sts'
import { postToSlack } from '../aws/slack'
import { ApiCallCounter } from '../aws/call-counter'
import { loadConfig } from '../config'
import { deploymentResolver } from './deployment'
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
  /**
   * Who the credentials belong to, for a run not told its account (AWS_ACCOUNT_ID unset: the CLI, see wire-sts). The
   * functions are always told (the stack sets AWS_ACCOUNT_ID): their bundles carry no STS client.
   */
  sts?: () => StsAdapter
}

/**
 * Dependencies from an environment map (process.env in the Lambda): every function's adapters, the state table when
 * STATE_TABLE is set. The reconcile queue and the event deduplication are added by withQueue and withDedupe, so a
 * function's bundle carries only the clients it uses.
 */
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
  const deployment = deploymentResolver(config, options.sts ?? accountNotSet)

  const state = config.stateTable
    ? createStateTable(createDynamoDbClient({ ...common, region: config.region }), {
        tableName: config.stateTable,
        historyDays: config.memory.historyDays,
      })
    : undefined
  // The documents beyond the role: S3 and EC2 hand-signed, KMS always, Organizations only when switched on.
  const documents = createDocumentAdapters({
    env,
    clock,
    counter,
    readOrganizationPolicies: config.readOrganizationPolicies,
  })
  return {
    config,
    deployment,
    iam,
    mwaa,
    notify,
    ssm,
    documents,
    ...(state ? { state } : {}),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log: options.log,
    clock: now,
    ...(options.dryRun ? { dryRun: true } : {}),
    counter,
  }
}

function accountNotSet(): StsAdapter {
  return {
    callerIdentity: async () => {
      throw new Error('AWS_ACCOUNT_ID is not set (the stack sets it to the account the function runs in)')
    },
  }
}
