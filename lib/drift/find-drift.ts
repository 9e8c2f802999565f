/**
 * Role state + baselines -> findings. Pure: evaluates every required check with the local IAM evaluator; with an
 * environment's resource documents (bucket, key, endpoint policies, SCPs, RCPs), with AWS's full evaluation.
 */
import { evaluateRequest, evaluateResourcePolicy, parseCaller } from '../iam'
import type { Baseline } from '../baseline/types'
import { compileDocuments } from './compile-documents'
import { checkWithDocuments, type DocumentCheckInput } from './document-checks'
import type { DriftReport, Finding } from './findings'
import type { ResourceDocuments } from './resource-documents'
import { compileRole, type CompiledRole } from './role-policies'
import type { RoleState } from './types'

/** The documents read for each environment, by environment name; an environment without an entry is checked on the role alone. */
export type DocumentsByEnvironment = ReadonlyMap<string, ResourceDocuments>

/** Evaluates what each environment using the role needs and returns what is missing, with its cause. */
export function findDrift(
  role: RoleState,
  baselines: readonly Baseline[],
  compiled: CompiledRole = compileRole(role),
  documents?: DocumentsByEnvironment,
): DriftReport {
  const findings: Finding[] = []
  const warnings: string[] = []
  let evaluated = 0
  const caller = parseCaller(role.arn)
  for (const baseline of baselines) {
    const environment = baseline.environment.name
    const read = documents?.get(environment)
    const withDocuments: DocumentCheckInput | undefined =
      read && caller
        ? {
            role: compiled,
            caller,
            environment: baseline.environment,
            bucketArn: baseline.environment.bucketArn,
            documents: compileDocuments(read),
          }
        : undefined
    if (withDocuments) warnings.push(...withDocuments.documents.warnings.map((w) => `${environment}: ${w}`))
    for (const check of baseline.checks) {
      evaluated++
      if (withDocuments) {
        const finding = checkWithDocuments(withDocuments, check)
        if (finding) findings.push(finding)
        continue
      }
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
    warnings: [...baselines.flatMap((b) => b.warnings.map((w) => `${b.environment.name}: ${w}`)), ...warnings],
  }
}
