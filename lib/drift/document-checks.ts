/**
 * One required check asked of AWS's full evaluation (lib/iam evaluateAccess) with the documents beyond the role:
 * the execution role as the caller, the bucket policy for the DAG bucket, the key policy for the customer managed
 * key, the endpoint policies of the VPC endpoints the request goes through (endpoint-model.ts), the SCP and RCP
 * levels. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * A resource in an account Amazon MWAA owns (the Celery queue, the AWS owned key) has a policy nobody can read: only
 * the role's side is checked (resourceAccount = the role's account, no RCPs: the resource is not in the organization).
 */
import type { EnvironmentRef, RequiredCheck } from '../baseline/types'
import { arnAccount, type Caller, evaluateAccess, type CompiledPolicy, type Gap, type PolicySet } from '../iam'
import type { RequestContext } from '../iam/types'
import type { CompiledDocuments } from './compile-documents'
import { endpointServiceOf } from './endpoint-model'
import type { Finding } from './findings'
import type { CompiledRole } from './role-policies'

export type DocumentCheckInput = {
  role: CompiledRole
  caller: Caller
  environment: EnvironmentRef
  bucketArn: string
  documents: CompiledDocuments
}

/** The finding for one check (undefined when AWS would allow every way the request can go). */
export function checkWithDocuments(input: DocumentCheckInput, check: RequiredCheck): Finding | undefined {
  const { documents, caller } = input
  const base = { environment: input.environment.name, feature: check.feature, check }
  const key = documents.key
  const onKey =
    key !== undefined && check.action.toLowerCase().startsWith('kms:') && check.resource === input.environment.kmsKey
  // A disabled key, or one pending deletion, refuses every cryptographic call whatever its policy says
  // (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
  if (onKey && key.state !== 'Enabled') return { kind: 'key-unusable', ...base, key: key.arn, state: key.state }

  const owned = arnAccount(check.resource)
  const mwaaOwned = owned !== undefined && owned !== caller.account
  const resource = resourcePolicyFor(input, check, onKey)
  const service = endpointServiceOf(check, input.bucketArn)
  const routes = (service && documents.endpoints.get(service)) || [undefined]
  for (const endpoint of routes) {
    const set: PolicySet = {
      identity: input.role.identity,
      boundary: input.role.boundary,
      resource,
      endpoints: endpoint ? [endpoint.policy] : [],
      scps: documents.scps?.policies ?? null,
      rcps: mwaaOwned ? null : (documents.rcps?.policies ?? null),
      ...(documents.managementAccount ? { managementAccount: documents.managementAccount } : {}),
    }
    const context: RequestContext = endpoint
      ? { ...check.context, 'aws:SourceVpce': endpoint.id, 'aws:SourceVpc': documents.vpcId ?? '' }
      : check.context
    const result = evaluateAccess(set, {
      action: check.action,
      resource: check.resource,
      context,
      caller,
      ...(mwaaOwned && caller.account ? { resourceAccount: caller.account } : {}),
      ...(onKey && key.awsManaged ? { awsManagedKey: true } : {}),
    })
    if (result.decision === 'allowed') continue
    if (result.decision === 'explicitDeny') return { kind: 'denied', ...base, by: result.statements }
    const gaps = result.missing ?? []
    const blocking = gaps.flatMap((gap) => documentName(gap, set, input.documents, resource))
    if (blocking.length > 0)
      return { kind: 'blocked-by-document', ...base, documents: blocking, grantedBy: result.statements }
    if (gaps.some((g) => g.kind === 'boundary') && input.role.boundary)
      return { kind: 'blocked-by-boundary', ...base, boundary: input.role.boundary.name, grantedBy: result.statements }
    return { kind: 'not-granted', ...base }
  }
  return undefined
}

function resourcePolicyFor(input: DocumentCheckInput, check: RequiredCheck, onKey: boolean): CompiledPolicy | null {
  if (onKey) return input.documents.key?.policy ?? null
  const bucket = input.documents.bucket
  if (bucket?.policy && (check.resource === input.bucketArn || check.resource.startsWith(`${input.bucketArn}/`)))
    return bucket.policy
  return null
}

/** The document a gap points at, as findings name it; identity and boundary gaps are not documents. */
function documentName(
  gap: Gap,
  set: PolicySet,
  documents: CompiledDocuments,
  resource: CompiledPolicy | null,
): string[] {
  switch (gap.kind) {
    case 'resource':
      return resource ? [resource.name] : []
    case 'endpoint':
      return set.endpoints?.[gap.level ?? 0]?.name ? [set.endpoints[gap.level ?? 0]!.name] : []
    case 'scp':
      return [documents.scps?.names[gap.level ?? 0] ?? 'an SCP level']
    case 'rcp':
      return [documents.rcps?.names[gap.level ?? 0] ?? 'an RCP level']
    default:
      return []
  }
}
