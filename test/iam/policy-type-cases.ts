/**
 * Documented cases for the policy types beyond identity-based policies and boundaries: resource-based policies (same
 * account and cross-account), session policies, KMS key policies, role trust policies, VPC endpoint policies, SCPs,
 * RCPs and the service-side rules. Each row restates what its page says; rows marked "(our reading)" are where the
 * page is not explicit, and the file header of documented-cases.test.ts lists them.
 */
import type { Decision, RequestContext } from '../../lib/iam/index'
import { DOC } from './docs'

export type AccessRow = {
  doc: string
  name: string
  principal?: string
  identity?: unknown[]
  boundary?: unknown
  session?: unknown
  resource?: unknown
  endpoints?: unknown[]
  scps?: unknown[][]
  rcps?: unknown[][]
  request: { action: string; resource: string; resourceAccount?: string; context?: RequestContext }
  expected: Decision
  /** the input fields simulate names as lacking an Allow */
  missing?: string[]
  /** the service-side rule that decides */
  rule?: string
  /** the policy fields simulate reports as not applying */
  exempt?: string[]
}

const v12 = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const allow = (Action: unknown, Resource: unknown = '*', extra: object = {}) =>
  v12({ Effect: 'Allow', Action, Resource, ...extra })
const grant = (Principal: unknown, Action: unknown, Resource: unknown, extra: object = {}) =>
  v12({ Effect: 'Allow', Principal, Action, Resource, ...extra })

// reference_policies_evaluation-logic_policy-eval-basics.html: Carlos, his policy and his bucket's policy
const CARLOS = 'arn:aws:iam::123456789012:user/carlossalazar'
const CARLOS_POLICY = v12(
  {
    Sid: 'AllowS3ListRead',
    Effect: 'Allow',
    Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'],
    Resource: 'arn:aws:s3:::*',
  },
  {
    Sid: 'AllowS3Self',
    Effect: 'Allow',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'],
  },
  { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
)
const CARLOS_BUCKET = grant({ AWS: CARLOS }, 's3:*', ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'])
const inOwnAccount = { resourceAccount: '123456789012' }

// reference_policies_evaluation-logic-cross-account.html: Carlos in 111111111111, the Production bucket in 222222222222
const CARLOS_A = 'arn:aws:iam::111111111111:user/carlossalazar'
const CARLOS_A_POLICY = v12(
  { Sid: 'AllowS3ListRead', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
  {
    Sid: 'AllowS3ProductionObjectActions',
    Effect: 'Allow',
    Action: 's3:*Object*',
    Resource: 'arn:aws:s3:::Production/*',
  },
  { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::*log*', 'arn:aws:s3:::*log*/*'] },
)
const PRODUCTION_BUCKET = grant(
  { AWS: CARLOS_A },
  ['s3:GetObject*', 's3:PutObject*', 's3:ReplicateObject', 's3:RestoreObject'],
  'arn:aws:s3:::Production/*',
)
const inB = { resourceAccount: '222222222222' }

const ACCOUNT = '111122223333'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/mwaa-exec`
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/mwaa-exec/airflow-worker`
const USER = `arn:aws:iam::${ACCOUNT}:user/ana`
const DAGS = 'arn:aws:s3:::sales-dags'
const DAG = `${DAGS}/dags/etl.py`
const get = (context?: RequestContext) => ({ action: 's3:GetObject', resource: DAG, ...(context ? { context } : {}) })
const S3_READ = allow('s3:GetObject', `${DAGS}/*`)
const SQS_ONLY = allow('sqs:*')

const resourceRows: AccessRow[] = [
  {
    doc: DOC.evalBasics,
    name: 'Carlos saving to the -logs bucket is denied by his own policy, whatever his bucket policy says',
    principal: CARLOS,
    identity: [CARLOS_POLICY],
    resource: null,
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs/file.txt', ...inOwnAccount },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.evalBasics,
    name: 'Carlos saving to his bucket: both his policy and the bucket policy allow',
    principal: CARLOS,
    identity: [CARLOS_POLICY],
    resource: CARLOS_BUCKET,
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', ...inOwnAccount },
    expected: 'allowed',
  },
  {
    doc: DOC.evalBasics,
    name: 'same account: the bucket policy allows and the identity-based policy does not: still allowed',
    principal: CARLOS,
    identity: [],
    resource: CARLOS_BUCKET,
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt', ...inOwnAccount },
    expected: 'allowed',
  },
  {
    doc: DOC.evalBasics,
    name: 'same account: the identity-based policy allows and the bucket policy names someone else: still allowed',
    principal: SESSION,
    identity: [S3_READ],
    resource: grant({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.evalBasics,
    name: 'same account: neither allows; both are named as lacking an Allow',
    principal: SESSION,
    identity: [SQS_ONLY],
    resource: grant({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'implicitDeny',
    missing: ['identityPolicies', 'resourcePolicy'],
  },
  {
    doc: DOC.crossAccount,
    name: 'Carlos (111111111111) saving to Production-logs (222222222222): his account denies, so the request is denied',
    principal: CARLOS_A,
    identity: [CARLOS_A_POLICY],
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::Production-logs/file.txt', ...inB },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.crossAccount,
    name: 'Carlos saving to Production: his policy and the bucket policy both allow',
    principal: CARLOS_A,
    identity: [CARLOS_A_POLICY],
    resource: PRODUCTION_BUCKET,
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::Production/file.txt', ...inB },
    expected: 'allowed',
  },
  {
    doc: DOC.crossAccount,
    name: 'Carlos deleting in Production: his policy allows, the bucket policy does not ("not delete the objects")',
    principal: CARLOS_A,
    identity: [CARLOS_A_POLICY],
    resource: PRODUCTION_BUCKET,
    request: { action: 's3:DeleteObject', resource: 'arn:aws:s3:::Production/file.txt', ...inB },
    expected: 'implicitDeny',
    missing: ['resourcePolicy'],
  },
  {
    doc: DOC.crossAccount,
    name: 'cross-account: the bucket policy allows but no identity-based policy in the trusted account does',
    principal: CARLOS_A,
    identity: [],
    resource: PRODUCTION_BUCKET,
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::Production/file.txt', ...inB },
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.crossAccount,
    name: 'cross-account: the identity-based policy allows but the resource has no policy',
    principal: CARLOS_A,
    identity: [CARLOS_A_POLICY],
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::Production/file.txt', ...inB },
    expected: 'implicitDeny',
    missing: ['resourcePolicy'],
  },
  {
    doc: DOC.crossAccount,
    name: 'cross-account: a bucket policy naming the trusted account delegates to its identity-based policies',
    principal: CARLOS_A,
    identity: [CARLOS_A_POLICY],
    resource: grant({ AWS: '111111111111' }, 's3:PutObject', 'arn:aws:s3:::Production/*'),
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::Production/file.txt', ...inB },
    expected: 'allowed',
  },
  {
    doc: DOC.denyAllow,
    name: "a grant to the role's ARN is not limited by an implicit deny in the identity-based policy",
    principal: SESSION,
    identity: [SQS_ONLY],
    resource: grant({ AWS: ROLE }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.denyAllow,
    name: "a grant to the role's ARN is limited by an implicit deny in the permissions boundary",
    principal: SESSION,
    identity: [SQS_ONLY],
    boundary: SQS_ONLY,
    resource: grant({ AWS: ROLE }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'implicitDeny',
    missing: ['identityPolicies', 'permissionsBoundary'],
  },
  {
    doc: DOC.denyAllow,
    name: "a grant to the role's ARN is limited by an implicit deny in the session policy",
    principal: SESSION,
    identity: [S3_READ],
    session: SQS_ONLY,
    resource: grant({ AWS: ROLE }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'implicitDeny',
    missing: ['sessionPolicy'],
  },
  {
    doc: DOC.denyAllow,
    name: 'a grant to the role session ARN is not limited by implicit denies in identity, boundary or session policy',
    principal: SESSION,
    identity: [SQS_ONLY],
    boundary: SQS_ONLY,
    session: SQS_ONLY,
    resource: grant({ AWS: SESSION }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.denyAllow,
    name: "a grant to an IAM user's ARN is not limited by implicit denies in identity or boundary",
    principal: USER,
    identity: [],
    boundary: SQS_ONLY,
    resource: grant({ AWS: USER }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.denyAllow,
    name: 'an explicit Deny in the resource-based policy overrides the Allow of the identity-based policy',
    principal: SESSION,
    identity: [S3_READ],
    resource: v12({ Sid: 'DenyNonVpc', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `${DAGS}/*` }),
    request: get(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'Principal "*": for roles within the account no other permission is required',
    principal: SESSION,
    identity: [],
    resource: grant('*', 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'Principal "*": a principal in another account also needs its identity-based permissions',
    principal: 'arn:aws:sts::444455556666:assumed-role/other/s',
    identity: [],
    resource: grant('*', 's3:GetObject', `${DAGS}/*`),
    request: { ...get(), resourceAccount: ACCOUNT },
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.principal,
    name: 'Principal "*" with aws:PrincipalArn: a boundary or session policy does not limit it',
    principal: SESSION,
    identity: [],
    boundary: SQS_ONLY,
    session: SQS_ONLY,
    resource: grant('*', 's3:GetObject', `${DAGS}/*`, { Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE } } }),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'an account principal delegates to the account: a role without identity permission gets nothing (our reading, same account)',
    principal: SESSION,
    identity: [],
    resource: grant({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.principal,
    name: 'for anonymous users {"AWS": "*"} is the same as "*"',
    principal: 'anonymous',
    resource: grant({ AWS: '*' }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'a service principal is granted by the resource policy naming it',
    principal: 'cloudtrail.amazonaws.com',
    resource: grant({ Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject', `${DAGS}/AWSLogs/*`),
    request: { action: 's3:PutObject', resource: `${DAGS}/AWSLogs/x.json.gz` },
    expected: 'allowed',
  },
  {
    doc: DOC.boundaries,
    name: 'a Deny with NotPrincipal always denies a principal that has a permissions boundary, even one it names',
    principal: SESSION,
    identity: [S3_READ],
    boundary: allow('s3:*'),
    resource: v12({
      Effect: 'Deny',
      NotPrincipal: { AWS: [SESSION, ROLE, `arn:aws:iam::${ACCOUNT}:root`] },
      Action: 's3:*',
      Resource: `${DAGS}/*`,
    }),
    request: get(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notPrincipal,
    name: 'a Deny with NotPrincipal naming the session, its role and its account spares that session',
    principal: SESSION,
    identity: [S3_READ],
    resource: v12({
      Effect: 'Deny',
      NotPrincipal: { AWS: [SESSION, ROLE, `arn:aws:iam::${ACCOUNT}:root`] },
      Action: 's3:*',
      Resource: `${DAGS}/*`,
    }),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.notPrincipal,
    name: 'a Deny with NotPrincipal naming only a role and its account still denies the sessions of that role',
    principal: SESSION,
    identity: [S3_READ],
    resource: v12({
      Effect: 'Deny',
      NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${ACCOUNT}:root`] },
      Action: 's3:*',
      Resource: `${DAGS}/*`,
    }),
    request: get(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notPrincipal,
    name: 'a Deny with NotPrincipal denies a session of another role',
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/other/s`,
    identity: [S3_READ],
    resource: v12({
      Effect: 'Deny',
      NotPrincipal: { AWS: [SESSION, ROLE, `arn:aws:iam::${ACCOUNT}:root`] },
      Action: 's3:*',
      Resource: `${DAGS}/*`,
    }),
    request: get(),
    expected: 'explicitDeny',
  },
]

const sessionRows: AccessRow[] = [
  {
    doc: DOC.denyAllow,
    name: 'a role session without a session policy is allowed by its identity-based policy',
    principal: SESSION,
    identity: [S3_READ],
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.denyAllow,
    name: 'a session policy that does not allow the action denies it implicitly',
    principal: SESSION,
    identity: [S3_READ],
    session: SQS_ONLY,
    request: get(),
    expected: 'implicitDeny',
    missing: ['sessionPolicy'],
  },
  {
    doc: DOC.sessionPolicies,
    name: 'session permissions are the intersection of the identity-based policy and the session policy',
    principal: SESSION,
    identity: [allow(['s3:GetObject', 'sqs:SendMessage'])],
    session: allow('s3:*'),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.sessionPolicies,
    name: 'a session policy does not grant: it allows what the identity-based policy does not',
    principal: SESSION,
    identity: [SQS_ONLY],
    session: allow('s3:*'),
    request: get(),
    expected: 'implicitDeny',
    missing: ['identityPolicies'],
  },
  {
    doc: DOC.sessionPolicies,
    name: 'a Deny in the session policy overrides the Allow',
    principal: SESSION,
    identity: [S3_READ],
    session: v12(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
    ),
    request: get(),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.sessionPolicies,
    name: 'a resource policy naming the session ARN is not limited by the session policy',
    principal: SESSION,
    identity: [],
    session: SQS_ONLY,
    resource: grant({ AWS: SESSION }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
  {
    doc: DOC.sessionPolicies,
    name: "a resource policy naming the role's ARN is limited by the session policy",
    principal: SESSION,
    identity: [],
    session: SQS_ONLY,
    resource: grant({ AWS: ROLE }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'implicitDeny',
    missing: ['identityPolicies', 'sessionPolicy'],
  },
  {
    doc: DOC.sessionPolicies,
    name: 'a boundary does not limit a resource policy that names the session ARN',
    principal: SESSION,
    identity: [],
    boundary: SQS_ONLY,
    resource: grant({ AWS: SESSION }, 's3:GetObject', `${DAGS}/*`),
    request: get(),
    expected: 'allowed',
  },
]

export const policyTypeRowsA: AccessRow[] = [...resourceRows, ...sessionRows]
