/**
 * Compiles an environment's resource documents once, named the way findings cite them ("bucket policy of
 * sales-dags", "policy of VPC endpoint vpce-... (com.amazonaws.eu-west-1.s3)", "SCP deny-sqs (p-...) attached to
 * ou-..."). A document that does not compile is left out with a warning, never guessed at.
 */
import { compilePolicy, type CompiledPolicy, PolicyParseError } from '../iam'
import type { PolicyKind } from '../iam/types'
import type { EndpointService, OrganizationLevel, ResourceDocuments } from './resource-documents'

export type CompiledEndpoint = { policy: CompiledPolicy; id: string }
export type CompiledLevels = { policies: CompiledPolicy[][]; names: string[] }

export type CompiledDocuments = {
  bucket?: { name: string; policy: CompiledPolicy | null }
  key?: { arn: string; policy: CompiledPolicy; state: string; awsManaged: boolean }
  vpcId?: string
  endpoints: ReadonlyMap<EndpointService, CompiledEndpoint[]>
  scps: CompiledLevels | null
  rcps: CompiledLevels | null
  managementAccount?: string
  /** documents read but not checked, and why */
  warnings: string[]
}

/** Compiles what was read; unreadable and uncompilable documents become warnings. */
export function compileDocuments(documents: ResourceDocuments): CompiledDocuments {
  const warnings: string[] = []
  const compile = (doc: unknown, name: string, kind: PolicyKind): CompiledPolicy | undefined => {
    try {
      return compilePolicy(doc, name, kind)
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error
      warnings.push(`${name} not checked: ${error.message}`)
      return undefined
    }
  }
  const out: CompiledDocuments = { endpoints: new Map(), scps: null, rcps: null, warnings }

  const bucket = documents.bucket
  if (bucket?.policy.kind === 'found') {
    const policy = compile(bucket.policy.value, `bucket policy of ${bucket.name}`, 'resource')
    if (policy) out.bucket = { name: bucket.name, policy }
  } else if (bucket?.policy.kind === 'none') out.bucket = { name: bucket.name, policy: null }
  else if (bucket) warnings.push(`bucket policy of ${bucket.name} not checked: ${unreadable(bucket.policy)}`)

  const key = documents.key
  if (key?.kind === 'found') {
    const policy = compile(key.value.policy, `key policy of ${key.value.arn}`, 'resource')
    if (policy) out.key = { arn: key.value.arn, policy, state: key.value.state, awsManaged: key.value.awsManaged }
  } else if (key?.kind === 'unreadable') warnings.push(`key policy not checked: ${key.reason}`)

  const vpc = documents.vpc
  if (vpc?.kind === 'found') {
    out.vpcId = vpc.value.id
    const endpoints = new Map<EndpointService, CompiledEndpoint[]>()
    for (const endpoint of vpc.value.endpoints) {
      const policy = compile(
        endpoint.policy,
        `policy of VPC endpoint ${endpoint.id} (${endpoint.serviceName})`,
        'endpoint',
      )
      if (policy)
        endpoints.set(endpoint.service, [...(endpoints.get(endpoint.service) ?? []), { policy, id: endpoint.id }])
    }
    out.endpoints = endpoints
  } else if (vpc?.kind === 'unreadable') warnings.push(`VPC endpoint policies not checked: ${vpc.reason}`)

  const organization = documents.organization
  if (organization?.kind === 'found') {
    const scps = compileLevels(organization.value.scps, 'SCP', 'scp', compile)
    const rcps = compileLevels(organization.value.rcps, 'RCP', 'rcp', compile)
    // A level with a policy left out could only be guessed: the organization is not checked at all then.
    if (scps !== undefined && rcps !== undefined) {
      out.scps = scps.policies.length > 0 ? scps : null
      out.rcps = rcps.policies.length > 0 ? rcps : null
      const management = (organization.value as { managementAccount?: string }).managementAccount
      if (management) out.managementAccount = management
    }
  } else if (organization?.kind === 'unreadable') warnings.push(`SCPs and RCPs not checked: ${organization.reason}`)
  return out
}

function compileLevels(
  levels: readonly OrganizationLevel[],
  label: 'SCP' | 'RCP',
  kind: 'scp' | 'rcp',
  compile: (doc: unknown, name: string, kind: PolicyKind) => CompiledPolicy | undefined,
): CompiledLevels | undefined {
  const out: CompiledLevels = { policies: [], names: [] }
  for (const level of levels) {
    const compiled: CompiledPolicy[] = []
    for (const p of level.policies) {
      const policy = compile(
        p.document,
        `${label} ${p.name}${p.id ? ` (${p.id})` : ''} attached to ${level.target}`,
        kind,
      )
      if (!policy) return undefined
      compiled.push(policy)
    }
    out.policies.push(compiled)
    out.names.push(`${label}s attached to ${level.target}`)
  }
  return out
}

function unreadable(read: { kind: string; reason?: string }): string {
  return read.reason ?? read.kind
}
