/** The whole chain in one process (the CLI's `handle`): ingest, the settle window, the reconcile of each role. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { Context, EventBridgeEvent } from 'aws-lambda'
import { handleEvent, type ChainOptions } from '../reconcile/handle-event'
import type { Deps, EventSummary } from '../reconcile/types'
import { addRunMetrics, logger, metrics } from './telemetry'

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
