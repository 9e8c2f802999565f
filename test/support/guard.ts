/**
 * The guard under test: one warm Lambda process. Dependencies come from `wireDeps` over the kit's environment map,
 * with an ApiCallCounter on every client (MWAA included), so each handled event says which AWS calls it made, which
 * alerts it published, and which heal writes it made (to build the remediator's own follow-up events).
 */
import type { Context, EventBridgeEvent } from 'aws-lambda'
import type { Alert } from '../../lib/alerts/types'
import { ApiCallCounter, type ApiCall } from '../../lib/aws/call-counter'
import type { HealWrite } from '../../lib/drift/plan-heal'
import { handleEvent } from '../../lib/reconcile/handle-event'
import { SweepFailedError } from '../../lib/reconcile/sweep-failed'
import type { SweepSummary } from '../../lib/reconcile/sweep-summary'
import type { AlertRequest, Deps, EventSummary } from '../../lib/reconcile/types'
import { wireDeps } from '../../lib/reconcile/wire'
import { cloudTrailEvent, type Caller, type CloudTrailEvent } from './cloudtrail-event'

export type LogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }
export type SentAlert = { alert: Alert; request: AlertRequest }
export type RecordedWrite = { roleName: string; write: HealWrite }

/** What one event did, as an operator (and the AWS bill) would see it. */
export type HandledEvent = {
  summary: EventSummary
  /** every AWS API call the handler made for this event (one per `send`, retries not counted) */
  calls: ApiCall[]
  /** the IAM calls among them that change something */
  writes: ApiCall[]
  alerts: SentAlert[]
  healWrites: RecordedWrite[]
  ms: number
}

/** `iam:Get*`/`List*` read; every other IAM operation writes. */
export const isIamWrite = (c: ApiCall) => c.service === 'iam' && !/^(Get|List)/.test(c.operation)
export const isSimulate = (c: ApiCall) => /Simulate/i.test(c.operation)

/** What one sweep did; `threw` when the Lambda ended in error (a role failed or was not reached). */
export type SweptRun = Omit<HandledEvent, 'summary'> & { summary: SweepSummary; threw: boolean }

type LambdaHandler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<EventSummary>

export class Guard {
  readonly counter = new ApiCallCounter()
  readonly logs: LogEntry[] = []
  readonly deps: Deps
  private readonly sent: SentAlert[] = []
  private readonly healWrites: RecordedWrite[] = []
  private readonly lambda: LambdaHandler
  private clockOffsetMs = 0

  constructor(
    env: Record<string, string>,
    createHandler: (getDeps: () => Deps) => LambdaHandler,
    private readonly account: string,
    private readonly remediator: Caller,
    options: { echoLogs?: boolean } = {},
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
    })
    this.deps = { ...deps, iam: this.recording(deps.iam) }
    this.lambda = createHandler(() => this.deps)
  }

  /** Moves the guard's clock forward (e.g. to when Lambda retries an event, a minute later); caches expire with it. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms
  }

  /** Runs the event through the Lambda's middy handler (`lambda`, default) or straight through handleEvent. */
  async handle(event: unknown, via: 'lambda' | 'direct' = 'lambda'): Promise<HandledEvent> {
    const marks = { calls: this.counter.calls.length, sent: this.sent.length, writes: this.healWrites.length }
    const started = performance.now()
    const summary =
      via === 'lambda'
        ? await this.lambda(event as EventBridgeEvent<string, unknown>, fakeContext(this.account))
        : await handleEvent(event, this.deps)
    const calls = this.counter.calls.slice(marks.calls)
    return {
      summary,
      calls,
      writes: calls.filter(isIamWrite),
      alerts: this.sent.slice(marks.sent),
      healWrites: this.healWrites.slice(marks.writes),
      ms: Math.round(performance.now() - started),
    }
  }

  /** Runs the sweep Lambda's handler (lib/lambda/handlers.ts) in this process, with `remainingMs` before its timeout. */
  async sweep(options: { remainingMs?: number } = {}): Promise<SweptRun> {
    const { createSweepHandler } = await import('../../lib/lambda/handlers')
    const marks = { calls: this.counter.calls.length, sent: this.sent.length, writes: this.healWrites.length }
    const started = performance.now()
    const context = { ...fakeContext(this.account), getRemainingTimeInMillis: () => options.remainingMs ?? 600_000 }
    let summary: SweepSummary
    let threw = false
    try {
      summary = await createSweepHandler(() => this.deps)({}, context)
    } catch (error) {
      if (!(error instanceof SweepFailedError)) throw error
      summary = error.summary
      threw = true
    }
    const calls = this.counter.calls.slice(marks.calls)
    return {
      summary,
      threw,
      calls,
      writes: calls.filter(isIamWrite),
      alerts: this.sent.slice(marks.sent),
      healWrites: this.healWrites.slice(marks.writes),
      ms: Math.round(performance.now() - started),
    }
  }

  /** The events CloudTrail records for the heal's own writes: their caller is the remediator's role session. */
  followUps(handled: HandledEvent, caller: Caller = this.remediator): CloudTrailEvent[] {
    return handled.healWrites.map(({ roleName, write }) =>
      cloudTrailEvent({ account: this.account, service: 'iam', ...callOf(roleName, write), caller }),
    )
  }

  /** The adapter as wired, with each write also noted (the call still goes to moto through the counted client). */
  private recording(iam: Deps['iam']): Deps['iam'] {
    const note = (roleName: string, write: HealWrite) => this.healWrites.push({ roleName, write })
    return {
      ...iam,
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

function fakeContext(account: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'mwaa-role-guard-reconcile',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${account}:function:mwaa-role-guard-reconcile`,
    memoryLimitInMB: '256',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/aws/lambda/mwaa-role-guard-reconcile',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
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
