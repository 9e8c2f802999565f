/** How urgent an alert is, and what is still missing after what the guard did. */
import type { Finding } from '../drift/findings'
import { type AlertInput, Severity } from './types'

/**
 * The findings a person still has to act on: all of them when nothing was written (alert mode) or the heal failed
 * (what it managed is unknown until a re-check), none after a full heal, the blocked ones after a partial heal.
 */
export function unresolvedFindings(input: AlertInput): Finding[] {
  switch (input.outcome) {
    case 'healed':
    case 'resolved':
      return []
    case 'partially-healed':
    case 'blocked':
      return input.blocked.map((b) => b.finding)
    default:
      return [...input.report.findings]
  }
}

/**
 * critical: the role is deleted, or contested (heals keep being undone), or its trust policy still keeps Amazon MWAA
 * out (nothing it grants is usable);
 * high: the heal failed, the role could not be checked, a CreateEnvironment/UpdateEnvironment is heading for failure,
 * environment data was refused,
 * or a role's mode became heal or off;
 * info: nothing is missing any more (healed);
 * medium: something is still missing (alert mode, blocked, partially healed).
 */
export function severityOf(input: AlertInput): Severity {
  if (input.kind === 'role-deleted' || input.kind === 'contested') return Severity.critical
  // Refused data may be someone trying to steer the guard; a mode change decides what it may write.
  if (input.kind === 'environment-refused') return Severity.high
  if (input.kind === 'mode-change') return input.mode === 'alert' ? Severity.medium : Severity.high
  // Unchecked: what the role misses is unknown until a check succeeds.
  if (input.kind === 'reconcile-failed') return Severity.high
  const unresolved = unresolvedFindings(input)
  if (unresolved.some((f) => f.kind === 'trust-missing')) return Severity.critical
  if (input.outcome === 'failed') return Severity.high
  if (unresolved.length === 0) return Severity.info
  if (input.kind === 'preflight') return Severity.high
  return Severity.medium
}
