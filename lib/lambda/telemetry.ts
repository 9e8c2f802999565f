/**
 * Logging and metrics of both Lambdas (reconcile and sweep), set up once: Powertools Logger and Metrics
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/core/metrics/), and the one place that turns a run's
 * summary into metrics. Importing this module creates the logger: the CLI's `handle` sets POWERTOOLS_* first.
 */
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { Log, RoleResult } from '../reconcile/types'

export const logger = new Logger({ serviceName: 'mwaa-role-guard' })
export const metrics = new Metrics({ namespace: 'MwaaRoleGuard', serviceName: 'mwaa-role-guard' })

/** The shell's Log, written through the Powertools logger. */
export const log: Log = {
  debug: (message, fields) => logger.debug(message, fields ?? {}),
  info: (message, fields) => logger.info(message, fields ?? {}),
  warn: (message, fields) => logger.warn(message, fields ?? {}),
  error: (message, fields) => logger.error(message, fields ?? {}),
}

/** What a run reports that becomes metrics: an event's summary or a sweep's. */
export type RunOutcome = { roles: readonly Pick<RoleResult, 'result'>[]; status?: string; extrasSkipped?: string }

/** Adds one count per role result (`roles_healed`, ...), `events_ignored` and `extras_skipped`. */
export function addRunMetrics(outcome: RunOutcome): void {
  for (const role of outcome.roles) metrics.addMetric(`roles_${role.result.replaceAll('-', '_')}`, MetricUnit.Count, 1)
  if (outcome.status === 'ignored') metrics.addMetric('events_ignored', MetricUnit.Count, 1)
  if (outcome.extrasSkipped) metrics.addMetric('extras_skipped', MetricUnit.Count, 1)
}
