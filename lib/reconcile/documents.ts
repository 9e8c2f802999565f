/**
 * The documents beyond the role in the shell: read for the environments a reconcile checks, forgotten when an event
 * says one changed, and mapped back to the roles an event about one affects. Reads go through the adapters' caches
 * (lib/aws/s3, kms, ec2, organizations): an environment whose resources have not changed costs no call.
 */
import type { Deployment } from '../baseline/deployment'
import type { MwaaEnvironment } from '../baseline/types'
import { validateEnvironment } from '../baseline/validate-environment'
import { readEnvironmentDocuments } from '../aws/environment-documents'
import { keyIdOf } from '../aws/kms'
import { roleNameFromArn } from '../aws/iam'
import type { DocumentsByEnvironment } from '../drift/find-drift'
import { affectedEnvironments, type EnvironmentResources, type ResourceTarget } from '../events'
import { GONE_STATUSES, type LocatedEnvironment } from './environments'
import type { Deps } from './types'

/** The documents of each environment (by name); undefined without document adapters (then the role alone is checked). */
export async function documentsFor(
  deps: Pick<Deps, 'documents' | 'deployment'>,
  located: ReadonlyArray<Pick<LocatedEnvironment, 'environment' | 'region'>>,
): Promise<DocumentsByEnvironment | undefined> {
  const adapters = deps.documents
  if (!adapters || located.length === 0) return undefined
  const { accountId } = await deps.deployment()
  const read = await Promise.all(
    located.map(
      async (l) =>
        [l.environment.Name, await readEnvironmentDocuments(adapters, l.environment, l.region, accountId)] as const,
    ),
  )
  return new Map(read)
}

/** Forgets, in this process's caches, the document the event changed (the next read is live). */
export function forgetDocument(deps: Pick<Deps, 'documents'>, target: ResourceTarget): void {
  const adapters = deps.documents
  if (!adapters) return
  switch (target.kind) {
    case 'bucket':
      adapters.s3.forget(target.bucket)
      break
    case 'kms-key':
      adapters.kms.forget(target.keyId)
      break
    case 'vpc-endpoint':
      adapters.ec2.forgetEndpoint(target.endpointId)
      break
    case 'organization':
      adapters.organizations?.forget(target.policyId)
      break
  }
}

/**
 * The execution roles of the environments an event about a document affects: the bucket's, the key's, those in the
 * endpoint's VPC, or every one for an organization policy (only when SCPs and RCPs are read at all). Every environment
 * of the watched regions is described (cached 60 s) and validated first; refused data is never used.
 */
export async function rolesAffectedBy(deps: Deps, target: ResourceTarget): Promise<string[]> {
  if (target.kind === 'organization' && !deps.config.readOrganizationPolicies) {
    deps.log.info('organization policy changed; SCPs and RCPs are not read (READ_ORGANIZATION_POLICIES is off)')
    return []
  }
  const deployment = await deps.deployment()
  const described = await describedEnvironments(deps, deployment)
  const endpointVpc =
    target.kind === 'vpc-endpoint' && deps.documents
      ? await deps.documents.ec2.vpcOfEndpoint(target.endpointId, target.region)
      : undefined
  const candidates: Array<EnvironmentResources & { environment: MwaaEnvironment }> = []
  for (const { environment, region } of described) {
    const roleArn = environment.ExecutionRoleArn
    const resources: EnvironmentResources & { environment: MwaaEnvironment } = {
      environment,
      name: environment.Name,
      region,
      roleArn,
      bucket: environment.SourceBucketArn.slice(environment.SourceBucketArn.indexOf(':::') + 3),
    }
    if (target.kind === 'kms-key' && environment.KmsKey) resources.keyId = await keyIdFor(deps, environment.KmsKey)
    if (
      target.kind === 'vpc-endpoint' &&
      endpointVpc &&
      deps.documents &&
      environment.NetworkConfiguration?.SubnetIds
    ) {
      const vpc = await deps.documents.ec2.vpcOfSubnets(environment.NetworkConfiguration.SubnetIds, region)
      if (vpc.kind === 'found') resources.vpcId = vpc.value
    }
    candidates.push(resources)
  }
  const roles = new Map<string, string>()
  for (const e of affectedEnvironments(target, candidates, endpointVpc)) {
    const role = roleNameFromArn(e.roleArn)
    if (role) roles.set(role.toLowerCase(), role)
  }
  return [...roles.values()]
}

/** A key ARN's id; an alias ARN's through DescribeKey (cached), or undefined when it cannot be read. */
async function keyIdFor(deps: Deps, kmsKey: string): Promise<string | undefined> {
  if (kmsKey.includes(':key/')) return keyIdOf(kmsKey)
  const key = await deps.documents?.kms.key(kmsKey)
  return key?.kind === 'found' ? keyIdOf(key.value.arn) : undefined
}

async function describedEnvironments(deps: Deps, deployment: Deployment): Promise<LocatedEnvironment[]> {
  const out: LocatedEnvironment[] = []
  for (const region of deployment.regions) {
    for (const name of await deps.mwaa.listEnvironments(region)) {
      const result = await deps.mwaa.getEnvironment(name, region)
      if (result.kind !== 'found' || GONE_STATUSES.has(result.environment.Status ?? '')) continue
      const check = validateEnvironment(result.environment, deployment, region)
      if (check.kind === 'valid') out.push({ region, environment: check.environment })
    }
  }
  return out
}
