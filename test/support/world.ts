/**
 * The kit the integration tests and the demo share: moto (or the one MOTO_ENDPOINT names) and the MWAA stand-in,
 * an alert topic with an SQS subscriber to read alerts back, MWAA environments with execution roles built from the
 * doc's sample policy, drifts made as real IAM calls that return the CloudTrail event, the state table and the
 * reconcile queue (created from serverless.yml), and the guard (the Lambdas' handlers over `wireDeps`) to hand events
 * to. Everything it starts, `stop()` stops.
 *
 *   const world = await startWorld()                       // moto (or MOTO_ENDPOINT) + MWAA stand-in, own account
 *   const env = await world.createEnvironment({ mode: 'heal' })
 *   const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
 *   const handled = await world.guard().handle(event)     // summary, API calls, writes, alerts
 *   const [alert] = await world.inbox.take(aboutEnvironment(env.name))
 *   await world.stop()
 */
import { CreatePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SQSClient } from '@aws-sdk/client-sqs'
import { createStateTable } from '../../lib/aws/state-table'
import { createIamAdapter } from '../../lib/aws/iam'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument } from '../../lib/iam/types'
import { AlertInbox } from './alert-inbox'
import { callerArn, REGION, type Caller, type CloudTrailEvent } from './cloudtrail-event'
import {
  baselineOf,
  buildEnvironment,
  describeEnvironment,
  type EnvironmentSpec,
  type WorldEnvironment,
} from './environments'
import { Guard, type Handlers } from './guard'
import { createReconcileQueueOnMoto, type QueueOnMoto } from './reconcile-queue'
import { createStateTableOnMoto } from './state-table'
import { IamActor, type ActorOptions } from './iam-actor'
import { startMoto, type Moto } from './moto'
import { createEnvironmentEvent } from './mwaa-calls'
import { openMotoAccount, type MotoAccount } from './moto-account'
import { startMwaaServer, type MwaaServer } from './mwaa-server'
import { uniqueName } from './names'

export type WorldOptions = {
  /** DEFAULT_MODE for untagged roles (default alert) */
  defaultMode?: 'heal' | 'alert' | 'off'
  /** CONSISTENCY_WAIT_MS (default 300: moto is consistent at once) */
  consistencyWaitMs?: number
  /** print the guard's log lines on stderr */
  echoLogs?: boolean
  /** false: no state table and no queue (STATE_TABLE unset): the guard acts at once and remembers nothing */
  memory?: boolean
  /** SETTLE_SECONDS and the reconcile queue's delay (default 0: tests drive time with the guard's clock) */
  settleSeconds?: number
  /** extra environment variables (MAX_HEALS, REMIND_AFTER_HOURS, ...) */
  env?: Record<string, string>
  /** the world's account (default: a fresh random one), e.g. a member account of an organization on moto */
  accountId?: string
  /** a moto server of its own even when MOTO_ENDPOINT is set (the event fuzz: thousands of calls) */
  ownMoto?: boolean
}

export type World = Awaited<ReturnType<typeof startWorld>>

/** Starts what a scenario needs; call `stop()` when done (a shared MOTO_ENDPOINT is left running). */
export async function startWorld(options: WorldOptions = {}) {
  quietPowertools()
  const handlers: Handlers = {
    createIngestHandler: (await import('../../lib/lambda/ingest')).createIngestHandler,
    createReconcileHandler: (await import('../../lib/lambda/reconcile')).createReconcileHandler,
    createSweepHandler: (await import('../../lib/lambda/sweep')).createSweepHandler,
  }
  const moto = await startMoto({ own: options.ownMoto === true })
  let mwaa: MwaaServer | undefined
  try {
    const account = await openMotoAccount(moto.endpoint, options.accountId)
    const credentials = {
      accessKeyId: account.accessKeyId,
      secretAccessKey: account.secretAccessKey,
      sessionToken: account.sessionToken,
    }
    // The stand-in checks each MWAA request's SigV4 signature against the secret, as AWS would.
    mwaa = await startMwaaServer({ secretAccessKey: account.secretAccessKey })
    const iam = new IAMClient({ region: REGION, endpoint: moto.endpoint, credentials })
    const sns = new SNSClient({ region: REGION, endpoint: moto.endpoint, credentials })
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueName('mwaa-role-alerts') }))).TopicArn!
    const inbox = await AlertInbox.create(moto.endpoint, account.accessKeyId, uniqueName('alert-inbox'))
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: inbox.queueArn }))
    const remediatorRoleArn = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'mwaa-role-guard-remediator',
          AssumeRolePolicyDocument: JSON.stringify(assumableBy('lambda.amazonaws.com')),
        }),
      )
    ).Role!.Arn!
    const dynamodb = new DynamoDBClient({ region: REGION, endpoint: moto.endpoint, credentials })
    const sqs = new SQSClient({ region: REGION, endpoint: moto.endpoint, credentials })
    let memory: Memory | undefined
    if (options.memory !== false) {
      const tableName = uniqueName('mwaa-role-guard-state')
      await createStateTableOnMoto(dynamodb, tableName)
      const queue = await createReconcileQueueOnMoto(sqs, uniqueName('reconcile'), options.settleSeconds ?? 0)
      memory = { tableName, queue }
    }
    return makeWorld({
      moto,
      mwaa,
      account,
      iam,
      sns,
      dynamodb,
      sqs,
      memory,
      topicArn,
      inbox,
      remediatorRoleArn,
      handlers,
      options,
    })
  } catch (error) {
    await mwaa?.stop()
    await moto.stop()
    throw error
  }
}

type Parts = {
  moto: Moto
  mwaa: MwaaServer
  account: MotoAccount
  iam: IAMClient
  sns: SNSClient
  topicArn: string
  inbox: AlertInbox
  remediatorRoleArn: string
  dynamodb: DynamoDBClient
  sqs: SQSClient
  memory?: Memory
  handlers: Handlers
  options: WorldOptions
}

type Memory = { tableName: string; queue: QueueOnMoto }

function makeWorld({
  moto,
  mwaa,
  account,
  iam,
  sns,
  topicArn,
  inbox,
  remediatorRoleArn,
  dynamodb,
  sqs,
  memory,
  handlers,
  options,
}: Parts) {
  const accountId = account.accountId
  const env: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_MWAA: mwaa.endpoint,
    AWS_ACCESS_KEY_ID: account.accessKeyId,
    AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
    AWS_SESSION_TOKEN: account.sessionToken,
    // The deployment's account, as the stack sets it (!Ref AWS::AccountId): events and environment data from any
    // other account are refused.
    AWS_ACCOUNT_ID: accountId,
    ALERT_TOPIC_ARN: topicArn,
    DEFAULT_MODE: options.defaultMode ?? 'alert',
    REMEDIATOR_ROLE_ARN: remediatorRoleArn,
    CONSISTENCY_WAIT_MS: String(options.consistencyWaitMs ?? 300),
    SETTLE_SECONDS: String(options.settleSeconds ?? 0),
    ...(memory ? { STATE_TABLE: memory.tableName, RECONCILE_QUEUE_URL: memory.queue.url } : {}),
    ...options.env,
  }
  const callers = {
    /** an IAM user at the CLI */
    operator: { kind: 'user', arn: `arn:aws:iam::${accountId}:user/ops-alice` } as Caller,
    /** an IAM Identity Center admin in the console */
    admin: {
      kind: 'role-session',
      roleArn: `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`,
      session: 'jane.doe@example.com',
      console: true,
    } as Caller,
    /** the remediator's Lambda: its role session is named after the function */
    remediator: {
      kind: 'role-session',
      roleArn: remediatorRoleArn,
      session: 'mwaa-role-guard-reconcile',
      userAgent:
        'aws-sdk-js/3.1169.0 ua/2.1 os/linux lang/js md/nodejs#22 api/iam#3.1169.0 exec-env/AWS_Lambda_nodejs22.x',
    } as Caller,
  }
  const reader = createIamAdapter(iam)

  return {
    moto,
    mwaa,
    /** the moto account this world works in (its own, even on a shared moto) */
    account: accountId,
    env,
    iam,
    topicArn,
    inbox,
    callers,
    remediatorRoleArn,

    /** Someone who changes roles: each method is a real IAM call on moto returning its CloudTrail event. */
    as: (caller: Caller, actorOptions?: ActorOptions) => new IamActor(iam, accountId, caller, actorOptions),

    /** An SQS client in the world's account, and the reconcile queue and its dead-letter queue, when it has them. */
    sqs,
    reconcileQueue: memory?.queue,

    /** The state table as the functions see it (for assertions on what is remembered), when the world has one. */
    state: memory ? createStateTable(dynamodb, { tableName: memory.tableName, historyDays: 400 }) : undefined,

    /** A new guard process (cold caches); `handle` runs the chain: ingest, the queue, the reconcile. */
    guard: (guardOptions: { env?: Record<string, string>; sleep?: (ms: number) => Promise<void> } = {}) =>
      new Guard({ ...env, ...guardOptions.env }, handlers, accountId, callers.remediator, {
        echoLogs: options.echoLogs,
        ...(memory && !guardOptions.env?.RECONCILE_QUEUE_URL ? { queue: { client: sqs, queue: memory.queue } } : {}),
        ...(guardOptions.sleep ? { sleep: guardOptions.sleep } : {}),
      }),

    /** An AVAILABLE environment (in the MWAA stand-in) and its execution role (on moto). */
    async createEnvironment(spec: EnvironmentSpec = {}): Promise<WorldEnvironment> {
      const environment = await buildEnvironment(iam, accountId, spec)
      mwaa.put(environment.wire)
      return environment
    },

    /** Another AVAILABLE environment that uses `owner`'s execution role (its own bucket and log groups). */
    async shareRole(owner: WorldEnvironment, prefix = 'env'): Promise<WorldEnvironment> {
      const wire = describeEnvironment(uniqueName(prefix), owner.roleArn)
      mwaa.put(wire)
      return { ...owner, name: wire.Name, arn: wire.Arn, wire, baseline: baselineOf(wire) }
    },

    /** An execution role built as for an environment, but no environment uses it. */
    unusedRole: (spec: EnvironmentSpec = {}) => buildEnvironment(iam, accountId, spec),

    /**
     * CreateEnvironment with a role built from `spec`: the environment shows as CREATING (what GetEnvironment says
     * until creation ends, 20-30 minutes later), and the MWAA CloudTrail event is returned (requestParameters as
     * in events/samples/mwaa-create-environment.json).
     */
    async createEnvironmentCall(
      caller: Caller,
      spec: EnvironmentSpec = {},
    ): Promise<{ environment: WorldEnvironment; event: CloudTrailEvent }> {
      const environment = await buildEnvironment(iam, accountId, spec)
      const wire = { ...environment.wire, Status: 'CREATING' }
      mwaa.put(wire)
      const event = createEnvironmentEvent(accountId, caller, wire)
      return { environment, event }
    },

    /** A customer managed policy (setup, not a watched call). */
    async createPolicy(name: string, document: PolicyDocument): Promise<string> {
      const out = await iam.send(
        new CreatePolicyCommand({ PolicyName: uniqueName(name), PolicyDocument: JSON.stringify(document) }),
      )
      return out.Policy!.Arn!
    },

    /** The role as IAM has it now (through an uncounted client), or null once deleted. */
    async readRole(roleName: string): Promise<RoleState | null> {
      const read = await reader.readRole(roleName)
      return read.kind === 'found' ? read.role : null
    },

    /**
     * The re-check an alert tells its reader to run (`mwaa-role-guard check --env NAME --region R`), against moto and
     * the stand-in: exit 0 when the role grants everything the environment needs, 1 when something is missing.
     */
    async recheck(environment: { name: string; region: string }): Promise<{ code: number; output: string }> {
      const { main } = await import('../../lib/cli/main')
      const lines: string[] = []
      const io = { out: (t: string) => void lines.push(t), err: (t: string) => void lines.push(t), env }
      const code = await main(['check', '--env', environment.name, '--region', environment.region], io)
      return { code, output: lines.join('\n') }
    },

    describeEnvironment,
    callerArn,

    /** Stops the MWAA stand-in and moto (unless moto is shared through MOTO_ENDPOINT). */
    async stop(): Promise<void> {
      iam.destroy()
      sns.destroy()
      dynamodb.destroy()
      sqs.destroy()
      await mwaa.stop()
      await moto.stop()
    },
  }
}

function assumableBy(service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  }
}

/**
 * The handler module builds its Powertools logger and metrics when first imported: keep them to warnings and no
 * EMF output (no CloudWatch here), unless the caller asked otherwise.
 */
function quietPowertools(): void {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN'
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true'
}
