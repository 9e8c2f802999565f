/**
 * The last-known-good policies of a role: what it had the last time it granted everything its environments need.
 * Kept only when they change (compared by hash), so a healthy role costs no write. A heal may put a removed inline
 * policy back from it, exactly, but only after checking it against the live baseline (lib/drift/exact-restore).
 */
import type { RoleState } from '../drift/types'
import { stableHash } from './hash'
import type { LastKnownGood } from './role-record'

/** The role's policies as last-known-good, with their hash. */
export function lastKnownGoodOf(role: RoleState, at: number): LastKnownGood {
  const inline = role.inlinePolicies.map((p) => ({ name: p.name, document: p.document }))
  const managed = role.attachedPolicies.map((p) =>
    p.versionId ? { arn: p.arn, versionId: p.versionId } : { arn: p.arn },
  )
  return { hash: stableHash({ inline, managed }), at, inline, managed }
}

/** True when the role's policies differ from the remembered ones (or none are remembered). */
export function lastKnownGoodChanged(previous: LastKnownGood | undefined, next: LastKnownGood): boolean {
  return previous?.hash !== next.hash
}
