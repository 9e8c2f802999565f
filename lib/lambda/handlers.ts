/**
 * The two Lambda handlers as middy functions over given dependencies: functions/ exports them wired from
 * process.env, the CLI's `handle` runs the same code path, and the integration tests wire them to moto.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { EventBridgeEvent } from 'aws-lambda'
import { handleEvent } from '../reconcile/handle-event'
import { sweep, type SweepSummary } from '../reconcile/sweep'
import type { Deps, EventSummary } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { addRunMetrics, log, logger, metrics } from './telemetry'

/** The event handler: EventBridge (CloudTrail IAM and MWAA calls) -> reconcile the roles the event names. */
export function createHandler(getDeps: () => Deps) {
  return middy(async (event: EventBridgeEvent<string, unknown>): Promise<EventSummary> => {
    const summary = await handleEvent(event, getDeps())
    addRunMetrics(summary)
    logger.info('event handled', { summary })
    return summary
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

/** The scheduled handler: reconcile every execution role of the watched regions (no event needed). */
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

/** Dependencies from process.env, built once per process (a warm Lambda keeps its caches between invocations). */
export function depsFromProcessEnv(): Deps {
  processDeps ??= wireDeps(process.env, { log })
  return processDeps
}
