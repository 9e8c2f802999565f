/** Drift findings: what a role no longer grants, and why (plain data). */
import type { StatementRef } from '../iam/types'
import type { Feature, RequiredCheck, TrustCheck } from '../baseline/types'

/** Why a required permission is not allowed; mirrors the IAM evaluation outcome. */
export type Finding =
  | { kind: 'not-granted'; environment: string; feature: Feature; check: RequiredCheck }
  | { kind: 'denied'; environment: string; feature: Feature; check: RequiredCheck; by: StatementRef[] }
  | {
      kind: 'blocked-by-boundary'
      environment: string
      feature: Feature
      check: RequiredCheck
      boundary: string
      /** the identity statements that would grant it without the boundary */
      grantedBy: StatementRef[]
    }
  | { kind: 'trust-missing'; environment: string; feature: 'trust'; check: TrustCheck; by: StatementRef[] }

export type DriftReport = {
  role: string
  environments: string[]
  /** number of (check, environment) pairs evaluated, trust included */
  evaluated: number
  findings: Finding[]
  warnings: string[]
}

/** A finding a heal can fix by adding permissions: nothing explicitly denies it and no boundary blocks it. */
export function isHealable(finding: Finding): boolean {
  return finding.kind === 'not-granted' || (finding.kind === 'trust-missing' && finding.by.length === 0)
}
