/**
 * Logging and metrics of the Lambdas (ingest, reconcile and sweep), set up once: Powertools Logger and Metrics
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/core/metrics/), and the one place that turns a run's
 * summary into metrics. Importing this module creates the logger: the CLI's `handle` sets POWERTOOLS_* first.
 */
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { SweepSummary } from '../reconcile/sweep'
import type { Deps, Log, RoleResult } from '../reconcile/types'

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
export type RunOutcome = {
  roles: readonly Pick<RoleResult, 'result'>[]
  status?: string
  enqueued?: readonly string[]
  extrasSkipped?: string
}

/** What an ingested event became: one metric per event, so an ingest never publishes an empty metrics set. */
const EVENT_STATUSES: ReadonlySet<string> = new Set(['handled', 'ignored', 'duplicate'])

/**
 * Adds the count of roles per result (`roles_healed`, ...), `events_handled` / `events_ignored` / `events_duplicate`,
 * `roles_enqueued` and `extras_skipped`.
 */
export function addRunMetrics(outcome: RunOutcome): void {
  // One value per result, not one per role: an EMF metric holds at most 100 values, and a sweep has thousands of roles.
  const byResult = new Map<string, number>()
  for (const role of outcome.roles) byResult.set(role.result, (byResult.get(role.result) ?? 0) + 1)
  for (const [result, count] of byResult)
    metrics.addMetric(`roles_${result.replaceAll('-', '_')}`, MetricUnit.Count, count)
  if (outcome.status && EVENT_STATUSES.has(outcome.status))
    metrics.addMetric(`events_${outcome.status}`, MetricUnit.Count, 1)
  if (outcome.enqueued) metrics.addMetric('roles_enqueued', MetricUnit.Count, outcome.enqueued.length)
  if (outcome.extrasSkipped) metrics.addMetric('extras_skipped', MetricUnit.Count, 1)
}

/** The process's call totals now: `addCallMetrics` reports what one invocation added to them. */
export function callMark(deps: Pick<Deps, 'counter'>): { calls: number; throttled: number } {
  return { calls: deps.counter?.totals.calls ?? 0, throttled: deps.counter?.totals.throttled ?? 0 }
}

/**
 * `aws_calls` and `aws_throttled` of one event-path invocation: the AWS calls it made, and the attempts AWS answered
 * with a throttling error (each retried by the SDK while its budget lasted), as the sweep reports `sweep_throttled`.
 */
export function addCallMetrics(deps: Pick<Deps, 'counter'>, since: ReturnType<typeof callMark>): void {
  const now = callMark(deps)
  metrics.addMetric('aws_calls', MetricUnit.Count, now.calls - since.calls)
  metrics.addMetric('aws_throttled', MetricUnit.Count, now.throttled - since.throttled)
}

/** A sweep's metrics: its roles' results, then its totals (`sweep_calls`, `sweep_throttled`, ...). */
export function addSweepMetrics(summary: SweepSummary): void {
  addRunMetrics(summary)
  const { totals } = summary
  for (const [name, value] of [
    ['sweep_roles', totals.roles],
    ['sweep_drifted', totals.drifted],
    ['sweep_healed', totals.healed],
    ['sweep_failed', totals.failed],
    ['sweep_not_reached', totals.notReached],
    ['sweep_calls', totals.calls],
    ['sweep_throttled', totals.throttled],
  ] as const)
    metrics.addMetric(name, MetricUnit.Count, value)
  metrics.addMetric('sweep_duration', MetricUnit.Seconds, totals.seconds)
  if (summary.bulkReadError) metrics.addMetric('sweep_bulk_read_failed', MetricUnit.Count, 1)
}
