import { describe, expect, it } from 'vitest'
import { evaluateRequest, type Decision, type EvaluationRequest } from '../../lib/iam/index'
import { DOC } from './docs'
import { decide, policy } from './harness'

// Carlos's identity policy from the policy evaluation example.
const CARLOS = [
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
]

// "allowed, implicitly denied and explicitly denied actions" example.
const GET_LIST = [
  { Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
  { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' },
]

type Row = { doc: string; name: string; policies: unknown[]; request: EvaluationRequest; expected: Decision }

const rows: Row[] = [
  {
    doc: DOC.evalBasics,
    name: 'Carlos saving to a bucket with "log" in its name is explicitly denied',
    policies: [CARLOS],
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs/file.txt' },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.evalBasics,
    name: 'Carlos saving to his own bucket is allowed',
    policies: [CARLOS],
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/file.txt' },
    expected: 'allowed',
  },
  {
    doc: DOC.evalBasics,
    name: 'Carlos may read the location of any bucket',
    policies: [CARLOS],
    request: { action: 's3:GetBucketLocation', resource: 'arn:aws:s3:::another-bucket' },
    expected: 'allowed',
  },
  {
    doc: DOC.evalBasics,
    name: 'Carlos reading objects of another bucket is implicitly denied',
    policies: [CARLOS],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::another-bucket/x' },
    expected: 'implicitDeny',
  },
  {
    doc: DOC.evalBasics,
    name: 'an action of a service no statement names is implicitly denied',
    policies: [CARLOS],
    request: { action: 'ec2:RunInstances', resource: '*' },
    expected: 'implicitDeny',
  },
  {
    doc: DOC.interplay,
    name: 'iam:GetUser is allowed by AllowGetList',
    policies: [GET_LIST],
    request: { action: 'iam:GetUser', resource: '*' },
    expected: 'allowed',
  },
  {
    doc: DOC.interplay,
    name: 'iam:ListRoles is allowed by AllowGetList',
    policies: [GET_LIST],
    request: { action: 'iam:ListRoles', resource: '*' },
    expected: 'allowed',
  },
  {
    doc: DOC.interplay,
    name: 'iam:CreatePolicy is implicitly denied',
    policies: [GET_LIST],
    request: { action: 'iam:CreatePolicy', resource: '*' },
    expected: 'implicitDeny',
  },
  {
    doc: DOC.interplay,
    name: 'iam:GetOrganizationsAccessReport is explicitly denied although Get* allows it',
    policies: [GET_LIST],
    request: { action: 'iam:GetOrganizationsAccessReport', resource: '*' },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.interplay,
    name: 'another policy allowing iam:GenerateCredentialReport does not beat DenyReports',
    policies: [GET_LIST, [{ Effect: 'Allow', Action: 'iam:GenerateCredentialReport', Resource: '*' }]],
    request: { action: 'iam:GenerateCredentialReport', resource: '*' },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.denyAllow,
    name: 'with no policy at all a request is implicitly denied',
    policies: [],
    request: { action: 's3:GetObject', resource: '*' },
    expected: 'implicitDeny',
  },
  {
    doc: DOC.denyAllow,
    name: 'one Allow in any identity policy is enough',
    policies: [
      [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }],
      [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    ],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
    expected: 'allowed',
  },
  {
    doc: DOC.denyAllow,
    name: 'an explicit Deny in one policy overrides an Allow in another',
    policies: [
      [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
      [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }],
    ],
    request: { action: 's3:DeleteBucket', resource: 'arn:aws:s3:::b' },
    expected: 'explicitDeny',
  },
  {
    doc: DOC.effect,
    name: 'a Deny statement alone never allows',
    policies: [[{ Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::other' }]],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' },
    expected: 'implicitDeny',
  },
]

describe('policy evaluation logic (identity-based, one account)', () => {
  it.each(rows)('$name — $doc', ({ policies, request, expected }) => {
    expect(decide(policies, request)).toBe(expected)
  })
})

describe('the statements that decided', () => {
  it('an explicit deny names every applicable Deny statement, with policy, index and Sid', () => {
    const r = evaluateRequest(
      { identity: [policy(CARLOS, 'identity', 'carlos')] },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs/f' },
    )
    expect(r.statements).toEqual([{ policy: 'carlos', kind: 'identity', index: 2, sid: 'DenyS3Logs', effect: 'Deny' }])
  })

  it('an allow names every identity Allow that applied, in document order', () => {
    const r = evaluateRequest(
      { identity: [policy(CARLOS, 'identity', 'carlos')] },
      { action: 's3:ListAllMyBuckets', resource: 'arn:aws:s3:::carlossalazar' },
    )
    expect(r.decision).toBe('allowed')
    expect(r.statements.map((s) => s.sid)).toEqual(['AllowS3ListRead', 'AllowS3Self'])
  })

  it('a statement given as an object has index 0 and no Sid when it has none', () => {
    const r = evaluateRequest(
      {
        identity: [
          policy(
            { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } },
            'identity',
            'one',
          ),
        ],
      },
      { action: 'a:b', resource: 'r' },
    )
    expect(r.statements).toEqual([{ policy: 'one', kind: 'identity', index: 0, effect: 'Allow' }])
  })

  it('an implicit deny without boundary says the identity side is missing', () => {
    const r = evaluateRequest({ identity: [] }, { action: 'a:b', resource: 'r' })
    expect(r).toEqual({ decision: 'implicitDeny', statements: [], missing: 'identity' })
  })
})
