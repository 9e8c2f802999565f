import { describe, expect, it } from 'vitest'
import {
  evaluateResourcePolicy,
  type Decision,
  type EvaluationRequest,
  type RequestPrincipal,
} from '../../lib/iam/index'
import { DOC } from './docs'
import { decideResource, policy } from './harness'

const ROLE = 'arn:aws:iam::111122223333:role/mwaa-exec'
const trust = (Principal: unknown, extra: Record<string, unknown> = {}) => [
  { Effect: 'Allow', Principal, Action: 'sts:AssumeRole', ...extra },
]
const assume = (type: string, id: string, action = 'sts:AssumeRole'): EvaluationRequest => ({
  action,
  resource: ROLE,
  principal: { type, id },
})

type Row = { doc: string; name: string; policy: unknown; request: EvaluationRequest; expected: Decision }

const rows: Row[] = [
  {
    doc: DOC.principal,
    name: 'account ID in the policy, account root ARN in the request',
    policy: trust({ AWS: '123456789012' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:root'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'account root ARN in the policy, account ID in the request',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:root' }),
    request: assume('AWS', '123456789012'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'the account ARN does not limit to the root user: a role of the account matches',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:root' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:role/ops'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'the short account ID also names users of the account',
    policy: trust({ AWS: '123456789012' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:user/ana'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'a principal of another account does not match',
    policy: trust({ AWS: ['123456789012', '555555555555'] }),
    request: assume('AWS', 'arn:aws:iam::999999999999:root'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'several accounts are ORed',
    policy: trust({ AWS: ['123456789012', '555555555555'] }),
    request: assume('AWS', '555555555555'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'a role principal matches that role',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:role/role-name' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:role/role-name'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'a role principal matches sessions of that role',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:role/role-name' }),
    request: assume('AWS', 'arn:aws:sts::123456789012:assumed-role/role-name/session'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'a role principal does not match another role',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:role/role-name' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:role/other'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'an assumed-role session principal names that session',
    policy: trust({ AWS: 'arn:aws:sts::123456789012:assumed-role/role-name/role-session-name' }),
    request: assume('AWS', 'arn:aws:sts::123456789012:assumed-role/role-name/role-session-name'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'the user name part of a principal ARN is case sensitive',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:user/user-name' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:user/User-Name'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'a federated user session',
    policy: trust({ AWS: 'arn:aws:sts::123456789012:federated-user/user-name' }),
    request: assume('AWS', 'arn:aws:sts::123456789012:federated-user/user-name'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'service principals: ECS may assume',
    policy: trust({ Service: ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] }),
    request: assume('Service', 'ecs.amazonaws.com'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'service principals: Elastic Load Balancing may assume',
    policy: trust({ Service: ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] }),
    request: assume('Service', 'elasticloadbalancing.amazonaws.com'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'service principals: EC2 may not',
    policy: trust({ Service: ['ecs.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] }),
    request: assume('Service', 'ec2.amazonaws.com'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'a service principal does not match an AWS principal of the same name',
    policy: trust({ Service: 'ecs.amazonaws.com' }),
    request: assume('AWS', 'ecs.amazonaws.com'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'OIDC federation: Cognito',
    policy: trust({ Federated: 'cognito-identity.amazonaws.com' }, { Action: 'sts:AssumeRoleWithWebIdentity' }),
    request: assume('Federated', 'cognito-identity.amazonaws.com', 'sts:AssumeRoleWithWebIdentity'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'SAML federation: provider ARN',
    policy: trust({ Federated: 'arn:aws:iam::123456789012:saml-provider/idp' }, { Action: 'sts:AssumeRoleWithSAML' }),
    request: assume('Federated', 'arn:aws:iam::123456789012:saml-provider/idp', 'sts:AssumeRoleWithSAML'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'CanonicalUser',
    policy: trust({ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }),
    request: assume('CanonicalUser', '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: '"Principal": "*" matches everyone',
    policy: trust('*'),
    request: assume('Service', 'ec2.amazonaws.com'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: '{"AWS": "*"} matches every AWS principal',
    policy: trust({ AWS: '*' }),
    request: assume('AWS', 'arn:aws:iam::999999999999:user/x'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'a wildcard never matches part of a principal ARN',
    policy: trust({ AWS: 'arn:aws:iam::123456789012:role/*' }),
    request: assume('AWS', 'arn:aws:iam::123456789012:role/ops'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'the trusted principal still needs the action',
    policy: trust({ Service: 'ecs.amazonaws.com' }),
    request: assume('Service', 'ecs.amazonaws.com', 'sts:TagSession'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.principal,
    name: 'a request without principal matches only "*"',
    policy: trust({ AWS: '123456789012' }),
    request: { action: 'sts:AssumeRole', resource: ROLE },
    expected: 'implicitDeny',
  },
  {
    doc: DOC.mwaaRole,
    name: 'MWAA execution role trust: airflow.amazonaws.com',
    policy: trust({ Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] }),
    request: assume('Service', 'airflow.amazonaws.com'),
    expected: 'allowed',
  },
  {
    doc: DOC.mwaaRole,
    name: 'MWAA execution role trust: airflow-env.amazonaws.com',
    policy: trust({ Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] }),
    request: assume('Service', 'airflow-env.amazonaws.com'),
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'Principal "*" Deny with ArnNotEquals spares the named user',
    policy: [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
      {
        Sid: 'UsePrincipalArnInsteadOfNotPrincipalWithDeny',
        Effect: 'Deny',
        Action: 's3:*',
        Principal: '*',
        Resource: ['arn:aws:s3:::BUCKETNAME/*', 'arn:aws:s3:::BUCKETNAME'],
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/user-name' } },
      },
    ],
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::BUCKETNAME/k',
      principal: { type: 'AWS', id: 'arn:aws:iam::444455556666:user/user-name' },
      context: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/user-name' },
    },
    expected: 'allowed',
  },
  {
    doc: DOC.principal,
    name: 'Principal "*" Deny with ArnNotEquals denies everyone else',
    policy: [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 's3:*',
        Principal: '*',
        Resource: ['arn:aws:s3:::BUCKETNAME/*', 'arn:aws:s3:::BUCKETNAME'],
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/user-name' } },
      },
    ],
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::BUCKETNAME/k',
      principal: { type: 'AWS', id: 'arn:aws:iam::444455556666:user/other' },
      context: { 'aws:PrincipalArn': 'arn:aws:iam::444455556666:user/other' },
    },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notPrincipal,
    name: 'NotPrincipal with Deny denies every principal except the one listed',
    policy: [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
      {
        Effect: 'Deny',
        NotPrincipal: { AWS: ['arn:aws:iam::444455556666:user/keeper', '444455556666'] },
        Action: 's3:*',
        Resource: '*',
      },
    ],
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:user/stranger' },
    },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notPrincipal,
    name: 'NotPrincipal with Deny spares the listed principal',
    policy: [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' },
      {
        Effect: 'Deny',
        NotPrincipal: { AWS: ['arn:aws:iam::444455556666:user/keeper', '444455556666'] },
        Action: 's3:*',
        Resource: '*',
      },
    ],
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      principal: { type: 'AWS', id: 'arn:aws:iam::444455556666:user/keeper' },
    },
    expected: 'allowed',
  },
  {
    doc: DOC.operators,
    name: 'resource policy with ArnEquals aws:SourceArn for an SNS topic',
    policy: {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'SQS:SendMessage',
        Resource: 'arn:aws:sqs:us-east-1:123456789012:QUEUE-ID',
        Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:TOPIC-ID' } },
      },
    },
    request: {
      action: 'sqs:SendMessage',
      resource: 'arn:aws:sqs:us-east-1:123456789012:QUEUE-ID',
      principal: { type: 'Service', id: 'sns.amazonaws.com' },
      context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:TOPIC-ID' },
    },
    expected: 'allowed',
  },
]

describe('resource-based policies (trust policies)', () => {
  it.each(rows)('$name — $doc', ({ policy: doc, request, expected }) => {
    expect(decideResource(doc, request)).toBe(expected)
  })

  it('reports the trust statement that allowed, with kind "resource"', () => {
    const p = policy(
      [{ Sid: 'Trust', Effect: 'Allow', Principal: { Service: 'airflow.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      'resource',
      'trust',
    )
    const who: RequestPrincipal = { type: 'Service', id: 'airflow.amazonaws.com' }
    expect(evaluateResourcePolicy(p, { action: 'sts:AssumeRole', resource: ROLE, principal: who })).toEqual({
      decision: 'allowed',
      statements: [{ policy: 'trust', kind: 'resource', index: 0, sid: 'Trust', effect: 'Allow' }],
    })
  })
})
