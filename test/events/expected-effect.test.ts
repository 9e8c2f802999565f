import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument } from '../../lib/iam/types'
import { expectedEffect } from '../../lib/events/expected-effect'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { corpusEvent, readJson, SAMPLES, withDetail } from './corpus'

// Why: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
const IAM_API = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_'
const PRINCIPAL =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts'
const TAGS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html'

const POLICY = 'arn:aws:iam::111122223333:policy/service-role/MWAA-Execution-Policy-mwaa-demo'
const BUCKET = 'arn:aws:s3:::mwaa-demo-dags-111122223333'

function parsed(event: unknown): ParsedEvent {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}
const sample = (file: string) => parsed(readJson(join(SAMPLES, file)))

const executionPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], Resource: [BUCKET, `${BUCKET}/*`] },
    {
      Effect: 'Allow',
      Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
      Resource: 'arn:aws:sqs:us-east-1:*:airflow-celery-*',
    },
  ],
}

/** The role before any sample ran: what a stale read still returns. */
const before: RoleState = {
  arn: 'arn:aws:iam::111122223333:role/service-role/mwaa-demo-execution-role',
  name: 'mwaa-demo-execution-role',
  trustPolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
        Action: 'sts:AssumeRole',
      },
    ],
  },
  inlinePolicies: [
    {
      name: 'mwaa-demo-extras',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
      },
    },
  ],
  attachedPolicies: [
    { arn: POLICY, name: 'MWAA-Execution-Policy-mwaa-demo', versionId: 'v2', document: executionPolicy },
  ],
  permissionsBoundary: null,
  tags: {},
}
const after = (edit: Partial<RoleState>): RoleState => ({ ...before, ...edit })

// The sample's inline policy, as IAM hands it back: keys reordered, lists as lists.
const extrasAfterPut: PolicyDocument = {
  Statement: [
    {
      Sid: 'ReadSecrets',
      Effect: 'Allow',
      Resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:airflow/*',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
    },
    { Sid: 'FreezeDagBucket', Effect: 'Deny', Action: ['s3:GetObject*'], Resource: `${BUCKET}/*` },
  ],
  Version: '2012-10-17',
}
const boundary = { arn: 'arn:aws:iam::111122223333:policy/developer-boundary', document: { Statement: [] } }
const versionThree = JSON.parse(
  (
    readJson(join(SAMPLES, 'iam-create-policy-version.json')).detail as {
      requestParameters: { policyDocument: string }
    }
  ).requestParameters.policyDocument,
) as PolicyDocument

const cases: Array<[file: string, stale: RoleState, fresh: RoleState, doc: string]> = [
  [
    'iam-put-role-policy.json',
    before,
    after({ inlinePolicies: [{ name: 'mwaa-demo-extras', document: extrasAfterPut }] }),
    `${IAM_API}PutRolePolicy.html`,
  ],
  ['iam-delete-role-policy.json', before, after({ inlinePolicies: [] }), `${IAM_API}DeleteRolePolicy.html`],
  [
    'iam-attach-role-policy.json',
    before,
    after({
      attachedPolicies: [
        ...before.attachedPolicies,
        { arn: 'arn:aws:iam::aws:policy/AWSDenyAll', name: 'AWSDenyAll', document: { Statement: [] } },
      ],
    }),
    `${IAM_API}AttachRolePolicy.html`,
  ],
  ['iam-detach-role-policy.json', before, after({ attachedPolicies: [] }), `${IAM_API}DetachRolePolicy.html`],
  [
    'iam-update-assume-role-policy.json',
    before,
    after({
      trustPolicy: {
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Principal: { Service: ['airflow.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
      },
    }),
    `${IAM_API}UpdateAssumeRolePolicy.html`,
  ],
  [
    'iam-put-role-permissions-boundary.json',
    before,
    after({ permissionsBoundary: boundary }),
    `${IAM_API}PutRolePermissionsBoundary.html`,
  ],
  [
    'iam-delete-role-permissions-boundary.json',
    after({ permissionsBoundary: boundary }),
    before,
    `${IAM_API}DeleteRolePermissionsBoundary.html`,
  ],
  [
    'iam-create-policy-version.json',
    before,
    after({ attachedPolicies: [{ ...before.attachedPolicies[0]!, versionId: 'v3', document: versionThree }] }),
    `${IAM_API}CreatePolicyVersion.html`,
  ],
  [
    'iam-set-default-policy-version.json',
    after({ attachedPolicies: [{ ...before.attachedPolicies[0]!, versionId: 'v3' }] }),
    after({ attachedPolicies: [{ ...before.attachedPolicies[0]!, versionId: 'v1' }] }),
    `${IAM_API}SetDefaultPolicyVersion.html`,
  ],
  ['iam-tag-role.json', before, after({ tags: { owner: 'data-platform' } }), `${IAM_API}TagRole.html`],
  [
    'iam-untag-role.json',
    after({ tags: { owner: 'data-platform', team: 'x' } }),
    after({ tags: { team: 'x' } }),
    `${IAM_API}UntagRole.html`,
  ],
]

describe('expectedEffect: a stale read does not pass, a fresh one does', () => {
  it.each(cases)('%s', (file, stale, fresh) => {
    const check = expectedEffect(sample(file))
    expect(check).toBeTypeOf('function')
    expect(check?.(stale)).toBe(false)
    expect(check?.(fresh)).toBe(true)
  })
})

describe('expectedEffect: where no check makes sense', () => {
  it.each([
    ['iam-delete-policy-version.json', `${IAM_API}DeletePolicyVersion.html (the default version cannot be deleted)`],
    ['iam-delete-role.json', `${IAM_API}DeleteRole.html (no role left to read)`],
    ['mwaa-create-environment.json', 'https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html'],
    ['mwaa-update-environment.json', 'https://docs.aws.amazon.com/mwaa/latest/API/API_UpdateEnvironment.html'],
  ])('%s', (file) => {
    expect(expectedEffect(sample(file))).toBeUndefined()
  })

  it('CreatePolicyVersion that does not become the default changes nothing a role can see', () => {
    const event = withDetail(readJson(join(SAMPLES, 'iam-create-policy-version.json')), (d) => {
      ;(d.requestParameters as Record<string, unknown>).setAsDefault = false
    })
    expect(expectedEffect(parsed(event))).toBeUndefined()
  })
})

describe('expectedEffect compares documents by meaning', () => {
  const trustEvent = (principal: unknown) =>
    parsed(
      withDetail(corpusEvent('iam-UpdateAssumeRolePolicy-invictus-2.json'), (d) => {
        d.requestParameters = {
          roleName: 'stratus-red-team-backdoor-r-role',
          policyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
          }),
        }
      }),
    )
  const stateWithTrust = (principal: unknown): RoleState =>
    after({
      arn: 'arn:aws:iam::123837392027:role/stratus-red-team-backdoor-r-role',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal as never, Action: 'sts:AssumeRole' }],
      },
    })

  it.each<[name: string, requested: unknown, stored: unknown, expected: boolean, doc: string]>([
    [
      'an account ID equals its root ARN',
      { AWS: '193672423079' },
      { AWS: 'arn:aws:iam::193672423079:root' },
      true,
      PRINCIPAL,
    ],
    [
      'a different account does not',
      { AWS: '193672423079' },
      { AWS: 'arn:aws:iam::111122223333:root' },
      false,
      PRINCIPAL,
    ],
    [
      'principal list order is ignored',
      { Service: ['a.amazonaws.com', 'b.amazonaws.com'] },
      { Service: ['b.amazonaws.com', 'a.amazonaws.com'] },
      true,
      PRINCIPAL,
    ],
    [
      'a removed principal is a difference',
      { Service: ['a.amazonaws.com'] },
      { Service: ['b.amazonaws.com', 'a.amazonaws.com'] },
      false,
      PRINCIPAL,
    ],
  ])('%s', (_name, requested, stored, expected) => {
    expect(expectedEffect(trustEvent(requested))?.(stateWithTrust(stored))).toBe(expected)
  })

  it('the compact corpus trust document equals a pretty, reordered copy', () => {
    const event = parsed(corpusEvent('iam-UpdateAssumeRolePolicy-invictus-2.json'))
    const stored = after({
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: '', Principal: { Service: 'ec2.amazonaws.com' }, Effect: 'Allow', Action: 'sts:AssumeRole' },
        ],
      },
    })
    expect(expectedEffect(event)?.(stored)).toBe(true)
  })

  it(`tag keys compare regardless of case, values do not (${TAGS})`, () => {
    const check = expectedEffect(sample('iam-tag-role.json'))
    expect(check?.(after({ tags: { Owner: 'data-platform' } }))).toBe(true)
    expect(check?.(after({ tags: { owner: 'Data-Platform' } }))).toBe(false)
  })
})

describe('expectedEffect on documents no real call carries (deep, oversized, outside IAM character set)', () => {
  const PUT_ROLE_POLICY = `${IAM_API}PutRolePolicy.html`
  const putEvent = (policyDocument: string) => {
    const raw = readJson(join(SAMPLES, 'iam-put-role-policy.json'))
    ;(raw.detail as { requestParameters: Record<string, unknown> }).requestParameters.policyDocument = policyDocument
    return parsed(raw)
  }
  const deepCondition = (depth: number) =>
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":${'['.repeat(depth)}"x"${']'.repeat(depth)}}}}]}`
  const stored = (document: unknown) =>
    after({ inlinePolicies: [{ name: 'mwaa-demo-extras', document: document as PolicyDocument }] })

  it(`a document nested 60,000 levels deep (within IAM's length limit) is compared without a RangeError (${PUT_ROLE_POLICY})`, () => {
    const text = deepCondition(60_000)
    const check = expectedEffect(putEvent(text))!
    expect(check(stored(JSON.parse(text)))).toBe(true)
    expect(check(stored(JSON.parse(deepCondition(59_999))))).toBe(false)
  })

  it.each([
    ['longer than IAM takes (131,072 characters)', `{"Version":"2012-10-17","Statement":[]}${' '.repeat(131_072)}`],
    ['a character outside U+0009-U+00FF', '{"Version":"2012-10-17","Statement":[],"Id":"\u0100"}'],
    ['a lone surrogate', '{"Version":"2012-10-17","Statement":[],"Id":"\ud800"}'],
  ])(`a document %s is no evidence: only the policy name is checked (${PUT_ROLE_POLICY})`, (_name, text) => {
    const check = expectedEffect(putEvent(text))!
    expect(check(stored({ Version: '2012-10-17', Statement: [] }))).toBe(true)
    expect(check(after({ inlinePolicies: [] }))).toBe(false)
  })
})
