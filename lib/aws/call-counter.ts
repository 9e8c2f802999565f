/**
 * Counts AWS API calls per operation, so tests (and metrics) can hold the remediator to a budget such as
 * "at most 8 calls per event, no iam:SimulatePrincipalPolicy", and counts the attempts AWS answered with a throttling
 * error (what the sweep's summary and metrics report).
 */
import { isThrottlingError } from '@smithy/core/retry'

/** One logical API call: retries of the same call are counted in `attempts`, not here. */
export type ApiCall = { service: string; operation: string }

/** The slice of an SDK v3 client the counter needs (old and new SDK cores both have it). */
type MiddlewareClient = {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void }
}

type HandlerContext = { commandName?: string }
type Next = (args: unknown) => Promise<unknown>

/** Running totals: what a long-lived process keeps when it does not keep every call. */
export type CallTotals = { calls: number; attempts: number; throttled: number }

export class ApiCallCounter {
  readonly calls: ApiCall[] = []
  /** every HTTP attempt, retries included: what the account's request quotas see */
  readonly attempts: ApiCall[] = []
  /** the attempts answered with a throttling error (each one retried by the SDK while its budget lasts) */
  readonly throttled: ApiCall[] = []
  readonly totals: CallTotals = { calls: 0, attempts: 0, throttled: 0 }

  /** `keep: false` keeps the totals only (a warm Lambda must not grow a list of every call it ever made). */
  constructor(private readonly options: { keep?: boolean } = {}) {}

  /** Records one call; adapters that do not go through an SDK client call this themselves. */
  record(call: ApiCall): void {
    this.totals.calls++
    if (this.options.keep !== false) this.calls.push(call)
  }

  recordAttempt(call: ApiCall): void {
    this.totals.attempts++
    if (this.options.keep !== false) this.attempts.push(call)
  }

  recordThrottled(call: ApiCall): void {
    this.totals.throttled++
    if (this.options.keep !== false) this.throttled.push(call)
  }

  /** Number of calls, optionally only those of one service and/or operation. */
  count(filter: Partial<ApiCall> = {}): number {
    return this.calls.filter(
      (c) =>
        (!filter.service || c.service === filter.service) && (!filter.operation || c.operation === filter.operation),
    ).length
  }

  /** `{ 'iam:GetRole': 1, ... }`, handy in assertion messages. */
  summary(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const c of this.calls) out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1
    return out
  }

  reset(): void {
    this.calls.length = 0
    this.attempts.length = 0
    this.throttled.length = 0
    Object.assign(this.totals, { calls: 0, attempts: 0, throttled: 0 })
  }

  /**
   * Adds three middlewares to an SDK client: one in `initialize` (runs once per `send`), two in `deserialize` (inside
   * the retry loop, once per HTTP attempt): at low priority, under the deserializer, to count the attempt; at high
   * priority, around the deserializer, to see the service's error and count a throttled attempt. Middleware stack
   * steps: https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/middleware-stack.html
   */
  attachTo(client: MiddlewareClient, service: string): void {
    const operationOf = (context: HandlerContext) => (context.commandName ?? 'Unknown').replace(/Command$/, '')
    client.middlewareStack.add(
      (next: Next, context: HandlerContext) => (args: unknown) => {
        this.record({ service, operation: operationOf(context) })
        return next(args)
      },
      { step: 'initialize', name: 'apiCallCounter', priority: 'high', override: true },
    )
    client.middlewareStack.add(
      (next: Next, context: HandlerContext) => (args: unknown) => {
        this.recordAttempt({ service, operation: operationOf(context) })
        return next(args)
      },
      { step: 'deserialize', name: 'apiAttemptCounter', priority: 'low', override: true },
    )
    client.middlewareStack.add(
      (next: Next, context: HandlerContext) => async (args: unknown) => {
        try {
          return await next(args)
        } catch (error) {
          if (isThrottlingError(error as never)) this.recordThrottled({ service, operation: operationOf(context) })
          throw error
        }
      },
      { step: 'deserialize', name: 'apiThrottleCounter', priority: 'high', override: true },
    )
  }
}
