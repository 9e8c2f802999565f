/**
 * Documented cases: each row is a policy set and a request whose outcome an AWS documentation page states (IAM,
 * Organizations, KMS, PrivateLink, STS; the sentence is paraphrased in the row name). Run through the evaluator and
 * through the CLI's `simulate` path. The rows for policy types beyond identity-based policies and boundaries live in
 * policy-type-cases.ts, guardrail-cases.ts and key-trust-rule-cases.ts.
 *
 * Where the pages are not explicit or disagree, and what we do:
 * - A resource policy naming the caller's own account: reference_policies_elements_principal.html says an account
 *   principal "delegates authority to the account", in a paragraph about other accounts. We read it the same within
 *   the account (the identity-based policies must allow), as the KMS default key policy page states for key policies.
 * - access_policies.html says "Resource-based policies that specify the user or role as the principal are not limited
 *   by the permissions boundary"; the evaluation-logic and boundaries pages say a grant to a role's ARN is limited by
 *   the boundary and the session policy. We follow the evaluation-logic pages.
 * - NotPrincipal with Deny: without the account's ARN "the policy might deny access" (notprincipal page). We spare a
 *   caller named by its own ARN (session or user), and deny one named only through its role or account.
 * - "AWS": "ACCOUNT" in an endpoint policy names the account's root user only: the page says so under gateway
 *   endpoints; we apply it to every endpoint policy.
 * - RCPs apply to "a subset of services": the stored RCP page's list was not readable past the launch services (S3,
 *   STS, KMS, SQS, Secrets Manager); ECR, OpenSearch Serverless, Cognito and CloudWatch Logs come from later
 *   announcements. Service-linked roles: only "a service assuming its service-linked role" is exempt from RCPs.
 * - A session's role is service-linked when its name starts with AWSServiceRoleFor (a session ARN has no path).
 * - /aws-reserved/ roles: the IAM User Guide does not list them; the IAM Identity Center guide says Identity Center
 *   manages them, and IAM answers "this role is only modifiable by AWS".
 *
 * Left out on purpose, because the docs disagree with themselves (behaviour unchanged):
 * - Bool with a policy variable: the operators page says "You can use a policy variable with the Boolean condition
 *   operator"; reference_policies_variables.html lists Boolean among the operators that take none. We substitute.
 * - aws:RequestTag/aws:ResourceTag: the global keys page once said "Tag keys and values are not case-sensitive";
 *   reference_policies_elements_condition.html says value case depends on the operator. Values stay case sensitive.
 * - reference_policies_condition_examples-single-valued-context-keys.html, first example: the text says the request
 *   "must include a project tag-value and cannot be created for a production resource", but the policy puts the two
 *   conditions in separate Allow statements, which are ORed; we follow the evaluation logic, not that sentence.
 */
import { describe, expect, it } from 'vitest'
import { simulateAll, type SimulateInput } from '../../lib/cli/simulate'
import type { Decision, RequestContext } from '../../lib/iam/index'
import { DOC } from './docs'
import { guardrailRows } from './guardrail-cases'
import { decide, decideAccess } from './harness'
import { keyTrustRuleRows } from './key-trust-rule-cases'
import { type AccessRow, policyTypeRowsA } from './policy-type-cases'

type Request = { action: string; resource: string; context?: RequestContext }
type Row = { doc: string; name: string; identity: unknown[]; boundary?: unknown; request: Request; expected: Decision }

const v12 = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' }
const allowIf = (Condition: unknown, Action: unknown = '*', Resource: unknown = '*') =>
  v12({ Effect: 'Allow', Action, Resource, Condition })
const denyIf = (Condition: unknown, Action: unknown = '*', Resource: unknown = '*') =>
  v12(ALLOW_ALL, { Effect: 'Deny', Action, Resource, Condition })
const req = (action: string, resource: string, context?: RequestContext): Request =>
  context === undefined ? { action, resource } : { action, resource, context }
const any = (context?: RequestContext) => req('svc:Act', 'arn:aws:svc:us-east-1:111122223333:thing/x', context)

const MFA = 'aws:MultiFactorAuthPresent'
const MFA_AGE = 'aws:MultiFactorAuthAge'
const mfaRows: Row[] = [
  {
    doc: DOC.mfaKey,
    name: 'Deny + Bool false does not deny long-term credentials (key absent)',
    identity: [denyIf({ Bool: { [MFA]: 'false' } })],
    request: any(),
    expected: 'allowed',
  },
  {
    doc: DOC.mfaKey,
    name: 'Deny + Bool false denies temporary credentials without MFA',
    identity: [denyIf({ Bool: { [MFA]: 'false' } })],
    request: any({ [MFA]: 'false' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.mfaKey,
    name: 'Deny + BoolIfExists false also denies long-term credentials (key absent)',
    identity: [denyIf({ BoolIfExists: { [MFA]: 'false' } })],
    request: any(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.mfaKey,
    name: 'Deny + BoolIfExists false does not deny MFA-authenticated requests',
    identity: [denyIf({ BoolIfExists: { [MFA]: 'false' } })],
    request: any({ [MFA]: 'true' }),
    expected: 'allowed',
  },
  {
    doc: DOC.mfaKey,
    name: 'Allow + BoolIfExists true allows long-term access keys (key absent)',
    identity: [allowIf({ BoolIfExists: { [MFA]: 'true' } })],
    request: any(),
    expected: 'allowed',
  },
  {
    doc: DOC.mfaKey,
    name: 'Allow + BoolIfExists true does not allow temporary credentials that could but do not include MFA',
    identity: [allowIf({ BoolIfExists: { [MFA]: 'true' } })],
    request: any({ [MFA]: 'false' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.mfaKey,
    name: 'Allow + Bool true does not allow long-term access keys',
    identity: [allowIf({ Bool: { [MFA]: 'true' } })],
    request: any(),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.mfaKey,
    name: 'Allow + Bool true allows MFA-authenticated requests',
    identity: [allowIf({ Bool: { [MFA]: 'true' } })],
    request: any({ [MFA]: 'true' }),
    expected: 'allowed',
  },
  {
    doc: DOC.mfaKey,
    name: 'Allow + Null false allows temporary credentials even without MFA',
    identity: [allowIf({ Null: { [MFA]: 'false' } })],
    request: any({ [MFA]: 'false' }),
    expected: 'allowed',
  },
  {
    doc: DOC.mfaKey,
    name: 'Allow + Null false denies long-term credentials',
    identity: [allowIf({ Null: { [MFA]: 'false' } })],
    request: any(),
    expected: 'implicitDeny',
  },
]

const RECENT_MFA = v12({
  Sid: 'AllowRemoveMfaOnlyIfRecentMfa',
  Effect: 'Allow',
  Action: ['iam:DeactivateMFADevice'],
  Resource: 'arn:aws:iam::*:user/${aws:username}',
  Condition: { NumericLessThanEquals: { [MFA_AGE]: '3600' } },
})
const ana = 'arn:aws:iam::111122223333:user/ana'
const mfaAgeRows: Row[] = [
  {
    doc: DOC.condition,
    name: 'MFA in the last hour: true',
    identity: [RECENT_MFA],
    request: req('iam:DeactivateMFADevice', ana, { 'aws:username': 'ana', [MFA_AGE]: '1200' }),
    expected: 'allowed',
  },
  {
    doc: DOC.condition,
    name: 'MFA more than an hour ago: false',
    identity: [RECENT_MFA],
    request: req('iam:DeactivateMFADevice', ana, { 'aws:username': 'ana', [MFA_AGE]: '3601' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.condition,
    name: 'access keys: the key is not present and does not match',
    identity: [RECENT_MFA],
    request: req('iam:DeactivateMFADevice', ana, { 'aws:username': 'ana' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.condition,
    name: "another user's MFA device is not their own resource",
    identity: [RECENT_MFA],
    request: req('iam:DeactivateMFADevice', 'arn:aws:iam::111122223333:user/bob', {
      'aws:username': 'ana',
      [MFA_AGE]: '10',
    }),
    expected: 'implicitDeny',
  },
]

const PRODUCTION = v12(
  { Sid: 'ListAllS3Buckets', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: 'arn:aws:s3:::*' },
  {
    Sid: 'AllowBucketLevelActions',
    Effect: 'Allow',
    Action: ['s3:ListBucket', 's3:GetBucketLocation'],
    Resource: 'arn:aws:s3:::*',
  },
  {
    Sid: 'AllowBucketObjectActions',
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObject', 's3:GetObjectAcl', 's3:DeleteObject'],
    Resource: 'arn:aws:s3:::*/*',
  },
  {
    Sid: 'RequireMFAForProductionBucket',
    Effect: 'Deny',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::Production/*', 'arn:aws:s3:::Production'],
    Condition: { NumericGreaterThanIfExists: { [MFA_AGE]: '1800' } },
  },
)
const EC2_MFA = v12(
  { Sid: 'AllowAllActionsForEC2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
  {
    Sid: 'DenyStopAndTerminateWhenMFAIsNotPresent',
    Effect: 'Deny',
    Action: ['ec2:StopInstances', 'ec2:TerminateInstances'],
    Resource: '*',
    Condition: { BoolIfExists: { [MFA]: false } },
  },
)
const MFA_DATES = allowIf(
  {
    Bool: { [MFA]: true },
    DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' },
    DateLessThan: { 'aws:CurrentTime': '2017-12-31T23:59:59Z' },
  },
  ['service-prefix-1:*', 'service-prefix-2:action-name-a', 'service-prefix-2:action-name-b'],
)
const COST_CENTER = v12({
  Effect: 'Allow',
  Action: ['ec2:startInstances', 'ec2:stopInstances'],
  Resource: '*',
  Condition: { StringEquals: { 'aws:ResourceTag/CostCenter': '${aws:PrincipalTag/CostCenter}' } },
})
const EBS = v12(
  {
    Effect: 'Allow',
    Action: ['ec2:AttachVolume', 'ec2:DetachVolume'],
    Resource: 'arn:aws:ec2:*:*:instance/*',
    Condition: { StringEquals: { 'aws:ResourceTag/Department': 'Development' } },
  },
  {
    Effect: 'Allow',
    Action: ['ec2:AttachVolume', 'ec2:DetachVolume'],
    Resource: 'arn:aws:ec2:*:*:volume/*',
    Condition: { StringEquals: { 'aws:ResourceTag/VolumeUser': '${aws:username}' } },
  },
)
const TAGGED_ROLE = v12({
  Sid: 'AssumeTaggedRole',
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Resource: '*',
  Condition: { StringEquals: { 'iam:ResourceTag/Project': 'ExampleCorpABC' } },
})
const MY_TABLE = v12(
  {
    Sid: 'ListAndDescribe',
    Effect: 'Allow',
    Action: [
      'dynamodb:List*',
      'dynamodb:DescribeReservedCapacity*',
      'dynamodb:DescribeLimits',
      'dynamodb:DescribeTimeToLive',
    ],
    Resource: '*',
  },
  {
    Sid: 'SpecificTable',
    Effect: 'Allow',
    Action: [
      'dynamodb:BatchGet*',
      'dynamodb:DescribeStream',
      'dynamodb:DescribeTable',
      'dynamodb:Get*',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:BatchWrite*',
      'dynamodb:CreateTable',
      'dynamodb:Delete*',
      'dynamodb:Update*',
      'dynamodb:PutItem',
    ],
    Resource: 'arn:aws:dynamodb:*:*:table/MyTable',
  },
)
const i1 = 'arn:aws:ec2:us-east-1:111122223333:instance/i-1'
const vol = 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1'
const table = (name: string) => `arn:aws:dynamodb:us-east-1:111122223333:table/${name}`
const exampleRows: Row[] = [
  {
    doc: DOC.exProduction,
    name: 'Production bucket with MFA 10 minutes old',
    identity: [PRODUCTION],
    request: req('s3:GetObject', 'arn:aws:s3:::Production/report.csv', { [MFA_AGE]: '600' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exProduction,
    name: 'Production bucket with MFA older than 30 minutes is denied',
    identity: [PRODUCTION],
    request: req('s3:GetObject', 'arn:aws:s3:::Production/report.csv', { [MFA_AGE]: '3600' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exProduction,
    name: 'Production bucket with long-term access keys (no MFA age) is denied',
    identity: [PRODUCTION],
    request: req('s3:ListBucket', 'arn:aws:s3:::Production'),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exProduction,
    name: 'any other bucket needs no MFA',
    identity: [PRODUCTION],
    request: req('s3:PutObject', 'arn:aws:s3:::Staging/report.csv'),
    expected: 'allowed',
  },
  {
    doc: DOC.exProduction,
    name: 'an action the policy does not list is not allowed',
    identity: [PRODUCTION],
    request: req('s3:DeleteBucket', 'arn:aws:s3:::Staging'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exRequireMfa,
    name: 'StopInstances without the MFA context is denied',
    identity: [EC2_MFA],
    request: req('ec2:StopInstances', i1),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exRequireMfa,
    name: 'StopInstances with MFA is allowed',
    identity: [EC2_MFA],
    request: req('ec2:StopInstances', i1, { [MFA]: 'true' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exRequireMfa,
    name: 'other EC2 actions need no MFA',
    identity: [EC2_MFA],
    request: req('ec2:DescribeInstances', '*'),
    expected: 'allowed',
  },
  {
    doc: DOC.exMfaDates,
    name: 'MFA and a date inside July-December 2017',
    identity: [MFA_DATES],
    request: req('service-prefix-1:AnyAction', '*', { [MFA]: 'true', 'aws:CurrentTime': '2017-08-01T12:00:00Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exMfaDates,
    name: 'MFA but after the end date',
    identity: [MFA_DATES],
    request: req('service-prefix-1:AnyAction', '*', { [MFA]: 'true', 'aws:CurrentTime': '2018-01-01T00:00:00Z' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMfaDates,
    name: 'inside the dates but without MFA (all conditions are ANDed)',
    identity: [MFA_DATES],
    request: req('service-prefix-2:action-name-a', '*', { 'aws:CurrentTime': '2017-08-01T12:00:00Z' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMfaDates,
    name: 'an action of service 2 that is not listed',
    identity: [MFA_DATES],
    request: req('service-prefix-2:action-name-c', '*', { [MFA]: 'true', 'aws:CurrentTime': '2017-08-01T12:00:00Z' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMatchTags,
    name: 'CostCenter tags equal: StartInstances allowed (policy action lowercase)',
    identity: [COST_CENTER],
    request: req('ec2:StartInstances', i1, {
      'aws:ResourceTag/CostCenter': 'cc-1',
      'aws:PrincipalTag/CostCenter': 'cc-1',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.exMatchTags,
    name: 'CostCenter tags differ',
    identity: [COST_CENTER],
    request: req('ec2:StopInstances', i1, {
      'aws:ResourceTag/CostCenter': 'cc-1',
      'aws:PrincipalTag/CostCenter': 'cc-2',
    }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMatchTags,
    name: 'principal without a CostCenter tag',
    identity: [COST_CENTER],
    request: req('ec2:StopInstances', i1, { 'aws:ResourceTag/CostCenter': 'cc-1' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMatchTags,
    name: 'tag key names in other case still match (keys are not case-sensitive)',
    identity: [COST_CENTER],
    request: req('ec2:StopInstances', i1, {
      'aws:resourcetag/costcenter': 'cc-1',
      'AWS:PrincipalTag/COSTCENTER': 'cc-1',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.exEbsOwner,
    name: 'attach to a Development instance',
    identity: [EBS],
    request: req('ec2:AttachVolume', i1, { 'aws:ResourceTag/Department': 'Development' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exEbsOwner,
    name: 'attach a volume whose VolumeUser is the user',
    identity: [EBS],
    request: req('ec2:AttachVolume', vol, { 'aws:ResourceTag/VolumeUser': 'ana', 'aws:username': 'ana' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exEbsOwner,
    name: "attach another user's volume",
    identity: [EBS],
    request: req('ec2:AttachVolume', vol, { 'aws:ResourceTag/VolumeUser': 'bob', 'aws:username': 'ana' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exEbsOwner,
    name: 'tag values are case sensitive: development is not Development',
    identity: [EBS],
    request: req('ec2:DetachVolume', i1, { 'aws:ResourceTag/Department': 'development' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exTaggedRole,
    name: 'assume a role tagged Project=ExampleCorpABC',
    identity: [TAGGED_ROLE],
    request: req('sts:AssumeRole', 'arn:aws:iam::111122223333:role/r', { 'iam:ResourceTag/Project': 'ExampleCorpABC' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exTaggedRole,
    name: 'a role with another Project tag',
    identity: [TAGGED_ROLE],
    request: req('sts:AssumeRole', 'arn:aws:iam::111122223333:role/r', { 'iam:ResourceTag/Project': 'Other' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMyTable,
    name: 'GetItem on MyTable',
    identity: [MY_TABLE],
    request: req('dynamodb:GetItem', table('MyTable')),
    expected: 'allowed',
  },
  {
    doc: DOC.exMyTable,
    name: 'GetItem on another table',
    identity: [MY_TABLE],
    request: req('dynamodb:GetItem', table('Other')),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exMyTable,
    name: 'ListTables on *',
    identity: [MY_TABLE],
    request: req('dynamodb:ListTables', '*'),
    expected: 'allowed',
  },
  {
    doc: DOC.exMyTable,
    name: 'DescribeReservedCapacityOfferings through the trailing wildcard',
    identity: [MY_TABLE],
    request: req('dynamodb:DescribeReservedCapacityOfferings', '*'),
    expected: 'allowed',
  },
]

const THREAD = 'arn:aws:dynamodb:us-east-1:111122223333:table/Thread'
const ONLY_ATTRS = allowIf(
  { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['ID', 'Message', 'Tags'] } },
  'dynamodb:GetItem',
  'arn:aws:dynamodb:*:*:table/Thread',
)
const NO_ID_UPDATE = denyIf(
  { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } },
  'dynamodb:PutItem',
  'arn:aws:dynamodb:*:*:table/Thread',
)
const attrs = (...a: string[]) => ({ 'dynamodb:Attributes': a })
const setRows: Row[] = [
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: Message and Tags are all listed',
    identity: [ONLY_ATTRS],
    request: req('dynamodb:GetItem', THREAD, attrs('Message', 'Tags')),
    expected: 'allowed',
  },
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: ID, Message and Tags are all listed',
    identity: [ONLY_ATTRS],
    request: req('dynamodb:GetItem', THREAD, attrs('ID', 'Message', 'Tags')),
    expected: 'allowed',
  },
  {
    doc: DOC.multiValue,
    name: 'ForAllValues: UserName is not listed',
    identity: [ONLY_ATTRS],
    request: req('dynamodb:GetItem', THREAD, attrs('ID', 'UserName')),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.multiValue,
    name: 'Deny ForAnyValue: PutItem of PostDateTime and Message is denied',
    identity: [NO_ID_UPDATE],
    request: req('dynamodb:PutItem', THREAD, attrs('PostDateTime', 'Message')),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.multiValue,
    name: 'Deny ForAnyValue: PutItem of UserName alone is not denied',
    identity: [NO_ID_UPDATE],
    request: req('dynamodb:PutItem', THREAD, attrs('UserName')),
    expected: 'allowed',
  },
  {
    doc: DOC.multiValue,
    name: 'Deny ForAnyValue: an empty list of attributes is not denied',
    identity: [NO_ID_UPDATE],
    request: req('dynamodb:PutItem', THREAD, attrs()),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue on a null data set (empty string) is false',
    identity: [allowIf({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } })],
    request: any({ 'aws:TagKeys': '' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue:StringNotEquals with the key absent is false',
    identity: [allowIf({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } })],
    request: any(),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues:StringNotEquals with the key absent is true',
    identity: [allowIf({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'env' } })],
    request: any(),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'Deny ForAllValues with no aws:TagKeys applies (true with no keys)',
    identity: [denyIf({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } })],
    request: any(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue:StringLike env* over cost-center, environment',
    identity: [allowIf({ 'ForAnyValue:StringLike': { 'aws:TagKeys': 'env*' } })],
    request: any({ 'aws:TagKeys': ['cost-center', 'environment'] }),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues:StringLike [env*, cost*]: environment, costcenter',
    identity: [allowIf({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['env*', 'cost*'] } })],
    request: any({ 'aws:TagKeys': ['environment', 'costcenter'] }),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues:StringLike [env*, cost*]: environment, owner',
    identity: [allowIf({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['env*', 'cost*'] } })],
    request: any({ 'aws:TagKeys': ['environment', 'owner'] }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue:StringEqualsIgnoreCase: Environment matches environment',
    identity: [allowIf({ 'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': 'environment' } })],
    request: any({ 'aws:TagKeys': ['Environment'] }),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'Null false on aws:TagKeys with tags in the request',
    identity: [allowIf({ Null: { 'aws:TagKeys': 'false' } })],
    request: any({ 'aws:TagKeys': ['a'] }),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'Null true on aws:TagKeys with tags in the request',
    identity: [allowIf({ Null: { 'aws:TagKeys': 'true' } })],
    request: any({ 'aws:TagKeys': ['a'] }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAllValues:StringEqualsIfExists with the key absent',
    identity: [allowIf({ 'ForAllValues:StringEqualsIfExists': { 'aws:TagKeys': 'a' } })],
    request: any(),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue:StringEqualsIfExists with the key present and no match',
    identity: [allowIf({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'a' } })],
    request: any({ 'aws:TagKeys': ['b', 'c'] }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'ForAnyValue:StringNotLike: one key outside key1* is enough',
    identity: [allowIf({ 'ForAnyValue:StringNotLike': { 'aws:TagKeys': 'key1*' } })],
    request: any({ 'aws:TagKeys': ['key1:a', 'key2:b'] }),
    expected: 'allowed',
  },
  {
    doc: DOC.multipleKeys,
    name: 'StringNotEquals with two accounts is an AND: neither listed',
    identity: [allowIf({ StringNotEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] } })],
    request: any({ 'aws:PrincipalAccount': '333333333333' }),
    expected: 'allowed',
  },
  {
    doc: DOC.multipleKeys,
    name: 'IgnoreCase keys ANDed, values ORed: HR auditor in the account',
    identity: [
      allowIf({
        StringEqualsIgnoreCase: {
          'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
          'aws:PrincipalTag/role': ['audit', 'security'],
        },
        StringEquals: { 'aws:PrincipalAccount': '123456789012' },
      }),
    ],
    request: any({
      'aws:PrincipalTag/department': 'HR',
      'aws:PrincipalTag/role': 'Audit',
      'aws:PrincipalAccount': '123456789012',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.multipleKeys,
    name: 'IgnoreCase keys ANDed: another account fails the StringEquals',
    identity: [
      allowIf({
        StringEqualsIgnoreCase: {
          'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
          'aws:PrincipalTag/role': ['audit', 'security'],
        },
        StringEquals: { 'aws:PrincipalAccount': '123456789012' },
      }),
    ],
    request: any({
      'aws:PrincipalTag/department': 'hr',
      'aws:PrincipalTag/role': 'audit',
      'aws:PrincipalAccount': '210987654321',
    }),
    expected: 'implicitDeny',
  },
]

const TOPIC = 'arn:aws:sns:us-west-2:123456789012:TOPIC-ID'
const operatorRows: Row[] = [
  {
    doc: DOC.operators,
    name: 'StringEquals is exact: a * in the value is no wildcard',
    identity: [allowIf({ StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-*' } })],
    request: any({ 'aws:PrincipalTag/job-category': 'iamuser-admin' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'StringLike iamuser-* matches iamuser-admin',
    identity: [allowIf({ StringLike: { 'aws:PrincipalTag/job-category': 'iamuser-*' } })],
    request: any({ 'aws:PrincipalTag/job-category': 'iamuser-admin' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'StringLike ? matches exactly one character',
    identity: [allowIf({ StringLike: { 'aws:PrincipalTag/job-category': 'iamuser-admi?' } })],
    request: any({ 'aws:PrincipalTag/job-category': 'iamuser-admins' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'StringLike is case sensitive',
    identity: [allowIf({ StringLike: { 's3:prefix': 'home/*' } })],
    request: any({ 's3:prefix': 'HOME/ana/' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.multipleKeys,
    name: 'StringNotLike with two patterns: matching either makes it false',
    identity: [allowIf({ StringNotLike: { 's3:prefix': ['home/*', 'tmp/*'] } })],
    request: any({ 's3:prefix': 'tmp/x' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.multipleKeys,
    name: 'StringNotLike with two patterns: matching neither makes it true',
    identity: [allowIf({ StringNotLike: { 's3:prefix': ['home/*', 'tmp/*'] } })],
    request: any({ 's3:prefix': 'shared/x' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'NumericNotEquals with the key absent is true',
    identity: [allowIf({ NumericNotEquals: { 's3:max-keys': '10' } })],
    request: any(),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'NumericLessThan compares decimals: 9.99 < 10',
    identity: [allowIf({ NumericLessThan: { 's3:max-keys': '10' } })],
    request: any({ 's3:max-keys': '9.99' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThan with an epoch policy value and an ISO request value',
    identity: [allowIf({ DateGreaterThan: { 'aws:TokenIssueTime': '1577836801' } })],
    request: any({ 'aws:TokenIssueTime': '2020-06-01T12:00:00Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'DateGreaterThan with an epoch policy value: issued before',
    identity: [allowIf({ DateGreaterThan: { 'aws:TokenIssueTime': '1577836801' } })],
    request: any({ 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'W3C date with a time zone offset: one second after',
    identity: [allowIf({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T01:00:01+01:00' } })],
    request: any({ 'aws:CurrentTime': '2020-01-01T00:00:02Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'W3C date with a time zone offset: one second before',
    identity: [allowIf({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T01:00:01+01:00' } })],
    request: any({ 'aws:CurrentTime': '2020-01-01T00:00:00Z' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'W3C complete date YYYY-MM-DD is midnight UTC',
    identity: [allowIf({ DateLessThan: { 'aws:CurrentTime': '2020-07-01' } })],
    request: any({ 'aws:CurrentTime': '2020-06-30T23:59:59Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'W3C fractional seconds and offset (1997-07-16T19:20:30.45+01:00)',
    identity: [allowIf({ DateEquals: { 'aws:CurrentTime': '1997-07-16T19:20:30.45+01:00' } })],
    request: any({ 'aws:CurrentTime': '1997-07-16T18:20:30.450Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'W3C year and month YYYY-MM',
    identity: [allowIf({ DateGreaterThanEquals: { 'aws:CurrentTime': '2020-06' } })],
    request: any({ 'aws:CurrentTime': '2020-05-31T23:59:59Z' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'W3C year form YYYY: DateLessThan 2021 holds during 2020',
    identity: [allowIf({ DateLessThan: { 'aws:CurrentTime': '2021' } })],
    request: any({ 'aws:CurrentTime': '2020-06-01T00:00:00Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'W3C year form YYYY is the start of that year (DateEquals 1997)',
    identity: [allowIf({ DateEquals: { 'aws:CurrentTime': '1997' } })],
    request: any({ 'aws:CurrentTime': '1997-01-01T00:00:00Z' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'epoch seconds in the policy and in the request (aws:EpochTime)',
    identity: [allowIf({ DateLessThanEquals: { 'aws:EpochTime': 1700000000 } })],
    request: any({ 'aws:EpochTime': '1699999999' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'DateNotEquals with the key absent is true',
    identity: [allowIf({ DateNotEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } })],
    request: any(),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'IPv6 range matches an address written in full form',
    identity: [allowIf({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } })],
    request: any({ 'aws:SourceIp': '2001:0db8:1234:5678:0000:0000:0000:0001' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'NotIpAddress with a mixed list: an IPv6 address inside the range',
    identity: [allowIf({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } })],
    request: any({ 'aws:SourceIp': '2001:db8:1234:5678::99' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exDenyIp,
    name: 'deny-ip: an IPv6 caller outside the IPv4 ranges is denied',
    identity: [
      denyIf({
        NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] },
        Bool: { 'aws:ViaAWSService': 'false' },
      }),
    ],
    request: any({ 'aws:SourceIp': '2001:db8::1', 'aws:ViaAWSService': 'false' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'ArnLike with * in Region and resource parts',
    identity: [allowIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } })],
    request: any({ 'aws:SourceArn': TOPIC }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'ArnLike with ? in the Region part',
    identity: [allowIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-west-?:123456789012:TOPIC-ID' } })],
    request: any({ 'aws:SourceArn': TOPIC }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'ArnEquals is case sensitive',
    identity: [allowIf({ ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-west-2:123456789012:topic-id' } })],
    request: any({ 'aws:SourceArn': TOPIC }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'ArnLike: the last part keeps its colons',
    identity: [allowIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:*' } })],
    request: any({ 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'ArnLike: a pattern with fewer than six parts matches no ARN',
    identity: [allowIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*' } })],
    request: any({ 'aws:SourceArn': TOPIC }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'ArnLike: a request value with fewer than six parts is no ARN',
    identity: [allowIf({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } })],
    request: any({ 'aws:SourceArn': 'arn:aws:sns:us-west-2' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'ArnNotLike: a pattern with fewer than six parts excludes nothing',
    identity: [allowIf({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*' } })],
    request: any({ 'aws:SourceArn': TOPIC }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'Deny + StringNotEqualsIfExists: still denied when the tag is missing',
    identity: [denyIf({ StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } })],
    request: any(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.operators,
    name: 'Deny + StringNotEqualsIfExists: not denied for the listed value',
    identity: [denyIf({ StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } })],
    request: any({ 'aws:ResourceTag/env': 'prod' }),
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'Deny + StringNotEqualsIfExists: denied for another value',
    identity: [denyIf({ StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'prod' } })],
    request: any({ 'aws:ResourceTag/env': 'dev' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.condition,
    name: 'Null true: an empty string in the request context is null',
    identity: [allowIf({ Null: { 'aws:RequestTag/project': 'true' } })],
    request: any({ 'aws:RequestTag/project': '' }),
    expected: 'allowed',
  },
  {
    doc: DOC.condition,
    name: 'a tag key matched in other case: aws:ResourceTag/EC2 finds the ec2 tag',
    identity: [allowIf({ StringEquals: { 'aws:ResourceTag/EC2': 'test1' } })],
    request: any({ 'aws:ResourceTag/ec2': 'test1' }),
    expected: 'allowed',
  },
]

const HOME = v12({
  Effect: 'Allow',
  Action: 's3:ListBucket',
  Resource: 'arn:aws:s3:::amzn-s3-demo-bucket',
  Condition: { StringLike: { 's3:prefix': ['${aws:username}/*'] } },
})
const OWN_FOLDER = {
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*',
}
const bucket = (key: string) => `arn:aws:s3:::amzn-s3-demo-bucket/${key}`
const variableRows: Row[] = [
  {
    doc: DOC.variables,
    name: 'StringLike ${aws:username}/*: David lists his prefix',
    identity: [HOME],
    request: req('s3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', {
      'aws:username': 'David',
      's3:prefix': 'David/docs/',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: "StringLike ${aws:username}/*: David cannot list Maria's prefix",
    identity: [HOME],
    request: req('s3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', {
      'aws:username': 'David',
      's3:prefix': 'Maria/docs/',
    }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'Version 2008-10-17: ${aws:username} is literal text',
    identity: [{ Version: '2008-10-17', Statement: [OWN_FOLDER] }],
    request: req('s3:GetObject', bucket('bob/x'), { 'aws:username': 'bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'no Version: ${aws:username} is literal text',
    identity: [{ Statement: [OWN_FOLDER] }],
    request: req('s3:GetObject', bucket('bob/x'), { 'aws:username': 'bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'no Version: the literal text matches an object of that name',
    identity: [{ Statement: [OWN_FOLDER] }],
    request: req('s3:GetObject', bucket('${aws:username}/x')),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'Version 2012-10-17: the variable is replaced',
    identity: [v12(OWN_FOLDER)],
    request: req('s3:GetObject', bucket('bob/x'), { 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'variable key names are case-insensitive: context AWS:UserName',
    identity: [v12(OWN_FOLDER)],
    request: req('s3:GetObject', bucket('bob/x'), { 'AWS:UserName': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'the substituted value keeps its case: Bob is not bob',
    identity: [v12(OWN_FOLDER)],
    request: req('s3:GetObject', bucket('bob/x'), { 'aws:username': 'Bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'Deny with a Resource variable that has no value matches no resource',
    identity: [
      v12(ALLOW_ALL, {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team}/*',
      }),
    ],
    request: req('s3:GetObject', bucket('red/x')),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'Deny StringLike against a variable with no value does not apply',
    identity: [denyIf({ StringLike: { 's3:prefix': '${aws:PrincipalTag/team}/*' } })],
    request: any({ 's3:prefix': 'red/x' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'Deny StringNotLike against a variable with no value applies',
    identity: [denyIf({ StringNotLike: { 's3:prefix': '${aws:PrincipalTag/team}/*' } })],
    request: any({ 's3:prefix': 'red/x' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.variables,
    name: '${*} in StringLike is a literal asterisk: no match for abc',
    identity: [allowIf({ StringLike: { 's3:prefix': 'a${*}' } })],
    request: any({ 's3:prefix': 'abc' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: '${*} in StringLike matches a literal asterisk',
    identity: [allowIf({ StringLike: { 's3:prefix': 'a${*}' } })],
    request: any({ 's3:prefix': 'a*' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: '${$} in StringEquals is a dollar sign',
    identity: [allowIf({ StringEquals: { 'aws:PrincipalTag/price': '10${$}' } })],
    request: any({ 'aws:PrincipalTag/price': '10$' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'default value in a Condition: untagged principal, company-wide resource',
    identity: [allowIf({ StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'company-wide'}" } })],
    request: any({ 'aws:ResourceTag/team': 'company-wide' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'default value in a Condition: a tagged principal does not use the default',
    identity: [allowIf({ StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'company-wide'}" } })],
    request: any({ 'aws:ResourceTag/team': 'company-wide', 'aws:PrincipalTag/team': 'yellow' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'default value with / and - in a Resource path',
    identity: [
      v12({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team, 'shared/common-docs'}/*",
      }),
    ],
    request: req('s3:GetObject', bucket('shared/common-docs/readme.txt')),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'principal tag variable with the tag key in other case',
    identity: [
      v12({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/Team}/*',
      }),
    ],
    request: req('s3:GetObject', bucket('red/x'), { 'aws:principaltag/team': 'red' }),
    expected: 'allowed',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'a multivalued key as a Condition variable has no value',
    identity: [allowIf({ StringEquals: { 'aws:RequestTag/k': '${aws:TagKeys}' } })],
    request: any({ 'aws:RequestTag/k': 'a', 'aws:TagKeys': ['a'] }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'ArnEquals with ${aws:username} in the resource part',
    identity: [allowIf({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/${aws:username}' } })],
    request: any({ 'aws:PrincipalArn': ana, 'aws:username': 'ana' }),
    expected: 'allowed',
  },
]

const s3 = (key: string) => `arn:aws:s3:::${key}`
const elementRows: Row[] = [
  {
    doc: DOC.boundaries,
    name: 'boundary Allow NotAction iam:*: S3 within both',
    identity: [v12(ALLOW_ALL)],
    boundary: v12({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    request: req('s3:GetObject', s3('b/k')),
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'boundary Allow NotAction iam:*: IAM is outside the boundary',
    identity: [v12(ALLOW_ALL)],
    boundary: v12({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    request: req('iam:CreateUser', 'arn:aws:iam::111122223333:user/x'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.boundaries,
    name: 'boundary Deny NotResource: another bucket is explicitly denied',
    identity: [v12({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
    boundary: v12(ALLOW_ALL, { Effect: 'Deny', Action: 's3:*', NotResource: [s3('bucket-a'), s3('bucket-a/*')] }),
    request: req('s3:GetObject', s3('bucket-b/k')),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.boundaries,
    name: 'boundary Deny NotResource: the excepted bucket is allowed',
    identity: [v12({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
    boundary: v12(ALLOW_ALL, { Effect: 'Deny', Action: 's3:*', NotResource: [s3('bucket-a'), s3('bucket-a/*')] }),
    request: req('s3:GetObject', s3('bucket-a/k')),
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'boundary Allow whose condition does not hold sets no permission',
    identity: [v12(ALLOW_ALL)],
    boundary: allowIf({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }),
    request: req('s3:GetObject', s3('b/k'), { 'aws:RequestedRegion': 'us-east-1' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.boundaries,
    name: 'boundary Deny applies even when the identity policy allows nothing',
    identity: [],
    boundary: v12(ALLOW_ALL, { Effect: 'Deny', Action: 's3:*', Resource: '*' }),
    request: req('s3:GetObject', s3('b/k')),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notResource,
    name: 'Allow NotResource: every other resource is allowed',
    identity: [v12({ Effect: 'Allow', Action: 's3:*', NotResource: s3('secret/*') })],
    request: req('s3:GetObject', s3('public/k')),
    expected: 'allowed',
  },
  {
    doc: DOC.notResource,
    name: 'Allow NotResource: the listed resource is not allowed',
    identity: [v12({ Effect: 'Allow', Action: 's3:*', NotResource: s3('secret/*') })],
    request: req('s3:GetObject', s3('secret/k')),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.notAction,
    name: 'Deny NotAction with a condition: listed actions are never denied',
    identity: [
      v12(ALLOW_ALL, {
        Effect: 'Deny',
        NotAction: ['iam:ChangePassword', 'sts:GetSessionToken'],
        Resource: '*',
        Condition: { BoolIfExists: { [MFA]: 'false' } },
      }),
    ],
    request: req('sts:GetSessionToken', '*'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: 'the request action is matched case-insensitively (S3:GETOBJECT)',
    identity: [v12({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })],
    request: req('S3:GETOBJECT', s3('b/k')),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"ec2:*Instances" matches DescribeInstances',
    identity: [v12({ Effect: 'Allow', Action: 'ec2:*Instances', Resource: '*' })],
    request: req('ec2:DescribeInstances', '*'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"ec2:*Instances" does not match DescribeInstanceStatus',
    identity: [v12({ Effect: 'Allow', Action: 'ec2:*Instances', Resource: '*' })],
    request: req('ec2:DescribeInstanceStatus', '*'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.action,
    name: '"s3:*" does not match another service whose name starts with s3',
    identity: [v12({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
    request: req('s3-object-lambda:GetObject', '*'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.resource,
    name: 'resource ? matches exactly one character',
    identity: [v12({ Effect: 'Allow', Action: 's3:GetObject', Resource: s3('amzn-s3-demo-bucket/?') })],
    request: req('s3:GetObject', s3('amzn-s3-demo-bucket/ab')),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.resource,
    name: 'resource ? matches one character',
    identity: [v12({ Effect: 'Allow', Action: 's3:GetObject', Resource: s3('amzn-s3-demo-bucket/?') })],
    request: req('s3:GetObject', s3('amzn-s3-demo-bucket/a')),
    expected: 'allowed',
  },
  {
    doc: DOC.resource,
    name: 'a * ending the account segment expands beyond the colons',
    identity: [v12({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-east-2:*' })],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/books_table'),
    expected: 'allowed',
  },
  {
    doc: DOC.resource,
    name: 'a * in the Region segment',
    identity: [
      v12({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:111122223333:table/books_table' }),
    ],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:111122223333:table/books_table'),
    expected: 'allowed',
  },
  {
    doc: DOC.resource,
    name: 'a * in the Region segment: another account',
    identity: [
      v12({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:111122223333:table/books_table' }),
    ],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:444455556666:table/books_table'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.evalBasics,
    name: 'an Allow whose condition fails in one policy, an Allow in another: allowed',
    identity: [allowIf({ Bool: { [MFA]: 'true' } }), v12({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })],
    request: req('s3:GetObject', s3('b/k')),
    expected: 'allowed',
  },
]

const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/my-example-key'
const KMS_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey', 'kms:DescribeKey']
const VIA_DYNAMODB = allowIf(
  { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['dynamodb.amazonaws.com'] } },
  KMS_ACTIONS,
  'arn:aws:kms:*:111122223333:key/my-example-key',
)
const VIA_CHAIN = allowIf(
  {
    StringEquals: {
      'aws:CalledViaFirst': 'cloudformation.amazonaws.com',
      'aws:CalledViaLast': 'dynamodb.amazonaws.com',
    },
  },
  KMS_ACTIONS,
  'arn:aws:kms:*:111122223333:key/my-example-key',
)
const SAME_VPC = denyIf({
  StringNotEquals: { 'aws:SourceVpc': '${aws:Ec2InstanceSourceVpc}' },
  Null: { 'ec2:SourceInstanceARN': 'false' },
  BoolIfExists: { 'aws:ViaAWSService': 'false' },
})
const EC2_ROLE = {
  'ec2:SourceInstanceARN': 'arn:aws:ec2:us-east-1:111122223333:instance/i-1',
  'aws:Ec2InstanceSourceVpc': 'vpc-1',
}
const ORG = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'
const orgPaths = (pattern: string, op = 'ForAnyValue:StringLike') =>
  allowIf({ [op]: { 'aws:PrincipalOrgPaths': [pattern] } })
const inOu = { 'aws:PrincipalOrgPaths': [ORG] }
const inChildOu = { 'aws:PrincipalOrgPaths': [`${ORG}ou-ab12-33333333/`] }
const globalKeyRows: Row[] = [
  {
    doc: DOC.calledVia,
    name: 'ForAnyValue aws:CalledVia: KMS called via CloudFormation then DynamoDB',
    identity: [VIA_DYNAMODB],
    request: req('kms:Decrypt', KMS_KEY, {
      'aws:CalledVia': ['cloudformation.amazonaws.com', 'dynamodb.amazonaws.com'],
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.calledVia,
    name: 'ForAnyValue aws:CalledVia: KMS called directly is not allowed',
    identity: [VIA_DYNAMODB],
    request: req('kms:Decrypt', KMS_KEY),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.calledVia,
    name: 'aws:CalledViaFirst/Last: services in the middle of the chain do not matter',
    identity: [VIA_CHAIN],
    request: req('kms:ReEncryptFrom', KMS_KEY, {
      'aws:CalledVia': ['cloudformation.amazonaws.com', 'glue.amazonaws.com', 'dynamodb.amazonaws.com'],
      'aws:CalledViaFirst': 'cloudformation.amazonaws.com',
      'aws:CalledViaLast': 'dynamodb.amazonaws.com',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.calledVia,
    name: 'aws:CalledViaFirst/Last: the first call was not made via CloudFormation',
    identity: [VIA_CHAIN],
    request: req('kms:Decrypt', KMS_KEY, {
      'aws:CalledViaFirst': 'dynamodb.amazonaws.com',
      'aws:CalledViaLast': 'dynamodb.amazonaws.com',
    }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.ec2SourceVpc,
    name: 'RequireSameVPC: same VPC as the instance credentials',
    identity: [SAME_VPC],
    request: any({ ...EC2_ROLE, 'aws:SourceVpc': 'vpc-1', 'aws:ViaAWSService': 'false' }),
    expected: 'allowed',
  },
  {
    doc: DOC.ec2SourceVpc,
    name: 'RequireSameVPC: another VPC is denied',
    identity: [SAME_VPC],
    request: any({ ...EC2_ROLE, 'aws:SourceVpc': 'vpc-2', 'aws:ViaAWSService': 'false' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.ec2SourceVpc,
    name: 'RequireSameVPC: only EC2 instance roles are limited (no ec2:SourceInstanceARN)',
    identity: [SAME_VPC],
    request: any({ 'aws:SourceVpc': 'vpc-2', 'aws:ViaAWSService': 'false' }),
    expected: 'allowed',
  },
  {
    doc: DOC.ec2SourceVpc,
    name: "RequireSameVPC: a call an AWS service makes on the role's behalf is not denied",
    identity: [SAME_VPC],
    request: any({ ...EC2_ROLE, 'aws:SourceVpc': 'vpc-2', 'aws:ViaAWSService': 'true' }),
    expected: 'allowed',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringEquals on the OU path: an account directly in the OU',
    identity: [orgPaths(ORG, 'ForAnyValue:StringEquals')],
    request: any(inOu),
    expected: 'allowed',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringEquals on the OU path: not an account in a child OU',
    identity: [orgPaths(ORG, 'ForAnyValue:StringEquals')],
    request: any(inChildOu),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringLike OU path/*: an account in a child OU',
    identity: [orgPaths(`${ORG}*`)],
    request: any(inChildOu),
    expected: 'allowed',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringLike OU path/ou-*: only the children, not the OU itself',
    identity: [orgPaths(`${ORG}ou-*`)],
    request: any(inOu),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringLike OU path/ou-*: an account in a child OU',
    identity: [orgPaths(`${ORG}ou-*`)],
    request: any(inChildOu),
    expected: 'allowed',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringLike o-a1b2c3d4e5/*: every principal of the organization',
    identity: [orgPaths('o-a1b2c3d4e5/*')],
    request: any({ 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-99999999/'] }),
    expected: 'allowed',
  },
  {
    doc: DOC.orgPaths,
    name: 'ForAnyValue:StringLike o-a1b2c3d4e5/*: another organization',
    identity: [orgPaths('o-a1b2c3d4e5/*')],
    request: any({ 'aws:PrincipalOrgPaths': ['o-zzzzzzzzzz/r-ab12/'] }),
    expected: 'implicitDeny',
  },
]

const SELF_MFA = v12(
  { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: 'iam:ListVirtualMFADevices', Resource: '*' },
  {
    Sid: 'AllowManageOwnVirtualMFADevice',
    Effect: 'Allow',
    Action: ['iam:CreateVirtualMFADevice'],
    Resource: 'arn:aws:iam::*:mfa/*',
  },
  {
    Sid: 'AllowManageOwnUserMFA',
    Effect: 'Allow',
    Action: [
      'iam:DeactivateMFADevice',
      'iam:EnableMFADevice',
      'iam:GetUser',
      'iam:ListMFADevices',
      'iam:ResyncMFADevice',
    ],
    Resource: 'arn:aws:iam::*:user/${aws:username}',
  },
  {
    Sid: 'DenyAllExceptListedIfNoMFA',
    Effect: 'Deny',
    NotAction: [
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:GetUser',
      'iam:ListMFADevices',
      'iam:ListVirtualMFADevices',
      'iam:ResyncMFADevice',
      'sts:GetSessionToken',
    ],
    Resource: '*',
    Condition: { BoolIfExists: { [MFA]: 'false' } },
  },
)
const S3_READ = v12({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })
const anaNoMfa = { 'aws:username': 'ana' }
const anaMfa = { 'aws:username': 'ana', [MFA]: 'true' }
const selfMfaRows: Row[] = [
  {
    doc: DOC.exSelfMfa,
    name: 'without MFA the user can still enable their own MFA device',
    identity: [SELF_MFA],
    request: req('iam:EnableMFADevice', ana, anaNoMfa),
    expected: 'allowed',
  },
  {
    doc: DOC.exSelfMfa,
    name: 'without MFA deactivating their MFA device is denied',
    identity: [SELF_MFA],
    request: req('iam:DeactivateMFADevice', ana, anaNoMfa),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exSelfMfa,
    name: 'without MFA an action another policy allows is denied',
    identity: [SELF_MFA, S3_READ],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k', anaNoMfa),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exSelfMfa,
    name: 'with MFA the other policy decides',
    identity: [SELF_MFA, S3_READ],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k', anaMfa),
    expected: 'allowed',
  },
  {
    doc: DOC.exSelfMfa,
    name: 'with MFA deactivating their own MFA device is allowed',
    identity: [SELF_MFA],
    request: req('iam:DeactivateMFADevice', ana, anaMfa),
    expected: 'allowed',
  },
  {
    doc: DOC.exSelfMfa,
    name: "with MFA another user's MFA device is not theirs to manage",
    identity: [SELF_MFA],
    request: req('iam:EnableMFADevice', 'arn:aws:iam::111122223333:user/bob', anaMfa),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exSelfMfa,
    name: 'a listed action is not denied, but this policy does not allow it either',
    identity: [SELF_MFA],
    request: req('sts:GetSessionToken', '*', anaNoMfa),
    expected: 'implicitDeny',
  },
]

const rows: Row[] = [
  ...mfaRows,
  ...mfaAgeRows,
  ...exampleRows,
  ...setRows,
  ...operatorRows,
  ...variableRows,
  ...elementRows,
  ...globalKeyRows,
  ...selfMfaRows,
]

// beyond identity-based policies and boundaries: resource, session, endpoint, key and trust policies, SCPs, RCPs
const accessRows: AccessRow[] = [...policyTypeRowsA, ...guardrailRows, ...keyTrustRuleRows]

const asInput = (r: AccessRow): SimulateInput => ({
  ...(r.principal === undefined ? {} : { principal: r.principal }),
  ...(r.identity === undefined ? {} : { identityPolicies: r.identity }),
  permissionsBoundary: r.boundary ?? null,
  sessionPolicy: r.session ?? null,
  resourcePolicy: r.resource ?? null,
  vpcEndpointPolicies: r.endpoints ?? [],
  ...(r.scps === undefined ? {} : { serviceControlPolicies: r.scps }),
  ...(r.rcps === undefined ? {} : { resourceControlPolicies: r.rcps }),
  request: r.request,
})

describe('documented cases', () => {
  it.each(rows)('$name — $doc', ({ identity, boundary, request, expected }) => {
    expect(decide(identity, request, boundary)).toBe(expected)
  })

  it.each(accessRows)('$name — $doc', (row) => {
    expect(decideAccess(row).decision).toBe(row.expected)
    const [result] = simulateAll([asInput(row)], 'documented-cases', false)
    expect(result!.decision).toBe(row.expected)
    if (row.missing !== undefined) expect(result!.missing).toEqual(row.missing)
    expect(result!.rule?.id).toBe(row.rule)
    expect(result!.exempt?.map((e) => e.policies)).toEqual(row.exempt)
  })

  it('gives the same decisions through the simulate command path, in input order', () => {
    const items: SimulateInput[] = [
      ...rows.map((r) => ({
        identityPolicies: r.identity,
        permissionsBoundary: r.boundary ?? null,
        request: r.request,
      })),
      ...accessRows.map(asInput),
    ]
    expect(simulateAll(items, 'documented-cases').map((r) => r.decision)).toEqual(
      [...rows, ...accessRows].map((r) => r.expected),
    )
  })
})
