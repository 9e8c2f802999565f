/** The ingest Lambda's handler: EventBridge -> each event once -> what cannot wait -> the roles on the reconcile queue. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { Context, EventBridgeEvent } from 'aws-lambda'
import { ingestAndSend } from '../reconcile/ingest'
import type { Deps, EventSummary } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { withDedupe, withQueue } from '../reconcile/wire-chain'
import { addCallMetrics, addRunMetrics, callMark, log, logger, metrics } from './telemetry'

/** A duplicate (the same eventID again, or while the first still runs) does nothing and is no error. */
export function createIngestHandler(getDeps: () => Deps) {
  return middy(async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<EventSummary> => {
    const deps = getDeps()
    const mark = callMark(deps)
    try {
      const summary = await ingestAndSend(event, deps, context)
      addRunMetrics(summary)
      logger.info('event ingested', { summary })
      return summary
    } finally {
      addCallMetrics(deps, mark)
    }
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

let processDeps: Deps | undefined

/** The ingest function's dependencies from process.env, built once per process. */
export function ingestDeps(): Deps {
  processDeps ??= withQueue(withDedupe(wireDeps(process.env, { log }), process.env), process.env)
  return processDeps
}
