/**
 * When an organization's SCPs and RCPs apply to a request, and the documented cases where they do not.
 * SCPs limit the IAM users and roles of member accounts (the caller's side); RCPs limit the resources of member
 * accounts (the resource's side).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
import { type Caller, CallerType, isIamPrincipal } from './caller'

/** A policy type that was given but does not apply to this request, and why. */
export type Exemption = { readonly kind: 'scp' | 'rcp'; readonly reason: string; readonly doc: string }

const SCPS = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html'
const RCPS = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html'

/**
 * Service prefixes whose resources RCPs apply to. The RCP page lists S3, STS, KMS, SQS and Secrets Manager (the
 * services at launch); Amazon ECR and OpenSearch Serverless, then Amazon Cognito and CloudWatch Logs were added later.
 * A service missing here would make an RCP Deny go unreported, so the list errs on the side of more services.
 */
export const RCP_SERVICES: ReadonlySet<string> = new Set([
  's3',
  'sts',
  'kms',
  'sqs',
  'secretsmanager',
  'ecr',
  'aoss',
  'cognito-idp',
  'cognito-identity',
  'logs',
])

const SERVICE_LINKED_ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/aws-service-role\//

/** Why the caller's SCPs do not apply, or undefined when they do. */
export function scpExemption(caller: Caller, managementAccount: string | undefined): Exemption | undefined {
  if (!isIamPrincipal(caller)) {
    return { kind: 'scp', reason: 'SCPs only limit the IAM users and roles of member accounts', doc: SCPS }
  }
  if (caller.serviceLinked) return { kind: 'scp', reason: 'SCPs do not affect service-linked roles', doc: SCPS }
  if (caller.account !== undefined && caller.account === managementAccount) {
    return { kind: 'scp', reason: "SCPs don't affect users or roles in the management account", doc: SCPS }
  }
  return undefined
}

/** Why the resource account's RCPs do not apply, or undefined when they do (`action` lowercase, `service` its prefix). */
export function rcpExemption(
  { service, action, resource }: { service: string; action: string; resource: string },
  caller: Caller,
  resourceAccount: string | undefined,
  managementAccount: string | undefined,
  awsManagedKey: boolean,
): Exemption | undefined {
  if (!RCP_SERVICES.has(service)) {
    return { kind: 'rcp', reason: `RCPs do not apply to ${service} resources`, doc: `${RCPS}#rcp-supported-services` }
  }
  if (resourceAccount !== undefined && resourceAccount === managementAccount) {
    return { kind: 'rcp', reason: "RCPs don't affect resources in the management account", doc: RCPS }
  }
  if (awsManagedKey && service === 'kms') {
    return {
      kind: 'rcp',
      reason: 'RCPs do not apply to AWS managed keys',
      doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html',
    }
  }
  if (caller.type === CallerType.service && action === 'sts:assumerole' && SERVICE_LINKED_ROLE.test(resource)) {
    return { kind: 'rcp', reason: 'RCPs do not restrict a service assuming its service-linked role', doc: RCPS }
  }
  return undefined
}
