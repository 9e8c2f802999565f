/**
 * Documented cases for the policies that only narrow: SCP levels, RCP levels and VPC endpoint policies.
 */
import type { AccessRow } from './policy-type-cases'
import { DOC } from './docs'

const v12 = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const allow = (Action: unknown, Resource: unknown = '*') => v12({ Effect: 'Allow', Action, Resource })
const deny = (Action: unknown, Resource: unknown = '*') => v12({ Effect: 'Deny', Action, Resource })
const FULL_SCP = v12({ Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' })
const FULL_RCP = v12({ Sid: 'RCPFullAWSAccess', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })
const ADMIN = allow('*')

const ACCOUNT = '111122223333'
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/mwaa-exec/airflow-worker`
const SLR = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`
const DAG = 'arn:aws:s3:::sales-dags/dags/etl.py'
const get = { action: 's3:GetObject', resource: DAG }
const run = { action: 'ec2:RunInstances', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*` }

// orgs_manage_policies_scps_evaluation.html: the root's SCP allows A, B, C; the OU's allows C, D, E
const A = 's3:GetObject'
const C = 'sqs:SendMessage'
const D = 'logs:PutLogEvents'
const ROOT_ABC = allow([A, 's3:PutObject', C])
const OU_CDE = allow([C, D, 'logs:CreateLogStream'])

const scpRows: AccessRow[] = [
  {
    doc: DOC.scpEvaluation,
    name: 'root allows A, B, C and the OU C, D, E: C can be used below the OU',
    principal: SESSION,
    identity: [ADMIN],
    scps: [[ROOT_ABC], [OU_CDE]],
    request: { action: C, resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` },
    expected: 'allowed',
  },
  {
    doc: DOC.scpEvaluation,
    name: "root allows A, B, C and the OU C, D, E: A is blocked by the OU's SCP",
    principal: SESSION,
    identity: [ADMIN],
    scps: [[ROOT_ABC], [OU_CDE]],
    request: get,
    expected: 'implicitDeny',
    missing: ['serviceControlPolicies[1]'],
  },
  {
    doc: DOC.scpEvaluation,
    name: "root allows A, B, C and the OU C, D, E: the OU's D is blocked by the root's SCP",
    principal: SESSION,
    identity: [ADMIN],
    scps: [[ROOT_ABC], [OU_CDE]],
    request: { action: D, resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:g:log-stream:s` },
    expected: 'implicitDeny',
    missing: ['serviceControlPolicies[0]'],
  },
  {
    doc: DOC.scps,
    name: 'a Deny at any level blocks the action even with AdministratorAccess',
    principal: SESSION,
    identity: [ADMIN],
    scps: [[FULL_SCP, deny('s3:*')], [FULL_SCP], [FULL_SCP]],
    request: get,
    expected: 'explicitDeny',
  },
  {
    doc: DOC.scps,
    name: 'a permission not allowed at one level is blocked, even with AdministratorAccess',
    principal: SESSION,
    identity: [ADMIN],
    scps: [[FULL_SCP], [allow('sqs:*')], [FULL_SCP]],
    request: get,
    expected: 'implicitDeny',
    missing: ['serviceControlPolicies[1]'],
  },
  {
    doc: DOC.scps,
    name: 'a role without IAM permission policies has no access even if the SCPs allow all',
    principal: SESSION,
    identity: [],
    scps: [[FULL_SCP], [FULL_SCP]],
    request: get,
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.scps,
    name: 'with a boundary and an SCP, the boundary, the SCP and the identity-based policy must all allow',
    principal: SESSION,
    identity: [ADMIN],
    boundary: allow('sqs:*'),
    scps: [[FULL_SCP]],
    request: get,
    expected: 'implicitDeny',
    missing: ['permissionsBoundary'],
  },
  {
    doc: DOC.scps,
    name: 'SCPs do not affect service-linked roles',
    principal: SLR,
    identity: [allow('s3:GetObject')],
    scps: [[deny('*')]],
    request: get,
    expected: 'allowed',
    exempt: ['serviceControlPolicies'],
  },
  {
    doc: DOC.scps,
    name: 'SCPs only limit IAM users and roles: a service principal is not limited by them',
    principal: 'cloudtrail.amazonaws.com',
    resource: v12({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::sales-dags/*',
    }),
    scps: [[deny('*')]],
    request: { action: 's3:PutObject', resource: DAG, resourceAccount: ACCOUNT },
    expected: 'allowed',
    exempt: ['serviceControlPolicies'],
  },
]

// orgs_manage_policies_rcps_examples.html: the identity perimeter, as an RCP
const PERIMETER = v12({
  Sid: 'EnforceOrgIdentities',
  Effect: 'Deny',
  Principal: '*',
  Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
  Resource: '*',
  Condition: {
    StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorg' },
    BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
  },
})
const OUTSIDER = 'arn:aws:sts::444455556666:assumed-role/vendor/s'
const PUBLIC_READ = v12({
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::sales-dags/*',
})

const rcpRows: AccessRow[] = [
  {
    doc: DOC.rcpEvaluation,
    name: 'RCPFullAWSAccess at every level lets the request through',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    rcps: [[FULL_RCP], [FULL_RCP], [FULL_RCP]],
    request: get,
    expected: 'allowed',
  },
  {
    doc: DOC.rcpEvaluation,
    name: "a Deny in an OU's RCP denies the resources of every account below it",
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    rcps: [[FULL_RCP], [FULL_RCP, v12({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' })], [FULL_RCP]],
    request: get,
    expected: 'explicitDeny',
  },
  {
    doc: DOC.denyAllow,
    name: 'no applicable Allow in the RCPs of one level: the request is denied',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    rcps: [[FULL_RCP], [PERIMETER]],
    request: { ...get, context: { 'aws:PrincipalOrgID': 'o-exampleorg' } },
    expected: 'implicitDeny',
    missing: ['resourceControlPolicies[1]'],
  },
  {
    doc: DOC.rcps,
    name: 'the identity perimeter RCP denies a principal from outside the organization, whatever the bucket policy',
    principal: OUTSIDER,
    identity: [allow('s3:GetObject')],
    resource: PUBLIC_READ,
    rcps: [[FULL_RCP, PERIMETER]],
    request: { ...get, resourceAccount: ACCOUNT, context: { 'aws:PrincipalOrgID': 'o-other' } },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.rcps,
    name: 'the identity perimeter RCP lets a principal of the organization through',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    rcps: [[FULL_RCP, PERIMETER]],
    request: { ...get, context: { 'aws:PrincipalOrgID': 'o-exampleorg' } },
    expected: 'allowed',
  },
  {
    doc: DOC.rcpExamples,
    name: 'the identity perimeter RCP lets an AWS service principal through (aws:PrincipalIsAWSService is true)',
    principal: 'cloudtrail.amazonaws.com',
    resource: v12({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::sales-dags/*',
    }),
    rcps: [[FULL_RCP, PERIMETER]],
    request: { action: 's3:PutObject', resource: DAG, resourceAccount: ACCOUNT },
    expected: 'allowed',
  },
  {
    doc: DOC.rcps,
    name: 'RCPs apply to a subset of services: an RCP Deny does not reach EC2',
    principal: SESSION,
    identity: [ADMIN],
    rcps: [[FULL_RCP, v12({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })]],
    request: run,
    expected: 'allowed',
    exempt: ['resourceControlPolicies'],
  },
]

// vpc-endpoints-access.html: the default endpoint policy, and one that leaves the DAG bucket out
const DEFAULT_ENDPOINT = { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }
const OTHER_BUCKET_ONLY = v12({
  Sid: 'OnlyArtifacts',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:*',
  Resource: 'arn:aws:s3:::artifacts/*',
})

const endpointRows: AccessRow[] = [
  {
    doc: DOC.endpoints,
    name: 'the default endpoint policy allows full access through the endpoint',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    endpoints: [DEFAULT_ENDPOINT],
    request: get,
    expected: 'allowed',
  },
  {
    doc: DOC.endpoints,
    name: 'an endpoint policy does not replace identity-based policies: it grants nothing by itself',
    principal: SESSION,
    identity: [],
    endpoints: [DEFAULT_ENDPOINT],
    request: get,
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.endpoints,
    name: 'an endpoint policy that leaves the bucket out blocks it',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    endpoints: [OTHER_BUCKET_ONLY],
    request: get,
    expected: 'implicitDeny',
    missing: ['vpcEndpointPolicies[0]'],
  },
  {
    doc: DOC.endpoints,
    name: 'a Deny in the endpoint policy wins',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    endpoints: [
      {
        Statement: [
          ...DEFAULT_ENDPOINT.Statement,
          { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        ],
      },
    ],
    request: get,
    expected: 'explicitDeny',
  },
  {
    doc: DOC.endpoints,
    name: 'gateway endpoint: an account in Principal names its root user only, not its roles',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    endpoints: [{ Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: '*', Resource: '*' }] }],
    request: get,
    expected: 'implicitDeny',
    missing: ['vpcEndpointPolicies[0]'],
  },
  {
    doc: DOC.endpoints,
    name: 'gateway endpoint: principals are chosen with aws:PrincipalArn',
    principal: SESSION,
    identity: [allow('s3:GetObject')],
    endpoints: [
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/mwaa-exec` } },
          },
        ],
      },
    ],
    request: get,
    expected: 'allowed',
  },
]

export const guardrailRows: AccessRow[] = [...scpRows, ...rcpRows, ...endpointRows]
