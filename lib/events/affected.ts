/**
 * Which environments (and so which execution roles) an event about a document beyond the role affects: the
 * environments whose DAG bucket it is, whose key it is, whose VPC the endpoint is in, or, for an organization policy,
 * every one. The shell describes the environments (and resolves key ids and VPCs); this only compares.
 */
import type { Target } from './targets'

/** What the comparison needs of one environment, as described live. */
export type EnvironmentResources = {
  name: string
  region: string
  roleArn: string
  /** the DAG bucket's name */
  bucket: string
  /** the customer managed key's id (resolved from an alias ARN by the shell), if any */
  keyId?: string
  /** the VPC of its subnets, once the shell has looked it up */
  vpcId?: string
}

export type ResourceTarget = Extract<Target, { kind: 'bucket' | 'kms-key' | 'vpc-endpoint' | 'organization' }>

/** The environments `target` may have changed something for; `endpointVpc` is the VPC of a vpc-endpoint target. */
export function affectedEnvironments<E extends EnvironmentResources>(
  target: ResourceTarget,
  environments: readonly E[],
  endpointVpc?: string,
): E[] {
  switch (target.kind) {
    // Bucket names are global (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
    case 'bucket':
      return environments.filter((e) => e.bucket === target.bucket)
    // Key ids are unique per region and account; a multi-Region key's replicas share it, each in its own region.
    case 'kms-key':
      return environments.filter((e) => e.region === target.region && e.keyId === target.keyId)
    case 'vpc-endpoint':
      return endpointVpc === undefined
        ? []
        : environments.filter((e) => e.region === target.region && e.vpcId === endpointVpc)
    case 'organization':
      return [...environments]
  }
}

/** True for the targets this module maps (the documents beyond the role). */
export function isResourceTarget(target: Target): target is ResourceTarget {
  return (
    target.kind === 'bucket' ||
    target.kind === 'kms-key' ||
    target.kind === 'vpc-endpoint' ||
    target.kind === 'organization'
  )
}
