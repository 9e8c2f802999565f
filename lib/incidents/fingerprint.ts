/**
 * One incident per problem: what is missing for one environment, and why, hashed. Two reads that miss the same
 * permissions for the same reasons have the same fingerprint, so the second says nothing new (PagerDuty's dedup_key,
 * Alertmanager's group key: https://prometheus.io/docs/alerting/latest/configuration/#route).
 */
import type { Finding } from '../drift/findings'
import { stableHash } from './hash'

/** The cause of a finding, as far as it decides what a person must do (not the statement index, which shifts). */
function causeOf(finding: Finding): string {
  switch (finding.kind) {
    case 'not-granted':
      return 'not-granted'
    case 'denied':
      return `denied:${[...new Set(finding.by.map((s) => `${s.policy}/${s.sid ?? ''}`))].sort().join(',')}`
    case 'blocked-by-boundary':
      return `boundary:${finding.boundary}`
    case 'trust-missing':
      return `trust:${finding.by.length > 0 ? 'denied' : 'not-granted'}`
    case 'blocked-by-document':
      return `document:${[...finding.documents].sort().join(',')}`
    case 'key-unusable':
      return `key:${finding.key}:${finding.state}`
  }
}

/** The fingerprint of one environment's findings: order-free, 16 hex digits. */
export function fingerprintOf(findings: readonly Finding[]): string {
  const lines = [...new Set(findings.map((f) => `${f.check.id}|${causeOf(f)}`))].sort()
  return stableHash(lines.join('\n'))
}

/** A new incident's id: stable for its role, environment and opening time, short enough for a subject line. */
export function newIncidentId(role: string, environment: string, openedAt: number): string {
  return `inc-${stableHash(`${role.toLowerCase()}\n${environment}\n${openedAt}`).slice(0, 12)}`
}
