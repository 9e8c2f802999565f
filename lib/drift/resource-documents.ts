/**
 * The documents beyond the role that decide whether an environment's requests succeed, as the adapters read them:
 * the DAG bucket's policy, the customer managed key's policy and state, the policies of the VPC endpoints of the
 * environment's VPC, and the organization's SCPs and RCPs. Plain data (live state, decoded by the adapters).
 */
import type { PolicyDocument } from '../iam/types'

/** One read document: found, absent (no bucket policy, no endpoint), or not readable (AccessDenied...) and why. */
export type DocumentRead<T> = { kind: 'found'; value: T } | { kind: 'none' } | { kind: 'unreadable'; reason: string }

/** The services whose VPC endpoints carry an MWAA environment's requests (see endpoint-model.ts). */
export const EndpointService = { s3: 's3', sqs: 'sqs', logs: 'logs', kms: 'kms', monitoring: 'monitoring' } as const
export type EndpointService = (typeof EndpointService)[keyof typeof EndpointService]

/** A VPC endpoint of the environment's VPC that serves one of those services. */
export type VpcEndpointDocument = {
  id: string
  /** com.amazonaws.REGION.SERVICE */
  serviceName: string
  service: EndpointService
  /** Gateway or Interface */
  type: string
  /** absent: the default policy, full access (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html) */
  policy: PolicyDocument
}

/** A customer managed key: its policy and what DescribeKey says of it. */
export type KeyDocuments = {
  arn: string
  policy: PolicyDocument
  /** KeyState: Enabled, Disabled, PendingDeletion, ... */
  state: string
  /** KeyManager AWS: an AWS managed key (its policy cannot be changed) */
  awsManaged: boolean
}

/** One level of an organization (root, OU, account) and the policies of one type attached there. */
export type OrganizationLevel = {
  /** r-xxxx, ou-xxxx-xxxxxxxx or the account id */
  target: string
  policies: Array<{ id: string; name: string; document: PolicyDocument }>
}

/** The SCPs and RCPs that apply to the account, one level per entry from the root to the account. */
export type OrganizationPolicies = {
  scps: OrganizationLevel[]
  /** empty when RCPs are not enabled in the root (then none apply) */
  rcps: OrganizationLevel[]
}

/** Every document read for one environment; an absent field was not read (no such resource, or switched off). */
export type ResourceDocuments = {
  bucket?: { name: string; policy: DocumentRead<PolicyDocument> }
  key?: DocumentRead<KeyDocuments>
  vpc?: DocumentRead<{ id: string; endpoints: VpcEndpointDocument[] }>
  organization?: DocumentRead<OrganizationPolicies>
}
