/** The reconcile Lambda's handler: the reconcile queue's batch -> one reconcile per role, partial failures reported. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import { reconcileBatch } from '../reconcile/batch'
import type { Deps, RoleResult } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { withQueue } from '../reconcile/wire-chain'
import { addCallMetrics, addRunMetrics, callMark, log, logger, metrics } from './telemetry'

/** `hooks.results`: what happened to each role (tests; the Lambda logs it). */
export function createReconcileHandler(getDeps: () => Deps, hooks: { results?: (results: RoleResult[]) => void } = {}) {
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const deps = getDeps()
    const mark = callMark(deps)
    const { response, results } = await reconcileBatch(event.Records, deps, context)
    addRunMetrics({ roles: results })
    addCallMetrics(deps, mark)
    // Messages left to come back (a busy role, a heal backing off, a failure): one value per batch, 0 mostly.
    metrics.addMetric('messages_returned', MetricUnit.Count, response.batchItemFailures.length)
    hooks.results?.(results)
    logger.info('batch reconciled', { roles: results, failures: response.batchItemFailures.length })
    return response
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

let processDeps: Deps | undefined

/** The reconcile function's dependencies from process.env, built once per process. */
export function reconcileDeps(): Deps {
  processDeps ??= withQueue(wireDeps(process.env, { log }), process.env)
  return processDeps
}
