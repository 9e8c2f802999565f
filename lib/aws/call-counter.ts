/**
 * Counts AWS API calls per operation, so tests (and metrics) can hold the remediator to a budget such as
 * "at most 8 calls per event, no iam:SimulatePrincipalPolicy".
 */

/** One logical API call: retries of the same call are counted in `attempts`, not here. */
export type ApiCall = { service: string; operation: string }

/** The slice of an SDK v3 client the counter needs (old and new SDK cores both have it). */
type MiddlewareClient = {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void }
}

type HandlerContext = { commandName?: string }
type Next = (args: unknown) => Promise<unknown>

export class ApiCallCounter {
  readonly calls: ApiCall[] = []
  /** every HTTP attempt, retries included: what the account's request quotas see */
  readonly attempts: ApiCall[] = []

  /** Records one call; adapters that do not go through an SDK client call this themselves. */
  record(call: ApiCall): void {
    this.calls.push(call)
  }

  recordAttempt(call: ApiCall): void {
    this.attempts.push(call)
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
  }

  /**
   * Adds two middlewares to an SDK client: one in `initialize` (runs once per `send`), one in `deserialize`
   * (runs inside the retry loop, once per HTTP attempt). Middleware stack steps:
   * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/middleware-stack.html
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
  }
}
