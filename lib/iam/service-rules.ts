/**
 * Decisions AWS services make whatever the policies say. Each rule names the page that states it.
 */
import { type Caller, CallerType } from './caller'

export type ServiceRule = {
  readonly id:
    | 'get-caller-identity'
    | 'aws-managed-policy'
    | 'service-linked-role'
    | 'aws-reserved-role'
    | 'aws-managed-key'
    | 'aws-managed-alias'
  readonly effect: 'allow' | 'deny'
  readonly reason: string
  readonly doc: string
}

const RULES = {
  callerIdentity: {
    id: 'get-caller-identity',
    effect: 'allow',
    reason: 'sts:GetCallerIdentity needs no permission, and a Deny does not stop it',
    doc: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
  },
  managedPolicy: {
    id: 'aws-managed-policy',
    effect: 'deny',
    reason: 'nobody can change or delete an AWS managed policy',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies',
  },
  serviceLinkedRole: {
    id: 'service-linked-role',
    effect: 'deny',
    reason: 'only the service that owns a service-linked role can change or delete it (UnmodifiableEntity)',
    doc: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html',
  },
  reservedRole: {
    id: 'aws-reserved-role',
    effect: 'deny',
    reason: 'a role under /aws-reserved/ is only modifiable by AWS (IAM Identity Center manages it)',
    doc: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html',
  },
  managedKey: {
    id: 'aws-managed-key',
    effect: 'deny',
    reason: "nobody can change an AWS managed key's properties or key policy, rotate it or schedule its deletion",
    doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key',
  },
  managedAlias: {
    id: 'aws-managed-alias',
    effect: 'deny',
    reason: 'the alias/aws/ prefix is reserved for AWS managed keys',
    doc: 'https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
  },
} as const satisfies Record<string, ServiceRule>

const POLICY_CHANGES = new Set([
  'iam:createpolicyversion',
  'iam:deletepolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:deletepolicy',
])
// what changes a role's permissions or removes it; a service-linked role's description stays editable
const ROLE_CHANGES = new Set([
  'iam:putrolepolicy',
  'iam:deleterolepolicy',
  'iam:attachrolepolicy',
  'iam:detachrolepolicy',
  'iam:updateassumerolepolicy',
  'iam:putrolepermissionsboundary',
  'iam:deleterolepermissionsboundary',
  'iam:deleterole',
])
const KEY_CHANGES = new Set([
  'kms:putkeypolicy',
  'kms:schedulekeydeletion',
  'kms:cancelkeydeletion',
  'kms:disablekey',
  'kms:enablekey',
  'kms:enablekeyrotation',
  'kms:disablekeyrotation',
  'kms:rotatekeyondemand',
  'kms:updatekeydescription',
  'kms:tagresource',
  'kms:untagresource',
])
const ALIAS_CHANGES = new Set(['kms:createalias', 'kms:updatealias', 'kms:deletealias'])

const MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\//
const PROTECTED_ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/(aws-service-role|aws-reserved)\/([^/]+)\//
const MANAGED_ALIAS = /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:alias\/aws\//

/** The service-side rule that decides this request regardless of policies, if any. `action` is lowercase. */
export function serviceRule(
  action: string,
  resource: string,
  caller: Caller,
  awsManagedKey: boolean,
): ServiceRule | undefined {
  if (action === 'sts:getcalleridentity') return caller.type === CallerType.anonymous ? undefined : RULES.callerIdentity
  if (POLICY_CHANGES.has(action) && MANAGED_POLICY.test(resource)) return RULES.managedPolicy
  if (ROLE_CHANGES.has(action)) {
    const role = PROTECTED_ROLE.exec(resource)
    if (role !== null) {
      // the owning service (the path names it) makes these changes; IAM Identity Center changes its /aws-reserved/
      // roles through its service-linked role (the AWSSSOServiceRolePolicy managed policy grants exactly that)
      const owner = caller.type === CallerType.service && caller.id === role[2]
      if (role[1] === 'aws-service-role' && !owner) return RULES.serviceLinkedRole
      if (role[1] === 'aws-reserved' && !owner && !caller.serviceLinked) return RULES.reservedRole
    }
  }
  if (awsManagedKey && KEY_CHANGES.has(action)) return RULES.managedKey
  if (ALIAS_CHANGES.has(action) && MANAGED_ALIAS.test(resource) && caller.type !== CallerType.service) {
    return RULES.managedAlias
  }
  return undefined
}
