/** Findings and records for the incident tests, built from a corpus baseline. */
import type { Finding } from '../../lib/drift/findings'
import { findDrift } from '../../lib/drift/find-drift'
import type { IncidentRecord } from '../../lib/incidents'
import { fingerprintOf } from '../../lib/incidents'
import { baselineOf, policyWithout, roleOf } from '../drift/support'

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const T0 = Date.UTC(2026, 11, 2, 9, 0, 0)

const base = baselineOf('custodian-1')
export const ENV = base.environment.name
export const REGION = base.environment.region

/** What the custodian-1 role misses once the statements with these Sids are removed. */
export function missing(...sids: string[]): Finding[] {
  return findDrift(roleOf(base, {}, policyWithout(base, ...sids)), [base]).findings
}

/** An open incident about the given findings. */
export function openIncident(findings: Finding[], over: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: 'inc-0123456789ab',
    environment: ENV,
    region: REGION,
    fingerprint: fingerprintOf(findings),
    openedAt: T0,
    notifiedAt: T0,
    missing: findings.length,
    features: [...new Set(findings.map((f) => f.feature))],
    ...over,
  }
}
