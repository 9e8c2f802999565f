import { afterAll, describe, expect, it } from 'vitest'
import type { PolicyDocument } from '../../lib/iam/types'
import { DOC } from '../drift/docs'
import { DOC as IAM } from '../iam/docs'
import { doc } from '../drift/support'
import { run, scratch } from './support'

const files = scratch('simulate')
afterAll(() => files.remove())

const policy: PolicyDocument = doc(
  { Sid: 'ReadDags', Effect: 'Allow', Action: 's3:GetObject*', Resource: 'arn:aws:s3:::dags/*' },
  { Sid: 'Queue', Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-1:*:airflow-celery-*' },
  { Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' },
  {
    Sid: 'KmsViaSqs',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: { StringLike: { 'kms:ViaService': 'sqs.*.amazonaws.com' } },
  },
)
const boundary: PolicyDocument = doc({ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' })
const simulate = async (input: unknown) => {
  const result = await run('simulate', '--input', files.file(input))
  return { ...result, json: result.code === 0 ? JSON.parse(result.out) : undefined }
}

type Req = { action: string; resource: string; context?: Record<string, string | string[]> }
// [doc, request, boundary?, decision, deciding statements as "policy#index"]
const CASES: Array<[string, Req, PolicyDocument | null, string, string[]]> = [
  [
    IAM.evaluation,
    { action: 's3:GetObject', resource: 'arn:aws:s3:::dags/a.py' },
    null,
    'allowed',
    ['identityPolicies[0]#0'],
  ],
  [IAM.evaluation, { action: 's3:PutObject', resource: 'arn:aws:s3:::dags/a.py' }, null, 'implicitDeny', []],
  [
    IAM.denyAllow,
    { action: 'sqs:DeleteQueue', resource: 'arn:aws:sqs:us-east-1:1:airflow-celery-x' },
    null,
    'explicitDeny',
    ['identityPolicies[0]#2'],
  ],
  [
    IAM.boundaries,
    { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:1:airflow-celery-x' },
    boundary,
    'implicitDeny',
    ['identityPolicies[0]#1'],
  ],
  [
    IAM.boundaries,
    { action: 's3:GetObject', resource: 'arn:aws:s3:::dags/a.py' },
    boundary,
    'allowed',
    ['identityPolicies[0]#0', 'permissionsBoundary#0'],
  ],
  [
    IAM.condition,
    {
      action: 'kms:Decrypt',
      resource: 'arn:aws:kms:us-east-1:1:key/k',
      context: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' },
    },
    null,
    'allowed',
    ['identityPolicies[0]#3'],
  ],
  [
    IAM.condition,
    {
      action: 'kms:Decrypt',
      resource: 'arn:aws:kms:us-east-1:1:key/k',
      context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    },
    null,
    'implicitDeny',
    [],
  ],
  [
    IAM.multiValue,
    {
      action: 'kms:Decrypt',
      resource: 'arn:aws:kms:us-east-1:1:key/k',
      context: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'sqs.us-east-1.amazonaws.com'] },
    },
    null,
    'allowed',
    ['identityPolicies[0]#3'],
  ],
]
const item = ([, request, b]: (typeof CASES)[number], encoded = false) => ({
  identityPolicies: [encoded ? JSON.stringify(policy) : policy],
  ...(b ? { permissionsBoundary: b } : {}),
  request,
})
const deciding = (r: { statements: Array<{ policy: string; index: number }> }) =>
  r.statements.map((s) => `${s.policy}#${s.index}`)

describe('simulate --input', () => {
  it.each(CASES)('%s: %j (boundary %j) is %s, decided by %j', async (...row) => {
    const single = await simulate(item(row))
    expect(single.code).toBe(0)
    expect(single.json).toHaveLength(1)
    expect(single.json[0].decision).toBe(row[3])
    expect(deciding(single.json[0])).toEqual(row[4])
  })

  it(`${IAM.evaluation}: an array is answered in input order, documents as objects or JSON strings`, async () => {
    const batch = await simulate(CASES.map((row, i) => item(row, i % 2 === 1)))
    expect(batch.code).toBe(0)
    expect(batch.json.map((r: { decision: string }) => r.decision)).toEqual(CASES.map((c) => c[3]))
    expect(batch.json.map(deciding)).toEqual(CASES.map((c) => c[4]))
  })

  it(`${IAM.evaluation}: 5,000 requests in one run keep their order`, async () => {
    const requests = Array.from({ length: 5000 }, (_, i) => {
      const row = CASES[(i * 7) % CASES.length]!
      // a unique resource per request, so a reordering cannot go unnoticed
      const request = { ...row[1], resource: row[1].resource.replace(/([^/:]+)$/, `$1-${i}`) }
      return { row, input: { ...item(row), request } }
    })
    const result = await simulate(requests.map((r) => r.input))
    expect(result.code).toBe(0)
    expect(result.json).toHaveLength(5000)
    expect(result.json.map((r: { decision: string }) => r.decision)).toEqual(requests.map((r) => r.row[3]))
    expect(result.json.map(deciding)).toEqual(requests.map((r) => r.row[4]))
  })

  it.each<[string, string, unknown, RegExp]>([
    [
      IAM.grammar,
      'a statement without Resource, named by its position in the batch',
      [
        item(CASES[0]!),
        { identityPolicies: [doc({ Effect: 'Allow', Action: 's3:GetObject' } as never)], request: CASES[0]![1] },
      ],
      /\.json: \[1\]\.identityPolicies\[0\]\.Statement\[0\]\.Resource: /,
    ],
    [
      IAM.grammar,
      'a policy string that is not JSON',
      { identityPolicies: ['{nope'], request: CASES[0]![1] },
      /\.json: identityPolicies\[0\]: /,
    ],
    [
      IAM.grammar,
      'a bad boundary',
      { identityPolicies: [policy], permissionsBoundary: { Statement: [{ Effect: 'Allow' }] }, request: CASES[0]![1] },
      /\.json: permissionsBoundary\.Statement\[0\]/,
    ],
    [
      IAM.evaluation,
      'a request without action',
      [item(CASES[0]!), { identityPolicies: [], request: { resource: '*' } }],
      /\.json: \[1\]\.request\.action: /,
    ],
    [IAM.evaluation, 'no identityPolicies', { request: CASES[0]![1] }, /\.json: identityPolicies: /],
    [IAM.grammar, 'invalid JSON', '[{"request": }]', /\.json: not valid JSON \(.* at line 1, column 14\)$/],
  ])('%s: %s exits 2 with one line', async (_doc, _title, input, message) => {
    const result = await simulate(input)
    expect(result).toMatchObject({ code: 2, out: '' })
    expect(result.err).toMatch(message)
    expect(result.err).not.toContain('\n')
  })

  it(`${DOC.mwaaRole}: --input is required`, async () => {
    const result = await run('simulate')
    expect(result.code).toBe(2)
    expect(result.err).toBe('mwaa-role-guard simulate: missing required flag --input (see mwaa-role-guard --help)')
  })
})
