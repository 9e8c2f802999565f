/** The role state a heal plan would produce: lets the core verify a plan before the shell writes it. */
import type { HealPlan, ManagedPolicyCandidate } from './plan-heal'
import type { RoleState } from './types'

/** Returns the role as it would be after every write of the plan. */
export function applyPlan(
  role: RoleState,
  plan: HealPlan,
  detached: readonly ManagedPolicyCandidate[] = [],
): RoleState {
  let next: RoleState = {
    ...role,
    inlinePolicies: [...role.inlinePolicies],
    attachedPolicies: [...role.attachedPolicies],
  }
  for (const write of plan.writes) {
    switch (write.kind) {
      case 'attach-managed-policy': {
        const policy = detached.find((d) => d.arn === write.policyArn)
        if (policy) next.attachedPolicies.push({ arn: policy.arn, name: policy.name, document: policy.document })
        break
      }
      case 'update-trust-policy':
        next = { ...next, trustPolicy: write.document }
        break
      case 'put-inline-policy':
      case 'restore-inline-policy':
        next.inlinePolicies = [
          ...next.inlinePolicies.filter((p) => p.name !== write.policyName),
          { name: write.policyName, document: write.document },
        ]
        break
      case 'delete-inline-policy':
        next.inlinePolicies = next.inlinePolicies.filter((p) => p.name !== write.policyName)
        break
    }
  }
  return next
}
