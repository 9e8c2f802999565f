/**
 * The scheduled Lambda's handler: reconcile every execution role of the watched regions (no event needed), stopping in
 * time before the function's timeout. Ends in SweepFailedError (carrying the summary) when a role or an environment
 * failed or a role was not reached, after logging and counting everything: the function's Errors alarm then notifies.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { Context } from 'aws-lambda'
import { sweep, sweepFailed, type SweepSummary } from '../reconcile/sweep'
import { SweepFailedError } from '../reconcile/sweep-failed'
import type { Deps } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { addSweepMetrics, log, logger, metrics } from './telemetry'

/**
 * The sweep starts no role later than this before the function's timeout: one live reconcile can wait out IAM's
 * eventual consistency twice (read, then verify a heal), plus its calls, retries and the alert.
 */
export const DEADLINE_MARGIN_MS = 60_000

export function createSweepHandler(getDeps: () => Deps) {
  return middy(async (_event: unknown, context: Context): Promise<SweepSummary> => {
    const deps = getDeps()
    const now = deps.clock().getTime()
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

/** The sweep's dependencies from process.env, built once per process. */
export function sweepDeps(): Deps {
  processDeps ??= wireDeps(process.env, { log })
  return processDeps
}
