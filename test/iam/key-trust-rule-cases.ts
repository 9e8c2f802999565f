/**
 * Documented cases for the policies that must allow by themselves (KMS key policies, role trust policies) and for the
 * service-side rules that no policy changes.
 */
import { DOC } from './docs'
import type { AccessRow } from './policy-type-cases'

const v12 = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const allow = (Action: unknown, Resource: unknown = '*') => v12({ Effect: 'Allow', Action, Resource })
const ADMIN = allow('*')

// policy-evaluation.html (troubleshooting key access): Alice, and Bob's Engineering role across accounts
const A1 = '111122223333'
const A2 = '444455556666'
const KEY = `arn:aws:kms:us-west-2:${A1}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
const KEY_2 = `arn:aws:kms:us-west-2:${A2}:key/0987dcba-09fe-87dc-65ba-ab0987654321`
const ALICE = `arn:aws:iam::${A1}:user/Alice`
const APP = `arn:aws:iam::${A1}:role/EncryptionApp`
const APP_SESSION = `arn:aws:sts::${A1}:assumed-role/EncryptionApp/app`
const ENGINEERING = `arn:aws:sts::${A1}:assumed-role/Engineering/bob`
const DELEGATE_TO_IAM = v12({
  Sid: 'Delegate to IAM policies',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${A1}:root` },
  Action: 'kms:*',
  Resource: '*',
})
const USE_OF_KEY = {
  Sid: 'Allow use of the key',
  Effect: 'Allow',
  Principal: { AWS: APP },
  Action: ['kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:Decrypt'],
  Resource: '*',
}
const KEY_POLICY_ACCT_2 = v12(
  {
    Sid: 'Permission to use IAM policies',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${A2}:root` },
    Action: 'kms:*',
    Resource: '*',
  },
  {
    Sid: 'Allow account 1 to use this KMS key',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${A1}:root` },
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    Resource: '*',
  },
)
const decrypt = (resource = KEY) => ({ action: 'kms:Decrypt', resource })

const keyRows: AccessRow[] = [
  {
    doc: DOC.keyAccess,
    name: 'Alice: the default key policy delegates to IAM, but no IAM policy allows her: denied',
    principal: ALICE,
    identity: [],
    resource: DELEGATE_TO_IAM,
    request: decrypt(),
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.keyPolicyDefault,
    name: 'with the default key policy an IAM policy allowing kms:Decrypt is effective',
    principal: ALICE,
    identity: [allow('kms:Decrypt', KEY)],
    resource: DELEGATE_TO_IAM,
    request: decrypt(),
    expected: 'allowed',
  },
  {
    doc: DOC.keyPolicyDefault,
    name: 'without the statement that enables IAM policies, an IAM policy that allows the key is ineffective',
    principal: APP_SESSION,
    identity: [allow('kms:*')],
    resource: v12({ ...USE_OF_KEY, Principal: { AWS: `arn:aws:iam::${A1}:role/Other` } }),
    request: decrypt(),
    expected: 'implicitDeny',
    missing: ['resourcePolicy'],
  },
  {
    doc: DOC.keyPolicyDefault,
    name: 'IAM policies that deny access to the key are still effective',
    principal: APP_SESSION,
    identity: [v12({ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' })],
    resource: v12(USE_OF_KEY),
    request: decrypt(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.keyPolicy,
    name: 'a key policy statement naming the role lets its sessions use the key without an IAM policy',
    principal: APP_SESSION,
    identity: [],
    resource: v12(USE_OF_KEY),
    request: decrypt(),
    expected: 'allowed',
  },
  {
    doc: DOC.keyPolicy,
    name: 'the key policy names the role for cryptographic operations only: ScheduleKeyDeletion is not allowed',
    principal: APP_SESSION,
    identity: [ADMIN],
    resource: v12(USE_OF_KEY),
    request: { action: 'kms:ScheduleKeyDeletion', resource: KEY },
    expected: 'implicitDeny',
    missing: ['resourcePolicy'],
  },
  {
    doc: DOC.keyAccess,
    name: "Bob's Engineering role uses a key of account 2: the key policy allows account 1 and an IAM policy allows the role",
    principal: ENGINEERING,
    identity: [allow(['kms:Decrypt', 'kms:Encrypt'], KEY_2)],
    resource: KEY_POLICY_ACCT_2,
    request: decrypt(KEY_2),
    expected: 'allowed',
  },
  {
    doc: DOC.keyAccess,
    name: 'no one in account 1 can use the key of account 2 until an IAM policy in account 1 allows it',
    principal: ENGINEERING,
    identity: [],
    resource: KEY_POLICY_ACCT_2,
    request: decrypt(KEY_2),
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.keyPolicy,
    name: 'Principal "*" in a key policy: a user of another account just needs IAM permission in its own account',
    principal: `arn:aws:iam::${A2}:user/someone`,
    identity: [allow('kms:Decrypt', KEY)],
    resource: v12({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }),
    request: decrypt(),
    expected: 'allowed',
  },
]

const ROLE = `arn:aws:iam::${A1}:role/mwaa-exec`
const assume = { action: 'sts:AssumeRole', resource: ROLE }

const trustRows: AccessRow[] = [
  {
    doc: DOC.denyAllow,
    name: 'a trust policy naming the account delegates: the caller also needs sts:AssumeRole in an identity policy',
    principal: `arn:aws:iam::${A1}:user/ops`,
    identity: [],
    resource: v12({ Effect: 'Allow', Principal: { AWS: A1 }, Action: 'sts:AssumeRole' }),
    request: assume,
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.denyAllow,
    name: 'a trust policy naming the user: no identity-based permission needed in the same account',
    principal: `arn:aws:iam::${A1}:user/ops`,
    identity: [],
    resource: v12({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A1}:user/ops` }, Action: 'sts:AssumeRole' }),
    request: assume,
    expected: 'allowed',
  },
  {
    doc: DOC.roleTrust,
    name: 'an identity-based Allow of sts:AssumeRole is not enough when the trust policy does not trust the caller',
    principal: `arn:aws:iam::${A1}:user/ops`,
    identity: [allow('sts:AssumeRole', ROLE)],
    resource: v12({ Effect: 'Allow', Principal: { Service: 'airflow.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    request: assume,
    expected: 'implicitDeny',
    missing: ['resourcePolicy'],
  },
  {
    doc: DOC.mwaaRole,
    name: 'MWAA (airflow-env.amazonaws.com) assumes the execution role its trust policy names',
    principal: 'airflow-env.amazonaws.com',
    resource: v12({
      Effect: 'Allow',
      Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    }),
    request: assume,
    expected: 'allowed',
  },
]

const SLR = `arn:aws:iam::${A1}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`
const SSO_ROLE = `arn:aws:iam::${A1}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`
const ADMIN_SESSION = `arn:aws:sts::${A1}:assumed-role/Admin/me`

const ruleRows: AccessRow[] = [
  {
    doc: DOC.callerIdentity,
    name: 'sts:GetCallerIdentity needs no permission',
    principal: ADMIN_SESSION,
    identity: [],
    request: { action: 'sts:GetCallerIdentity', resource: '*' },
    expected: 'allowed',
    rule: 'get-caller-identity',
  },
  {
    doc: DOC.callerIdentity,
    name: 'an explicit Deny of sts:GetCallerIdentity does not stop it',
    principal: ADMIN_SESSION,
    identity: [v12({ Effect: 'Deny', Action: 'sts:*', Resource: '*' })],
    scps: [[v12({ Effect: 'Deny', Action: '*', Resource: '*' })]],
    request: { action: 'sts:GetCallerIdentity', resource: '*' },
    expected: 'allowed',
    rule: 'get-caller-identity',
  },
  {
    doc: DOC.managedPolicies,
    name: 'nobody can change the permissions of an AWS managed policy, not even an administrator',
    principal: ADMIN_SESSION,
    identity: [ADMIN],
    request: { action: 'iam:CreatePolicyVersion', resource: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    expected: 'explicitDeny',
    rule: 'aws-managed-policy',
  },
  {
    doc: DOC.managedPolicies,
    name: 'attaching an AWS managed policy is up to the policies',
    principal: ADMIN_SESSION,
    identity: [ADMIN],
    request: { action: 'iam:AttachRolePolicy', resource: ROLE },
    expected: 'allowed',
  },
  {
    doc: DOC.serviceLinked,
    name: 'an administrator can view but not edit the permissions of a service-linked role',
    principal: ADMIN_SESSION,
    identity: [ADMIN],
    request: { action: 'iam:PutRolePolicy', resource: SLR },
    expected: 'explicitDeny',
    rule: 'service-linked-role',
  },
  {
    doc: DOC.serviceLinked,
    name: 'the description of a service-linked role stays editable',
    principal: ADMIN_SESSION,
    identity: [ADMIN],
    request: { action: 'iam:UpdateRoleDescription', resource: SLR },
    expected: 'allowed',
  },
  {
    doc: DOC.reservedRoles,
    name: 'a role IAM Identity Center created under /aws-reserved/ cannot be changed in IAM',
    principal: ADMIN_SESSION,
    identity: [ADMIN],
    request: { action: 'iam:AttachRolePolicy', resource: SSO_ROLE },
    expected: 'explicitDeny',
    rule: 'aws-reserved-role',
  },
  {
    doc: DOC.keyAlias,
    name: 'the alias/aws/ prefix is reserved for AWS managed keys: no one creates such an alias',
    principal: ADMIN_SESSION,
    identity: [ADMIN],
    request: { action: 'kms:CreateAlias', resource: `arn:aws:kms:us-east-1:${A1}:alias/aws/airflow` },
    expected: 'explicitDeny',
    rule: 'aws-managed-alias',
  },
]

export const keyTrustRuleRows: AccessRow[] = [...keyRows, ...trustRows, ...ruleRows]
