/** The scheduled Lambda: reconcile every execution role of the watched regions (no event needed). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import { sweep, type SweepSummary } from '../lib/reconcile/sweep'
import type { Deps } from '../lib/reconcile/types'
import { wireDeps } from '../lib/reconcile/wire'
import { log, logger, metrics } from './reconcile'

let deps: Deps | undefined

/** Builds the sweep handler over given dependencies (tests use the same code path). */
export function createSweepHandler(getDeps: () => Deps) {
  return middy(async (): Promise<SweepSummary> => {
    const summary = await sweep(getDeps())
    for (const role of summary.roles)
      metrics.addMetric(`roles_${role.result.replaceAll('-', '_')}`, MetricUnit.Count, 1)
    if (summary.extrasSkipped) metrics.addMetric('extras_skipped', MetricUnit.Count, 1)
    logger.info('sweep done', { environments: summary.environments, roles: summary.roles.length })
    return summary
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
}

export const handler = createSweepHandler(() => (deps ??= wireDeps(process.env, { log })))
