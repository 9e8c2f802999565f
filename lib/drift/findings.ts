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
  | {
      kind: 'blocked-by-document'
      environment: string
      feature: Feature
      check: RequiredCheck
      /** the documents beyond the role that lack an Allow: a key policy, an endpoint policy, an SCP or RCP level */
      documents: string[]
      /** the Allows that did apply */
      grantedBy: StatementRef[]
    }
  | {
      kind: 'key-unusable'
      environment: string
      feature: Feature
      check: RequiredCheck
      key: string
      /** KeyState, e.g. Disabled or PendingDeletion */
      state: string
    }

export type DriftReport = {
  role: string
  environments: string[]
  /** number of (check, environment) pairs evaluated, trust included */
  evaluated: number
  findings: Finding[]
  warnings: string[]
}

/** A statement of a document beyond the role (bucket, key or endpoint policy, SCP, RCP), not of its trust policy. */
export function isBeyondRole(ref: StatementRef): boolean {
  return (
    (ref.kind === 'resource' && ref.policy !== 'trust') ||
    ref.kind === 'endpoint' ||
    ref.kind === 'scp' ||
    ref.kind === 'rcp'
  )
}

/** A finding a heal can fix by adding permissions: nothing explicitly denies it and no boundary blocks it. */
export function isHealable(finding: Finding): boolean {
  return finding.kind === 'not-granted' || (finding.kind === 'trust-missing' && finding.by.length === 0)
}
