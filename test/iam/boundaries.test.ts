import { describe, expect, it } from 'vitest'
import { evaluateRequest, type Decision, type EvaluationRequest } from '../../lib/iam/index'
import { DOC } from './docs'
import { policy } from './harness'

// ShirleyRodriguez: boundary of S3, CloudWatch and EC2; permissions policy allowing iam:CreateUser.
const SHIRLEY_BOUNDARY = [{ Effect: 'Allow', Action: ['s3:*', 'cloudwatch:*', 'ec2:*'], Resource: '*' }]
const SHIRLEY_CREATE_USER = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' },
}

// María delegating user creation to Zhang.
const ACCT = '123456789012'
const X_COMPANY_BOUNDARIES = [
  { Sid: 'ServiceBoundaries', Effect: 'Allow', Action: ['s3:*', 'cloudwatch:*', 'ec2:*', 'dynamodb:*'], Resource: '*' },
  {
    Sid: 'AllowIAMConsoleForCredentials',
    Effect: 'Allow',
    Action: ['iam:ListUsers', 'iam:GetAccountPasswordPolicy'],
    Resource: '*',
  },
  {
    Sid: 'AllowManageOwnPasswordAndAccessKeys',
    Effect: 'Allow',
    Action: [
      'iam:*AccessKey*',
      'iam:ChangePassword',
      'iam:GetUser',
      'iam:*ServiceSpecificCredential*',
      'iam:*SigningCertificate*',
    ],
    Resource: ['arn:aws:iam::*:user/${aws:username}'],
  },
  { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'] },
  {
    Sid: 'DenyEC2Production',
    Effect: 'Deny',
    Action: 'ec2:*',
    Resource: 'arn:aws:ec2:*:*:instance/i-1234567890abcdef0',
  },
]
const DELEGATED_USER_BOUNDARY = [
  {
    Sid: 'CreateOrChangeOnlyWithBoundary',
    Effect: 'Allow',
    Action: [
      'iam:AttachUserPolicy',
      'iam:CreateUser',
      'iam:DeleteUserPolicy',
      'iam:DetachUserPolicy',
      'iam:PutUserPermissionsBoundary',
      'iam:PutUserPolicy',
    ],
    Resource: '*',
    Condition: { StringEquals: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCT}:policy/XCompanyBoundaries` } },
  },
  {
    Sid: 'CloudWatchAndOtherIAMTasks',
    Effect: 'Allow',
    Action: [
      'cloudwatch:*',
      'iam:CreateAccessKey',
      'iam:CreateGroup',
      'iam:CreateLoginProfile',
      'iam:CreatePolicy',
      'iam:GetUser',
      'iam:ListUsers',
      'iam:UpdateLoginProfile',
      'iam:UpdateUser',
    ],
    NotResource: `arn:aws:iam::${ACCT}:user/Maria`,
  },
  {
    Sid: 'NoBoundaryPolicyEdit',
    Effect: 'Deny',
    Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
    Resource: [`arn:aws:iam::${ACCT}:policy/XCompanyBoundaries`, `arn:aws:iam::${ACCT}:policy/DelegatedUserBoundary`],
  },
  { Sid: 'NoBoundaryUserDelete', Effect: 'Deny', Action: 'iam:DeleteUserPermissionsBoundary', Resource: '*' },
]
const DELEGATED_USER_PERMISSIONS = [
  { Sid: 'IAM', Effect: 'Allow', Action: 'iam:*', Resource: '*' },
  {
    Sid: 'CloudWatchLimited',
    Effect: 'Allow',
    Action: [
      'cloudwatch:GetDashboard',
      'cloudwatch:GetMetricData',
      'cloudwatch:ListDashboards',
      'cloudwatch:GetMetricStatistics',
      'cloudwatch:ListMetrics',
    ],
    Resource: '*',
  },
  { Sid: 'S3BucketContents', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::ZhangBucket' },
]
// Nikhil: IAMFullAccess and AmazonS3ReadOnlyAccess-like permissions under XCompanyBoundaries.
const NIKHIL_PERMISSIONS = [
  { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
  { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' },
  { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
]
const NIKHIL = { 'aws:username': 'Nikhil' }

type Row = {
  doc: string
  name: string
  identity: unknown[]
  boundary: unknown
  request: EvaluationRequest
  expected: Decision
  missing?: 'identity' | 'boundary' | 'identity-and-boundary'
}

const rows: Row[] = [
  {
    doc: DOC.boundaries,
    name: 'Shirley cannot create a user: the boundary does not allow iam:CreateUser',
    identity: [SHIRLEY_CREATE_USER],
    boundary: SHIRLEY_BOUNDARY,
    request: { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCT}:user/new` },
    expected: 'implicitDeny',
    missing: 'boundary',
  },
  {
    doc: DOC.boundaries,
    name: 'a boundary alone grants nothing: S3 is within it but no permissions policy allows it',
    identity: [SHIRLEY_CREATE_USER],
    boundary: SHIRLEY_BOUNDARY,
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
    expected: 'implicitDeny',
    missing: 'identity',
  },
  {
    doc: DOC.boundaries,
    name: 'an action allowed by both the permissions policy and the boundary is allowed',
    identity: [[{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]],
    boundary: SHIRLEY_BOUNDARY,
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::b' },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'neither side allowing says both are missing',
    identity: [SHIRLEY_CREATE_USER],
    boundary: SHIRLEY_BOUNDARY,
    request: { action: 'iam:DeleteUser', resource: '*' },
    expected: 'implicitDeny',
    missing: 'identity-and-boundary',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang creates a user with the XCompanyBoundaries boundary',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: {
      action: 'iam:CreateUser',
      resource: `arn:aws:iam::${ACCT}:user/Nikhil`,
      context: { 'iam:PermissionsBoundary': `arn:aws:iam::${ACCT}:policy/XCompanyBoundaries` },
    },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang forgetting the boundary fails',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCT}:user/Nikhil` },
    expected: 'implicitDeny',
    missing: 'boundary',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang cannot delete a permissions boundary (Deny in his boundary)',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'iam:DeleteUserPermissionsBoundary', resource: `arn:aws:iam::${ACCT}:user/Nikhil` },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang cannot edit the XCompanyBoundaries policy',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${ACCT}:policy/XCompanyBoundaries` },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang reads a CloudWatch dashboard (both sides allow)',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'cloudwatch:GetDashboard', resource: '*' },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang cannot put metric data: only his permissions policy limits CloudWatch',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'cloudwatch:PutMetricData', resource: '*' },
    expected: 'implicitDeny',
    missing: 'identity',
  },
  {
    doc: DOC.boundaries,
    name: 'Zhang cannot list ZhangBucket: the boundary allows no S3 action',
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::ZhangBucket' },
    expected: 'implicitDeny',
    missing: 'boundary',
  },
  {
    doc: DOC.boundaries,
    name: "Zhang cannot reset Maria's login profile (NotResource in the boundary)",
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'iam:UpdateLoginProfile', resource: `arn:aws:iam::${ACCT}:user/Maria` },
    expected: 'implicitDeny',
    missing: 'boundary',
  },
  {
    doc: DOC.boundaries,
    name: "Zhang resets another user's login profile",
    identity: [DELEGATED_USER_PERMISSIONS],
    boundary: DELEGATED_USER_BOUNDARY,
    request: { action: 'iam:UpdateLoginProfile', resource: `arn:aws:iam::${ACCT}:user/Nikhil` },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'Nikhil changes his own password (boundary resource uses ${aws:username})',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: { action: 'iam:ChangePassword', resource: `arn:aws:iam::${ACCT}:user/Nikhil`, context: NIKHIL },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'Nikhil cannot create access keys for another user',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCT}:user/Zhang`, context: NIKHIL },
    expected: 'implicitDeny',
    missing: 'boundary',
  },
  {
    doc: DOC.boundaries,
    name: 'Nikhil cannot create another user despite IAM full access',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCT}:user/x`, context: NIKHIL },
    expected: 'implicitDeny',
    missing: 'boundary',
  },
  {
    doc: DOC.boundaries,
    name: 'Nikhil has read-only access to S3',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::reports/q1.csv', context: NIKHIL },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'Nikhil cannot write to S3 (his permissions policy is read-only)',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::reports/q1.csv', context: NIKHIL },
    expected: 'implicitDeny',
    missing: 'identity',
  },
  {
    doc: DOC.boundaries,
    name: 'the logs bucket is explicitly denied by the boundary',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::logs/app.log', context: NIKHIL },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.boundaries,
    name: 'the production instance is explicitly denied by the boundary',
    identity: [NIKHIL_PERMISSIONS],
    boundary: X_COMPANY_BOUNDARIES,
    request: {
      action: 'ec2:StopInstances',
      resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0',
      context: NIKHIL,
    },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.evaluation,
    name: 'an explicit Deny in an identity policy overrides a boundary Allow',
    identity: [
      [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
      ],
    ],
    boundary: SHIRLEY_BOUNDARY,
    request: { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/k' },
    expected: 'explicitDeny',
  },
]

describe('permissions boundaries', () => {
  it.each(rows)('$name — $doc', ({ identity, boundary, request, expected, missing }) => {
    const r = evaluateRequest(
      { identity: identity.map((d) => policy(d)), boundary: policy(boundary, 'boundary') },
      request,
    )
    expect(r.decision).toBe(expected)
    expect(r.missing).toBe(missing)
  })

  it('an allow lists the identity Allows then the boundary Allows', () => {
    const r = evaluateRequest(
      {
        identity: [policy([{ Sid: 'Id', Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'identity', 'perm')],
        boundary: policy(SHIRLEY_BOUNDARY, 'boundary', 'bound'),
      },
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::b' },
    )
    expect(r.statements.map((s) => `${s.kind}:${s.policy}:${s.index}`)).toEqual(['identity:perm:0', 'boundary:bound:0'])
  })

  it('an implicit deny for a missing boundary Allow lists the identity Allows that applied', () => {
    const r = evaluateRequest(
      {
        identity: [policy(SHIRLEY_CREATE_USER, 'identity', 'perm')],
        boundary: policy(SHIRLEY_BOUNDARY, 'boundary', 'bound'),
      },
      { action: 'iam:CreateUser', resource: '*' },
    )
    expect(r.statements).toEqual([{ policy: 'perm', kind: 'identity', index: 0, effect: 'Allow' }])
  })

  it('a Deny in the boundary is reported with kind "boundary"', () => {
    const r = evaluateRequest(
      {
        identity: [policy(NIKHIL_PERMISSIONS)],
        boundary: policy(X_COMPANY_BOUNDARIES, 'boundary', 'XCompanyBoundaries'),
      },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::logs/x' },
    )
    expect(r.statements).toEqual([
      { policy: 'XCompanyBoundaries', kind: 'boundary', index: 3, sid: 'DenyS3Logs', effect: 'Deny' },
    ])
  })
})
