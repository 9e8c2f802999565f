/** The scheduled Lambda's handler: reconcile every execution role of the watched regions (no event needed). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import { sweep, type SweepSummary } from '../reconcile/sweep'
import type { Deps } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { addRunMetrics, log, logger, metrics } from './telemetry'

export function createSweepHandler(getDeps: () => Deps) {
  return middy(async (): Promise<SweepSummary> => {
    const summary = await sweep(getDeps())
    addRunMetrics(summary)
    logger.info('sweep done', { environments: summary.environments, roles: summary.roles.length })
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
