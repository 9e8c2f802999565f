/**
 * The Lambda handlers as middy functions over given dependencies: functions/ exports them wired from process.env,
 * the CLI's `handle` runs the chain handler (the same code in one process), and the integration tests wire them to
 * moto and play SQS's event source with a pump.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import { reconcileBatch } from '../reconcile/batch'
import { handleEvent, type ChainOptions } from '../reconcile/handle-event'
import { ingestAndSend } from '../reconcile/ingest'
import { sweep, sweepFailed, type SweepSummary } from '../reconcile/sweep'
import { SweepFailedError } from '../reconcile/sweep-failed'
import type { Deps, EventSummary, RoleResult } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { addRunMetrics, addSweepMetrics, log, logger, metrics } from './telemetry'

/**
 * The sweep starts no role later than this before the function's timeout: one live reconcile can wait out IAM's
 * eventual consistency twice (read, then verify a heal), plus its calls, retries and the alert.
 */
export const DEADLINE_MARGIN_MS = 60_000

/**
 * EventBridge (CloudTrail IAM and MWAA calls) -> each event id once -> what cannot wait -> one message per role on
 * the reconcile queue. A duplicate (the same eventID again, or while the first still runs) does nothing.
 */
export function createIngestHandler(getDeps: () => Deps) {
  return middy(async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<EventSummary> => {
    const summary = await ingestAndSend(event, getDeps(), context)
    addRunMetrics(summary)
    logger.info('event ingested', { summary })
    return summary
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

/** The reconcile queue's batch -> one reconcile per role, partial failures reported (Powertools batch). */
export function createReconcileHandler(getDeps: () => Deps, hooks: { results?: (results: RoleResult[]) => void } = {}) {
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const { response, results } = await reconcileBatch(event.Records, getDeps(), context)
    addRunMetrics({ roles: results })
    hooks.results?.(results)
    logger.info('batch reconciled', { roles: results, failures: response.batchItemFailures.length })
    return response
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

/** The whole chain in one process (the CLI's `handle`): ingest, the settle window, the reconcile. */
export function createChainHandler(getDeps: () => Deps, options: Omit<ChainOptions, 'context'> = {}) {
  return middy(async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<EventSummary> => {
    const summary = await handleEvent(event, getDeps(), { ...options, context })
    addRunMetrics(summary)
    logger.info('event handled', { summary })
    return summary
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

/**
 * The scheduled handler: reconcile every execution role of the watched regions (no event needed), stopping in time
 * before the function's timeout. Ends in SweepFailedError (carrying the summary) when a role or an environment failed
 * or a role was not reached, after logging and counting everything: the function's Errors alarm then notifies.
 */
export function createSweepHandler(getDeps: () => Deps) {
  return middy(async (_event: unknown, context: Context): Promise<SweepSummary> => {
    const deps = getDeps()
    const now = (deps.now ?? (() => new Date()))().getTime()
    const summary = await sweep(deps, { deadline: now + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS })
    addSweepMetrics(summary)
    // Counts and what went wrong only: a thousand healthy roles would not fit one log event (256 KB).
    logger.info('sweep done', {
      totals: summary.totals,
      failures: summary.failures,
      notReached: summary.notReached.slice(0, 100),
      failed: summary.roles.filter((r) => r.result === 'failed').map((r) => ({ role: r.role, error: r.error })),
    })
    if (sweepFailed(summary)) throw new SweepFailedError(summary)
    return summary
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

let processDeps: Deps | undefined

/** Dependencies from process.env, built once per process (a warm Lambda keeps its caches between invocations). */
export function depsFromProcessEnv(): Deps {
  processDeps ??= wireDeps(process.env, { log })
  return processDeps
}
