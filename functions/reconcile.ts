/**
 * The Lambda: EventBridge (CloudTrail IAM and MWAA calls) -> reconcile the roles the event names.
 * Thin by design: parse, reconcile, report. Everything else lives in lib/.
 */
import { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { EventBridgeEvent } from 'aws-lambda'
import { handleEvent } from '../lib/reconcile/handle-event'
import type { Deps, EventSummary } from '../lib/reconcile/types'
import { wireDeps } from '../lib/reconcile/wire'

export const logger = new Logger({ serviceName: 'mwaa-role-guard' })
export const metrics = new Metrics({ namespace: 'MwaaRoleGuard', serviceName: 'mwaa-role-guard' })

const log = {
  debug: (message: string, fields?: Record<string, unknown>) => logger.debug(message, fields ?? {}),
  info: (message: string, fields?: Record<string, unknown>) => logger.info(message, fields ?? {}),
  warn: (message: string, fields?: Record<string, unknown>) => logger.warn(message, fields ?? {}),
  error: (message: string, fields?: Record<string, unknown>) => logger.error(message, fields ?? {}),
}

let deps: Deps | undefined

/** Builds the handler over given dependencies (the CLI's `handle` and the tests use the same code path). */
export function createHandler(getDeps: () => Deps) {
  return middy(async (event: EventBridgeEvent<string, unknown>): Promise<EventSummary> => {
    const summary = await handleEvent(event, getDeps())
    for (const role of summary.roles)
      metrics.addMetric(`roles_${role.result.replaceAll('-', '_')}`, MetricUnit.Count, 1)
    if (summary.status === 'ignored') metrics.addMetric('events_ignored', MetricUnit.Count, 1)
    if (summary.extrasSkipped) metrics.addMetric('extras_skipped', MetricUnit.Count, 1)
    logger.info('event handled', { summary })
    return summary
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

export const handler = createHandler(() => (deps ??= wireDeps(process.env, { log })))
export { log }
