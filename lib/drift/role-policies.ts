/** Compiles a role's policies once, so a role check evaluates every requirement against precompiled patterns. */
import { compilePolicy, type CompiledPolicy } from '../iam'
import type { RoleState } from './types'

export type CompiledRole = {
  identity: CompiledPolicy[]
  boundary: CompiledPolicy | null
  trust: CompiledPolicy
}

/** Names policies the way reports cite them: `inline:NAME`, the managed policy ARN, `boundary:ARN`, `trust`. */
export function compileRole(role: RoleState): CompiledRole {
  return {
    identity: [
      ...role.inlinePolicies.map((p) => compilePolicy(p.document, `inline:${p.name}`, 'identity')),
      ...role.attachedPolicies.map((p) => compilePolicy(p.document, p.arn, 'identity')),
    ],
    boundary: role.permissionsBoundary
      ? compilePolicy(role.permissionsBoundary.document, role.permissionsBoundary.arn, 'boundary')
      : null,
    trust: compilePolicy(role.trustPolicy, 'trust', 'resource'),
  }
}
