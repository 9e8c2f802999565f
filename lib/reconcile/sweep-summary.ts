/** What a sweep reports: one result per execution role, the totals an operator reads, and what failed or was missed. */
import type { RoleResult, SweepFailure } from './types'

export type SweepTotals = {
  environments: number
  /** environments whose documents beyond the role were read (this sweep's slice, SWEEP_DOCUMENT_ENVIRONMENTS) */
  documentsRead: number
  /** distinct execution roles of the described environments */
  roles: number
  healthy: number
  /** roles found missing something (reported, healed, partially healed, blocked, deferred, contested, or a heal that failed) */
  drifted: number
  /** healed or partially healed */
  healed: number
  /** mode off, refused environment data, no environment / no role any more when read live, or held by another run */
  skipped: number
  /** failed roles plus what could not be read (a region's list, an environment) */
  failed: number
  /** drifted roles the sweep had no time left for */
  notReached: number
  /** AWS API calls (one per call, retries not counted) and the attempts answered with throttling */
  calls: number
  throttled: number
  seconds: number
}

export type SweepSummary = {
  status: 'swept'
  totals: SweepTotals
  roles: RoleResult[]
  /** roles in mode off whose environments lack something: evaluated, not alerted */
  offDrifted: Array<{ role: string; environments: string[]; findings: number }>
  /** what could not be read, beyond the roles (those are in `roles` with result failed) */
  failures: SweepFailure[]
  /** drifted roles not reconciled before the deadline: the next sweep starts elsewhere in the list */
  notReached: string[]
  /** the bulk IAM read failed and every role was read one by one instead */
  bulkReadError?: string
  extrasSkipped?: string
  /** STATE_TABLE unset (the CLI only): no reminders, no resolutions, nothing remembered */
  memory?: 'off'
  /** kept for the summary's readers before totals: the same as totals.environments */
  environments: number
}

/** True when something failed or was not reached: the Lambda then ends in error (the alarm) and the CLI exits 1. */
export function sweepFailed(summary: Pick<SweepSummary, 'totals'>): boolean {
  return summary.totals.failed > 0 || summary.totals.notReached > 0
}

const DRIFTED: ReadonlySet<RoleResult['result']> = new Set([
  'reported',
  'healed',
  'partially-healed',
  'blocked',
  'deferred',
  'contested',
])
// 'refused': every environment using the role was refused (its data failed validation); that was alerted.
// 'busy': another run (the reconcile worker, a CLI handle) held the role's lease: it is being reconciled.
const SKIPPED: ReadonlySet<RoleResult['result']> = new Set([
  'off',
  'no-environment',
  'role-not-found',
  'refused',
  'busy',
])

/** The totals of a sweep's results. */
export function totalsOf(input: {
  environments: number
  documentsRead: number
  roles: readonly RoleResult[]
  failures: readonly SweepFailure[]
  notReached: readonly string[]
  calls: number
  throttled: number
  seconds: number
}): SweepTotals {
  const count = (keep: (r: RoleResult) => boolean) => input.roles.filter(keep).length
  return {
    environments: input.environments,
    documentsRead: input.documentsRead,
    roles: input.roles.length + input.notReached.length,
    healthy: count((r) => r.result === 'healthy'),
    drifted: count((r) => DRIFTED.has(r.result) || (r.result === 'failed' && r.findings > 0)),
    healed: count((r) => r.result === 'healed' || r.result === 'partially-healed'),
    skipped: count((r) => SKIPPED.has(r.result)),
    failed: count((r) => r.result === 'failed') + input.failures.length,
    notReached: input.notReached.length,
    calls: input.calls,
    throttled: input.throttled,
    seconds: input.seconds,
  }
}
