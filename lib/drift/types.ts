/** Role state and drift findings: plain data shared by the core and the shell. */
import type { PolicyDocument } from '../iam/types'

/** Everything about a role that decides what it may do (documents already decoded by the adapters). */
export type RoleState = {
  arn: string
  name: string
  trustPolicy: PolicyDocument
  inlinePolicies: Array<{ name: string; document: PolicyDocument }>
  /** managed policies attached to the role, each with its default version's document */
  attachedPolicies: Array<{ arn: string; name: string; versionId?: string; document: PolicyDocument }>
  permissionsBoundary: { arn: string; document: PolicyDocument } | null
  tags: Record<string, string>
}
