/** Role state + baselines -> findings. Pure: evaluates every required check with the local IAM evaluator. */
import { evaluateRequest, evaluateResourcePolicy } from '../iam'
import type { Baseline } from '../baseline/types'
import type { DriftReport, Finding } from './findings'
import { compileRole, type CompiledRole } from './role-policies'
import type { RoleState } from './types'

/** Evaluates what each environment using the role needs and returns what is missing, with its cause. */
export function findDrift(
  role: RoleState,
  baselines: readonly Baseline[],
  compiled: CompiledRole = compileRole(role),
): DriftReport {
  const findings: Finding[] = []
  let evaluated = 0
  for (const baseline of baselines) {
    const environment = baseline.environment.name
    for (const check of baseline.checks) {
      evaluated++
      const result = evaluateRequest(
        { identity: compiled.identity, boundary: compiled.boundary },
        { action: check.action, resource: check.resource, context: check.context },
      )
      if (result.decision === 'allowed') continue
      const base = { environment, feature: check.feature, check }
      if (result.decision === 'explicitDeny') findings.push({ kind: 'denied', ...base, by: result.statements })
      else if (result.missing === 'boundary' && role.permissionsBoundary)
        findings.push({
          kind: 'blocked-by-boundary',
          ...base,
          boundary: role.permissionsBoundary.arn,
          grantedBy: result.statements,
        })
      else findings.push({ kind: 'not-granted', ...base })
    }
    for (const check of baseline.trustChecks) {
      evaluated++
      // The role is the resource of sts:AssumeRole; the service is the principal.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html (trust policy)
      const result = evaluateResourcePolicy(compiled.trust, {
        action: check.action,
        resource: role.arn,
        principal: { type: 'Service', id: check.principal },
        context: check.context,
      })
      if (result.decision === 'allowed') continue
      findings.push({
        kind: 'trust-missing',
        environment,
        feature: 'trust',
        check,
        by: result.decision === 'explicitDeny' ? result.statements : [],
      })
    }
  }
  return {
    role: role.arn,
    environments: baselines.map((b) => b.environment.name),
    evaluated,
    findings,
    warnings: baselines.flatMap((b) => b.warnings.map((w) => `${b.environment.name}: ${w}`)),
  }
}
