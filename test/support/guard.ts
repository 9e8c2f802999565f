/**
 * The guard under test: one warm Lambda process of each function. Dependencies come from `wireDeps` over the kit's
 * environment map, with an ApiCallCounter on every client (MWAA, DynamoDB and SQS included), so each handled event
 * says which AWS calls it made, which alerts it published, and which heal writes it made (to build the remediator's
 * own follow-up events). With the world's state table and reconcile queue (the default), `handle` runs the deployed
 * chain: the ingest handler, then the queue pump that plays Lambda's SQS event source, then the reconcile handler.
 */
import type { SQSClient } from '@aws-sdk/client-sqs'
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import type { Alert } from '../../lib/alerts/types'
import { ApiCallCounter, type ApiCall } from '../../lib/aws/call-counter'
import type { HealWrite } from '../../lib/drift/plan-heal'
import { handleEvent } from '../../lib/reconcile/handle-event'
import { SweepFailedError } from '../../lib/reconcile/sweep-failed'
import type { SweepSummary } from '../../lib/reconcile/sweep-summary'
import type { AlertRequest, Deps, EventSummary, RoleResult } from '../../lib/reconcile/types'
import { wireDeps } from '../../lib/reconcile/wire'
import { withDedupe, withQueue } from '../../lib/reconcile/wire-chain'
import { cloudTrailEvent, type Caller, type CloudTrailEvent } from './cloudtrail-event'
import { QueuePump, type QueueOnMoto } from './reconcile-queue'

export type LogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }
export type SentAlert = { alert: Alert; request: AlertRequest }
export type RecordedWrite = { roleName: string; write: HealWrite }

/** What one event did, as an operator (and the AWS bill) would see it. */
export type HandledEvent = {
  summary: EventSummary
  /** every AWS API call the handlers made for this event (one per `send`, retries not counted) */
  calls: ApiCall[]
  /** the IAM calls among them that change something */
  writes: ApiCall[]
  alerts: SentAlert[]
  healWrites: RecordedWrite[]
  /** handler errors (a Lambda error: the ingest threw, or a whole batch failed) */
  errors: unknown[]
  ms: number
}

/** `iam:Get*`/`List*` read; every other IAM operation writes. */
export const isIamWrite = (c: ApiCall) => c.service === 'iam' && !/^(Get|List)/.test(c.operation)
export const isSimulate = (c: ApiCall) => /Simulate/i.test(c.operation)

/** What one sweep did; `threw` when the Lambda ended in error (a role failed or was not reached). */
export type SweptRun = Omit<HandledEvent, 'summary'> & { summary: SweepSummary; threw: boolean }

type IngestHandler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<EventSummary>
type ReconcileHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>
type SweepHandler = (event: unknown, context: Context) => Promise<SweepSummary>

/** The handler factories of lib/lambda (ingest, reconcile, sweep). */
export type Handlers = {
  createIngestHandler: (getDeps: () => Deps) => IngestHandler
  createReconcileHandler: (getDeps: () => Deps, hooks: { results?: (r: RoleResult[]) => void }) => ReconcileHandler
  createSweepHandler: (getDeps: () => Deps) => SweepHandler
}

/** The world's reconcile queue, when the guard runs the chain through it. */
export type GuardQueue = { client: SQSClient; queue: QueueOnMoto }

export class Guard {
  readonly counter = new ApiCallCounter()
  readonly logs: LogEntry[] = []
  readonly deps: Deps
  readonly pump?: QueuePump
  private readonly sent: SentAlert[] = []
  private readonly healWrites: RecordedWrite[] = []
  private readonly results: RoleResult[] = []
  private readonly ingest: IngestHandler
  private readonly sweeper: SweepHandler
  private clockOffsetMs = 0
  private throttleAfterWrite = false
  private wrote = false

  constructor(
    env: Record<string, string>,
    handlers: Handlers,
    private readonly account: string,
    private readonly remediator: Caller,
    options: { echoLogs?: boolean; queue?: GuardQueue; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    const log = (level: LogEntry['level']) => (message: string, fields?: Record<string, unknown>) => {
      this.logs.push({ level, message, fields })
      if (options.echoLogs) console.error(`[${level}] ${message}`, fields ?? '')
    }
    const deps = wireDeps(env, {
      log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
      counter: this.counter,
      sent: (alert, request) => this.sent.push({ alert, request }),
      now: () => new Date(Date.now() + this.clockOffsetMs),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    })
    const counted = { counter: this.counter }
    this.deps = withQueue(withDedupe({ ...deps, iam: this.recording(deps.iam) }, env, counted), env, counted)
    this.ingest = handlers.createIngestHandler(() => this.deps)
    this.sweeper = handlers.createSweepHandler(() => this.deps)
    if (options.queue) {
      const reconcile = handlers.createReconcileHandler(() => this.deps, {
        results: (r) => void this.results.push(...r),
      })
      this.pump = new QueuePump(options.queue.client, options.queue.queue, reconcile, () => fakeContext(this.account))
    }
  }

  /** Moves the guard's clock forward (e.g. past a back-off, or a day for a reminder); caches expire with it. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms
  }

  /** The guard's clock now. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs)
  }

  /**
   * Runs the event through the deployed chain (`lambda`, default: the ingest handler, then the queue's pending
   * batches through the reconcile handler), or through the in-process chain (`direct`, as `handle` runs it).
   */
  async handle(event: unknown, via: 'lambda' | 'direct' = 'lambda'): Promise<HandledEvent> {
    return this.measure(async (errors) => {
      if (via === 'direct' || !this.pump) return handleEvent(event, this.deps, { settleMs: 0 })
      let summary: EventSummary
      try {
        summary = await this.ingest(event as EventBridgeEvent<string, unknown>, fakeContext(this.account))
      } catch (error) {
        errors.push(error)
        return { status: 'handled', roles: [] }
      }
      const reconciled = await this.drainResults(errors)
      const extrasSkipped = summary.extrasSkipped ?? reconciled.find((r) => r.extrasSkipped)?.extrasSkipped
      return { ...summary, roles: [...summary.roles, ...reconciled], ...(extrasSkipped ? { extrasSkipped } : {}) }
    })
  }

  /** Runs the ingest handler only: the event's roles wait on the queue (the settle window) until `drain`. */
  async ingestOnly(event: unknown): Promise<HandledEvent> {
    return this.measure(async (errors) => {
      try {
        return await this.ingest(event as EventBridgeEvent<string, unknown>, fakeContext(this.account))
      } catch (error) {
        errors.push(error)
        return { status: 'handled', roles: [] }
      }
    })
  }

  /** The next role read after a heal write fails as IAM throttling would (the heal's verification read). */
  throttleNextVerification(): void {
    this.throttleAfterWrite = true
  }

  /** Delivers what the queue holds now (e.g. a message back after its back-off) to the reconcile handler. */
  async drain(): Promise<HandledEvent> {
    return this.measure(async (errors) => ({ status: 'handled', roles: await this.drainResults(errors) }))
  }

  /** One receive of the queue (up to 10 messages, as one Lambda invocation gets) to the reconcile handler. */
  async drainOnce(): Promise<HandledEvent> {
    return this.measure(async (errors) => {
      const mark = this.results.length
      const delivery = await this.pump!.deliverOnce()
      if (delivery?.error) errors.push(delivery.error)
      return { status: 'handled', roles: this.results.slice(mark) }
    })
  }

  /** The queue redelivers what failed (its visibility timeout has passed), and the reconcile handler gets it. */
  async retryFailed(): Promise<HandledEvent> {
    await this.pump?.redeliverFailed()
    return this.drain()
  }

  /** Runs the sweep Lambda's handler in this process, with `remainingMs` before its timeout. */
  async sweep(options: { remainingMs?: number } = {}): Promise<SweptRun> {
    const marks = this.marks()
    const started = performance.now()
    const context = { ...fakeContext(this.account), getRemainingTimeInMillis: () => options.remainingMs ?? 600_000 }
    let summary: SweepSummary
    let threw = false
    try {
      summary = await this.sweeper({}, context)
    } catch (error) {
      if (!(error instanceof SweepFailedError)) throw error
      summary = error.summary
      threw = true
    }
    return { summary, threw, ...this.since(marks, [], started) }
  }

  private async drainResults(errors: unknown[]): Promise<RoleResult[]> {
    const mark = this.results.length
    for (const delivery of await this.pump!.drain()) if (delivery.error) errors.push(delivery.error)
    return this.results.slice(mark)
  }

  private async measure(run: (errors: unknown[]) => Promise<EventSummary>): Promise<HandledEvent> {
    const marks = this.marks()
    const started = performance.now()
    const errors: unknown[] = []
    const summary = await run(errors)
    return { summary, ...this.since(marks, errors, started) }
  }

  private marks() {
    return { calls: this.counter.calls.length, sent: this.sent.length, writes: this.healWrites.length }
  }

  private since(marks: ReturnType<Guard['marks']>, errors: unknown[], started: number) {
    const calls = this.counter.calls.slice(marks.calls)
    return {
      calls,
      writes: calls.filter(isIamWrite),
      alerts: this.sent.slice(marks.sent),
      healWrites: this.healWrites.slice(marks.writes),
      errors,
      ms: Math.round(performance.now() - started),
    }
  }

  /** The events CloudTrail records for the heal's own writes: their caller is the remediator's role session. */
  followUps(handled: Pick<HandledEvent, 'healWrites'>, caller: Caller = this.remediator): CloudTrailEvent[] {
    return handled.healWrites.map(({ roleName, write }) =>
      cloudTrailEvent({ account: this.account, service: 'iam', ...callOf(roleName, write), caller }),
    )
  }

  /** The adapter as wired, with each write also noted (the call still goes to moto through the counted client). */
  private recording(iam: Deps['iam']): Deps['iam'] {
    const note = (roleName: string, write: HealWrite) => {
      this.healWrites.push({ roleName, write })
      this.wrote = true
    }
    return {
      ...iam,
      readRole: async (roleName) => {
        if (this.throttleAfterWrite && this.wrote) {
          this.throttleAfterWrite = false
          this.wrote = false
          // What the SDK throws once its retries are spent (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
          throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } })
        }
        return iam.readRole(roleName)
      },
      attachRolePolicy: async (roleName, policyArn) => {
        await iam.attachRolePolicy(roleName, policyArn)
        note(roleName, { kind: 'attach-managed-policy', policyArn, restores: [] })
      },
      putRolePolicy: async (roleName, policyName, document) => {
        await iam.putRolePolicy(roleName, policyName, document)
        note(roleName, { kind: 'put-inline-policy', policyName, document, restores: [] })
      },
      deleteRolePolicy: async (roleName, policyName) => {
        await iam.deleteRolePolicy(roleName, policyName)
        note(roleName, { kind: 'delete-inline-policy', policyName })
      },
      updateAssumeRolePolicy: async (roleName, document) => {
        await iam.updateAssumeRolePolicy(roleName, document)
        note(roleName, { kind: 'update-trust-policy', document, adds: [] })
      },
    }
  }
}

/** An invocation's context; its remaining time counts down from the functions' timeout (120 s), as Lambda's does. */
function fakeContext(account: string): Context {
  const deadline = Date.now() + 120_000
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'mwaa-role-guard-reconcile',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:mwaa-role-guard-reconcile`,
    memoryLimitInMB: '256',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/aws/lambda/mwaa-role-guard-reconcile',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}

/** The IAM call a heal write is, as CloudTrail records its name and request parameters. */
function callOf(roleName: string, write: HealWrite): { eventName: string; requestParameters: Record<string, unknown> } {
  switch (write.kind) {
    case 'attach-managed-policy':
      return { eventName: 'AttachRolePolicy', requestParameters: { roleName, policyArn: write.policyArn } }
    case 'put-inline-policy':
    case 'restore-inline-policy':
      return {
        eventName: 'PutRolePolicy',
        requestParameters: { roleName, policyName: write.policyName, policyDocument: JSON.stringify(write.document) },
      }
    case 'delete-inline-policy':
      return { eventName: 'DeleteRolePolicy', requestParameters: { roleName, policyName: write.policyName } }
    case 'update-trust-policy':
      return {
        eventName: 'UpdateAssumeRolePolicy',
        requestParameters: { roleName, policyDocument: JSON.stringify(write.document) },
      }
  }
}
