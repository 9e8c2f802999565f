/**
 * Managed policy versions are immutable: changing a policy creates a new version, it never rewrites one
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html). So a version's
 * document can be cached for the life of the process without a TTL; GetPolicy (DefaultVersionId) is still read
 * every time, which is what notices a new default version.
 *
 * The key includes the PolicyId, not only the ARN: a policy deleted and re-created under the same ARN starts
 * again at v1 with a new PolicyId, and must not be answered from the old policy's v1.
 */
import type { PolicyDocument } from '../iam/types'

export type PolicyVersionKey = { policyArn: string; policyId: string; versionId: string }

export class PolicyVersionCache {
  private readonly entries = new Map<string, PolicyDocument>()

  /** Bounded so a long-lived Lambda container cannot grow without limit; the oldest entry goes first. */
  constructor(private readonly maxEntries = 500) {}

  get(key: PolicyVersionKey): PolicyDocument | undefined {
    return this.entries.get(keyOf(key))
  }

  set(key: PolicyVersionKey, document: PolicyDocument): void {
    const k = keyOf(key)
    this.entries.delete(k)
    this.entries.set(k, document)
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }

  get size(): number {
    return this.entries.size
  }
}

function keyOf({ policyArn, policyId, versionId }: PolicyVersionKey): string {
  return `${policyArn}\n${policyId}\n${versionId}`
}
