import { describe, expect, it } from 'vitest'
import type { Decision, EvaluationRequest } from '../../lib/iam/index'
import { DOC } from './docs'
import { ALLOW_ALL, conditionMatches, decide } from './harness'

type Row = { doc: string; name: string; policies: unknown[]; request: EvaluationRequest; expected: Decision }

const TEAM_BUCKET = [
  {
    Effect: 'Allow',
    Action: ['s3:ListBucket'],
    Resource: ['arn:aws:s3:::amzn-s3-demo-bucket'],
    Condition: { StringLike: { 's3:prefix': ['${aws:PrincipalTag/team}/*'] } },
  },
  {
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: ['arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team}/*'],
  },
]
const OWNER = [
  {
    Sid: 'AllowUnlessOwnedBySomeoneElse',
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: ['*'],
    Condition: { StringEquals: { 's3:ExistingObjectTag/owner': '${aws:PrincipalTag/owner}' } },
  },
]
const DEPT = [
  {
    Sid: 'AllowOnlyDeptS3Prefix',
    Effect: 'Allow',
    Action: ['s3:GetObject'],
    Resource: ['arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/dept}/*'],
  },
]
const SNS = [
  {
    Sid: 'AllowAccessBasedOnArnMatching',
    Effect: 'Allow',
    Action: ['sns:CreateTopic', 'sns:DeleteTopic'],
    Resource: [
      'arn:aws:sns:*:*:${aws:PrincipalTag/access-project}-${aws:PrincipalTag/access-application}-${aws:PrincipalTag/access-environment}-*',
    ],
  },
]
const SNS_TAGS = {
  'aws:PrincipalTag/access-project': 'peg',
  'aws:PrincipalTag/access-application': 'unicorn',
  'aws:PrincipalTag/access-environment': 'prod',
}
const TEAM_DENY = {
  Effect: 'Deny',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
  Condition: { StringNotEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } },
}
const DEFAULTED = [
  {
    Effect: 'Allow',
    Action: 's3:*',
    Resource: "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}",
  },
]
const req = (action: string, resource: string, context?: Record<string, string | string[]>): EvaluationRequest => ({
  action,
  resource,
  context,
})

const rows: Row[] = [
  {
    doc: DOC.variables,
    name: 'a team member lists objects under the team prefix',
    policies: [TEAM_BUCKET],
    request: req('s3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', {
      'aws:PrincipalTag/team': 'red',
      's3:prefix': 'red/reports',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: "a team member cannot list another team's prefix",
    policies: [TEAM_BUCKET],
    request: req('s3:ListBucket', 'arn:aws:s3:::amzn-s3-demo-bucket', {
      'aws:PrincipalTag/team': 'red',
      's3:prefix': 'blue/reports',
    }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'a team member puts an object in the team folder (variable in Resource)',
    policies: [TEAM_BUCKET],
    request: req('s3:PutObject', 'arn:aws:s3:::amzn-s3-demo-bucket/red/x.csv', { 'aws:PrincipalTag/team': 'red' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'a principal without the team tag matches no team folder',
    policies: [TEAM_BUCKET],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/red/x.csv'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'owner tag equal to the principal tag',
    policies: [OWNER],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k', {
      's3:ExistingObjectTag/owner': 'ana',
      'aws:PrincipalTag/owner': 'ana',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'owner tag of someone else',
    policies: [OWNER],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k', {
      's3:ExistingObjectTag/owner': 'bob',
      'aws:PrincipalTag/owner': 'ana',
    }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'StringEquals against a variable with no value does not match',
    policies: [OWNER],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k', { 's3:ExistingObjectTag/owner': 'ana' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'dept prefix from the principal tag',
    policies: [DEPT],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/finance/q1.csv', {
      'aws:PrincipalTag/dept': 'finance',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'another dept prefix',
    policies: [DEPT],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/hr/q1.csv', { 'aws:PrincipalTag/dept': 'finance' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'three tag variables and a * in one resource ARN',
    policies: [SNS],
    request: req('sns:CreateTopic', 'arn:aws:sns:us-east-1:111122223333:peg-unicorn-prod-alerts', SNS_TAGS),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'three tag variables: wrong environment',
    policies: [SNS],
    request: req('sns:CreateTopic', 'arn:aws:sns:us-east-1:111122223333:peg-unicorn-dev-alerts', SNS_TAGS),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'Deny StringNotEquals: explicitly denied when aws:PrincipalTag/Team is not set',
    policies: [[ALLOW_ALL, TEAM_DENY]],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/k', { 's3:ExistingObjectTag/Team': 'red' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'Deny StringNotEquals: not denied when the tags are equal',
    policies: [[ALLOW_ALL, TEAM_DENY]],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/k', {
      's3:ExistingObjectTag/Team': 'red',
      'aws:PrincipalTag/Team': 'red',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'Deny StringNotEquals: denied when the tags differ',
    policies: [[ALLOW_ALL, TEAM_DENY]],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/k', {
      's3:ExistingObjectTag/Team': 'red',
      'aws:PrincipalTag/Team': 'blue',
    }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'default value unused: team yellow gets its bucket',
    policies: [DEFAULTED],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket-yellow', { 'aws:PrincipalTag/team': 'yellow' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'default value used: no team tag gets the company-wide bucket',
    policies: [DEFAULTED],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket-company-wide'),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'default value used: no team tag does not get a team bucket',
    policies: [DEFAULTED],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket-yellow'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'default value unused: team yellow does not get the company-wide bucket',
    policies: [DEFAULTED],
    request: req('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket-company-wide', {
      'aws:PrincipalTag/team': 'yellow',
    }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: '${*} is a literal asterisk, not a wildcard (no match for another name)',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${*}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/anything'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: '${*} matches an object literally named *',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${*}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/*'),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: '${?} is a literal question mark',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/what${?}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/whatX'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: '${?} matches a literal question mark',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/what${?}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/what?'),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: '${$} is a literal dollar sign',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${$}{aws:username}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/${aws:username}', { 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'variable key names are not case sensitive',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${AWS:UserName}/*' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/bob/k', { 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.variables,
    name: 'a substituted value is literal text: its * is no wildcard',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/p}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/secret', { 'aws:PrincipalTag/p': '*' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.singleVsMulti,
    name: 'a multivalued key cannot be a policy variable',
    policies: [[{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:TagKeys}' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/a', { 'aws:TagKeys': ['a', 'b'] }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'NotResource entry with an unresolved variable excludes nothing',
    policies: [[ALLOW_ALL, { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::home/${aws:username}/*' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::home/bob/k'),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'NotResource entry with a resolved variable excludes the home folder',
    policies: [[ALLOW_ALL, { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::home/${aws:username}/*' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::home/bob/k', { 'aws:username': 'bob' }),
    expected: 'allowed',
  },
]

describe('policy variables', () => {
  it.each(rows)('$name — $doc', ({ policies, request, expected }) => {
    expect(decide(policies, request)).toBe(expected)
  })
})

type CondRow = {
  doc: string
  name: string
  condition: unknown
  context: Record<string, string>
  match: boolean
  version?: string
}
const condRows: CondRow[] = [
  {
    doc: DOC.variables,
    name: 'ArnLike accepts a variable',
    condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:${aws:PrincipalAccount}:*' } },
    context: { 'aws:PrincipalAccount': '111122223333', 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' },
    match: true,
  },
  {
    doc: DOC.variables,
    name: 'ArnLike with a variable: another account',
    condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:${aws:PrincipalAccount}:*' } },
    context: { 'aws:PrincipalAccount': '111122223333', 'aws:SourceArn': 'arn:aws:sns:us-east-1:444455556666:t' },
    match: false,
  },
  {
    doc: DOC.variables,
    name: 'StringNotLike matches against a variable with no value',
    condition: { StringNotLike: { 's3:prefix': '${aws:username}/*' } },
    context: { 's3:prefix': 'bob/x' },
    match: true,
  },
  {
    doc: DOC.variables,
    name: 'StringEqualsIgnoreCase with a variable',
    condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': '${aws:RequestTag/team}' } },
    context: { 'aws:PrincipalTag/team': 'Red', 'aws:RequestTag/team': 'RED' },
    match: true,
  },
  {
    doc: DOC.operators,
    name: 'Bool accepts a policy variable',
    condition: { Bool: { 'aws:SecureTransport': '${svc:expected}' } },
    context: { 'aws:SecureTransport': 'true', 'svc:expected': 'TRUE' },
    match: true,
  },
  {
    doc: DOC.variables,
    name: 'condition key names are not variables: "${...}" in a key stays literal',
    condition: { StringEquals: { 'aws:ResourceTag/${aws:username}': 'x' } },
    context: { 'aws:username': 'bob', 'aws:ResourceTag/bob': 'x' },
    match: false,
  },
  {
    doc: DOC.version,
    name: 'under 2008-10-17 a condition value variable is literal text',
    condition: { StringEquals: { 'aws:PrincipalTag/owner': '${aws:username}' } },
    context: { 'aws:username': 'bob', 'aws:PrincipalTag/owner': 'bob' },
    match: false,
    version: '2008-10-17',
  },
  {
    doc: DOC.version,
    name: 'under 2008-10-17 the literal text matches',
    condition: { StringEquals: { 'aws:PrincipalTag/owner': '${aws:username}' } },
    context: { 'aws:username': 'bob', 'aws:PrincipalTag/owner': '${aws:username}' },
    match: true,
    version: '2008-10-17',
  },
]

describe('policy variables in conditions', () => {
  it.each(condRows)('$name — $doc', ({ condition, context, match, version }) => {
    expect(conditionMatches(condition, context, version)).toBe(match)
  })
})
