/**
 * `npm run bench:sweep [-- --environments N --other N --drifted N --heal N --latency MS --faults --memory --json]`: the sweep
 * Lambda's handler (lib/lambda/sweep.ts, as deployed) against moto and the MWAA stand-in, both started here, behind a
 * proxy that adds `--latency` ms (default 65, about what a real IAM or MWAA call costs) to every call. Defaults:
 * 1,000 environments, each with its own execution role (2 inline + 2 customer managed policies, the layout that costs
 * the most calls), 2,000 other roles, 10 execution roles drifted (a statement missing; `--heal` of them tagged heal).
 * `--faults`: 30 % of IAM calls answered Throttling and 5 % HTTP 500. `--memory`: with the state table (on moto, created
 * from serverless.yml, DynamoDB behind the same proxy): a first sweep stores every healthy role's last-known-good
 * policies and opens the drifted roles' incidents, then the measured sweep is the steady state.
 * Targets: 1,000 roles in <= 60 s and <= 1,100 + 10 per drifted role AWS calls; 100 roles in <= 10 s.
 * The setup (3,000 roles on moto) is made without the proxy and is not timed. Not a test: nothing asserts.
 */
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns'
import type { Context } from 'aws-lambda'
import { ApiCallCounter } from '../lib/aws/call-counter'
import { Sid } from '../lib/baseline'
import { SweepFailedError } from '../lib/reconcile/sweep-failed'
import type { SweepSummary } from '../lib/reconcile/sweep-summary'
import { wireDeps } from '../lib/reconcile/wire'
import { buildEnvironment } from '../test/support/environments'
import { startFaultProxy } from '../test/support/fault-proxy'
import { startMoto } from '../test/support/moto'
import { openMotoAccount } from '../test/support/moto-account'
import { startMwaaServer } from '../test/support/mwaa-server'
import { createStateTableOnMoto } from '../test/support/state-table'

const { values: flags } = parseArgs({
  options: {
    environments: { type: 'string', default: '1000' },
    other: { type: 'string' },
    drifted: { type: 'string', default: '10' },
    heal: { type: 'string', default: '0' },
    latency: { type: 'string', default: '65' },
    faults: { type: 'boolean' },
    memory: { type: 'boolean' },
    seed: { type: 'string', default: '8' },
    json: { type: 'boolean' },
  },
})
const count = (name: string, value: string | undefined) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`bench:sweep: --${name} must be a whole number`)
    process.exit(2)
  }
  return n
}
const N = count('environments', flags.environments)
const OTHER = count('other', flags.other ?? String(2 * N))
const DRIFTED = Math.min(N, count('drifted', flags.drifted))
const HEAL = Math.min(DRIFTED, count('heal', flags.heal))
const LATENCY = count('latency', flags.latency)
const FAULTS = flags.faults ? { throttle: 0.3, serverError: 0.05 } : {}

// The handler's Powertools logger and metrics: warnings only, no EMF (nothing reads CloudWatch here).
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR'
process.env.POWERTOOLS_METRICS_DISABLED = 'true'

const progress = (text: string) => {
  if (!flags.json) process.stderr.write(`${text}\n`)
}

const moto = await startMoto({ timeoutMs: 30_000 })
const stops: Array<() => Promise<void>> = [() => moto.stop()]
try {
  const account = await openMotoAccount(moto.endpoint)
  const credentials = {
    accessKeyId: account.accessKeyId,
    secretAccessKey: account.secretAccessKey,
    sessionToken: account.sessionToken,
  }
  const mwaa = await startMwaaServer({ secretAccessKey: account.secretAccessKey })
  stops.push(() => mwaa.stop())

  // ---- setup, straight to moto (not timed) ---------------------------------------------------------------------------
  const setupStarted = performance.now()
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials })
  const sns = new SNSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials })
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'mwaa-role-guard-bench' }))).TopicArn!
  await eachLimited(N, 16, async (i) => {
    const id = String(i).padStart(4, '0')
    const drifted = i < DRIFTED
    const env = await buildEnvironment(iam, account.accountId, {
      name: `bench-${id}`,
      ...(drifted ? { omit: [Sid.celeryQueue] } : {}),
      ...(i < HEAL ? { mode: 'heal' as const } : {}),
    })
    mwaa.put(env.wire)
  })
  await eachLimited(OTHER, 16, async (i) => {
    const roleName = `other-${String(i).padStart(4, '0')}`
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'app',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::app-${i}/*` }],
        }),
      }),
    )
  })
  let stateTable: string | undefined
  if (flags.memory) {
    stateTable = 'mwaa-role-guard-bench-state'
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials })
    await createStateTableOnMoto(dynamodb, stateTable)
    dynamodb.destroy()
  }
  iam.destroy()
  sns.destroy()
  const setupSeconds = (performance.now() - setupStarted) / 1000
  progress(`setup: ${N} environments and execution roles, ${OTHER} other roles in ${setupSeconds.toFixed(1)} s`)

  // ---- the sweep, every call through the latency (and fault) proxy --------------------------------------------------
  const iamProxy = await startFaultProxy({
    upstream: moto.endpoint,
    latencyMs: LATENCY,
    faults: FAULTS,
    seed: Number(flags.seed),
  })
  stops.push(() => iamProxy.stop())
  const mwaaProxy = await startFaultProxy({ upstream: mwaa.endpoint, latencyMs: LATENCY })
  stops.push(() => mwaaProxy.stop())
  const counter = new ApiCallCounter()
  const quiet = { debug() {}, info() {}, warn() {}, error() {} }
  // A fresh process per sweep (sweeps are 6 hours apart: no cache of a previous one is warm).
  const freshDeps = () =>
    wireDeps(
      {
        AWS_REGION: 'us-east-1',
        // As the stack sets it (no STS call to learn the account).
        AWS_ACCOUNT_ID: account.accountId,
        AWS_ENDPOINT_URL: iamProxy.endpoint,
        AWS_ENDPOINT_URL_MWAA: mwaaProxy.endpoint,
        AWS_ACCESS_KEY_ID: account.accessKeyId,
        AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
        AWS_SESSION_TOKEN: account.sessionToken,
        ALERT_TOPIC_ARN: topicArn,
        DEFAULT_MODE: 'alert',
        ...(stateTable ? { STATE_TABLE: stateTable } : {}),
      },
      { log: quiet, counter },
    )
  const { createSweepHandler } = await import('../lib/lambda/sweep')
  progress(
    `sweep: ${LATENCY} ms added to every call${flags.faults ? ', 30 % of IAM calls throttled, 5 % HTTP 500' : ''}`,
  )
  const runSweep = async (): Promise<SweepSummary> => {
    const deps = freshDeps()
    try {
      return await createSweepHandler(() => deps)({}, lambdaContext(600_000))
    } catch (error) {
      if (!(error instanceof SweepFailedError)) throw error
      return error.summary
    }
  }
  let firstSweep: { wallSeconds: number; calls: number; byOperation: Record<string, number> } | undefined
  if (flags.memory) {
    const first = performance.now()
    await runSweep()
    firstSweep = {
      wallSeconds: Number(((performance.now() - first) / 1000).toFixed(1)),
      calls: counter.totals.calls,
      byOperation: counter.summary(),
    }
    progress(`first sweep with memory: ${firstSweep.wallSeconds} s, ${firstSweep.calls} calls; now the measured one`)
    counter.reset()
  }
  const started = performance.now()
  const summary = await runSweep()
  const wallSeconds = (performance.now() - started) / 1000

  const budget = 1_100 + 10 * summary.totals.drifted
  const secondsTarget = N <= 100 ? 10 : 60
  const result = {
    environments: N,
    otherRoles: OTHER,
    drifted: DRIFTED,
    heal: HEAL,
    latencyMs: LATENCY,
    faults: FAULTS,
    memory: flags.memory === true,
    ...(firstSweep ? { firstSweep } : {}),
    node: process.version,
    cpus: cpus().length,
    setupSeconds: Number(setupSeconds.toFixed(1)),
    wallSeconds: Number(wallSeconds.toFixed(1)),
    calls: counter.totals.calls,
    attempts: counter.totals.attempts,
    throttled: counter.totals.throttled,
    byOperation: counter.summary(),
    totals: summary.totals,
    failed: summary.roles.filter((r) => r.result === 'failed').map((r) => ({ role: r.role, error: r.error })),
    failures: summary.failures,
    writesReachingIam: iamProxy.writes().length,
    targets: {
      seconds: secondsTarget,
      calls: N >= 1000 ? budget : undefined,
      meetsSeconds: wallSeconds <= secondsTarget,
      meetsCalls: N >= 1000 ? counter.totals.calls <= budget : undefined,
    },
  }
  if (flags.json) {
    console.log(JSON.stringify(result, null, 2))
  } else {
    const ok = (b: boolean | undefined) => (b === undefined ? '' : b ? 'ok' : 'MISSED')
    const t = summary.totals
    console.log(
      `mwaa-role-guard bench:sweep — ${N} environments, ${N} execution roles (${DRIFTED} drifted, ${HEAL} of them heal), ${OTHER} other roles; Node ${process.version}, ${result.cpus} CPUs`,
    )
    console.log(
      `  wall time        ${wallSeconds.toFixed(1)} s   (target <= ${secondsTarget} s) ${ok(result.targets.meetsSeconds)}`,
    )
    console.log(
      `  AWS calls        ${counter.totals.calls}${N >= 1000 ? `   (target <= 1,100 + 10 x ${t.drifted} drifted = ${budget}) ${ok(result.targets.meetsCalls)}` : ''}`,
    )
    console.log(`  attempts         ${counter.totals.attempts} (throttled ${counter.totals.throttled})`)
    console.log(
      `  roles            ${t.roles}: healthy ${t.healthy}, drifted ${t.drifted}, healed ${t.healed}, skipped ${t.skipped}, failed ${t.failed}, not reached ${t.notReached}`,
    )
    console.log(`  by operation     ${JSON.stringify(result.byOperation)}`)
    if (firstSweep)
      console.log(
        `  first sweep      ${firstSweep.wallSeconds} s, ${firstSweep.calls} calls (memory: every healthy role's last-known-good stored) ${JSON.stringify(firstSweep.byOperation)}`,
      )
    if (result.failed.length > 0) console.log(`  failed roles     ${JSON.stringify(result.failed)}`)
  }
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined)
}

async function eachLimited(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < n) await fn(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker))
}

function lambdaContext(remainingMs: number): Context {
  const deadline = Date.now() + remainingMs
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'mwaa-role-guard-sweep-bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:mwaa-role-guard-sweep-bench',
    memoryLimitInMB: '512',
    awsRequestId: 'bench',
    logGroupName: 'bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}
