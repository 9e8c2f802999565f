import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
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

  it(`${IAM.boundaries}: missing names the input fields that lacked an Allow`, async () => {
    const [noBoundaryAllow, neither] = (
      await simulate([
        item(CASES[3]!),
        { ...item(CASES[3]!), identityPolicies: [], request: { action: 'ec2:RunInstances', resource: '*' } },
      ])
    ).json
    expect(noBoundaryAllow.missing).toEqual(['permissionsBoundary'])
    expect(neither.missing).toEqual(['identityPolicies', 'permissionsBoundary'])
  })

  describe('every policy type', () => {
    const ACCOUNT = '111122223333'
    const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/mwaa-exec/airflow`
    const read = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::sales-dags/*' })
    const bucketPolicy = doc({
      Sid: 'DenyNonVpc',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::sales-dags/*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b' } },
    } as never)
    const full = doc({ Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' })
    const getDag = (context: Record<string, string> = {}) => ({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::sales-dags/dags/etl.py',
      context,
    })

    it(`${IAM.denyAllow}: the bucket policy's Deny is named by field and statement`, async () => {
      const result = await simulate({
        principal: SESSION,
        identityPolicies: [read],
        resourcePolicy: bucketPolicy,
        serviceControlPolicies: [[full], [full]],
        request: getDag(),
      })
      expect(result.code).toBe(0)
      expect(result.json[0]).toMatchObject({
        decision: 'explicitDeny',
        statements: [{ policy: 'resourcePolicy', sid: 'DenyNonVpc' }],
      })
    })

    it(`${IAM.scpEvaluation}: an SCP level without an Allow is named, and the Allows that did apply are listed`, async () => {
      const result = await simulate({
        principal: SESSION,
        identityPolicies: [read],
        resourcePolicy: bucketPolicy,
        serviceControlPolicies: [[full], [doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' })]],
        request: getDag({ 'aws:SourceVpce': 'vpce-0a1b' }),
      })
      expect(result.json[0].decision).toBe('implicitDeny')
      expect(result.json[0].missing).toEqual(['serviceControlPolicies[1]'])
      expect(deciding(result.json[0])).toEqual(['serviceControlPolicies[0][0]#0', 'identityPolicies[0]#0'])
    })

    it(`${IAM.crossAccount}: the resource account comes from the ARN: a queue of another account needs its queue policy`, async () => {
      const queue = 'arn:aws:sqs:us-east-1:444455556666:airflow-celery'
      const send = doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue })
      const queuePolicy = doc({
        Effect: 'Allow',
        Principal: { AWS: ACCOUNT },
        Action: 'sqs:SendMessage',
        Resource: queue,
      } as never)
      const base = {
        principal: SESSION,
        identityPolicies: [send],
        request: { action: 'sqs:SendMessage', resource: queue },
      }
      const [without, withPolicy] = (await simulate([base, { ...base, resourcePolicy: queuePolicy }])).json
      expect(without).toMatchObject({ decision: 'implicitDeny', missing: ['resourcePolicy'] })
      expect(withPolicy.decision).toBe('allowed')
    })

    it(`${IAM.crossAccount}: an S3 ARN has no account: the bucket is the caller's unless request.resourceAccount says otherwise`, async () => {
      const base = { principal: SESSION, identityPolicies: [read], request: getDag() }
      const [own, other] = (
        await simulate([base, { ...base, request: { ...getDag(), resourceAccount: '444455556666' } }])
      ).json
      expect(own.decision).toBe('allowed')
      expect(other).toMatchObject({ decision: 'implicitDeny', missing: ['resourcePolicy'] })
    })

    it(`${IAM.scps}: a service-linked role's SCPs are reported as not applying`, async () => {
      const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`
      const result = await simulate({
        principal: slr,
        identityPolicies: [read],
        serviceControlPolicies: [[doc({ Effect: 'Deny', Action: '*', Resource: '*' })]],
        request: getDag(),
      })
      expect(result.json[0]).toMatchObject({
        decision: 'allowed',
        exempt: [{ policies: 'serviceControlPolicies', reason: 'SCPs do not affect service-linked roles' }],
      })
    })

    it(`${IAM.callerIdentity}: a service-side rule is reported with its page`, async () => {
      const result = await simulate({
        principal: SESSION,
        identityPolicies: [doc({ Effect: 'Deny', Action: '*', Resource: '*' })],
        request: { action: 'sts:GetCallerIdentity', resource: '*' },
      })
      expect(result.json[0]).toMatchObject({ decision: 'allowed', statements: [], rule: { doc: IAM.callerIdentity } })
    })

    it.each<[string, string, unknown, RegExp]>([
      [
        IAM.grammar,
        'an unknown top-level field',
        { identityPolicy: [], request: getDag() },
        /\.json: identityPolicy: unknown field/,
      ],
      [
        IAM.grammar,
        'an unknown field in a request of a batch',
        [
          { identityPolicies: [], request: getDag() },
          { identityPolicies: [], request: { ...getDag(), contxt: {} } },
        ],
        /\.json: \[1\]\.request\.contxt: unknown field/,
      ],
      [
        IAM.principal,
        'a principal the evaluator does not model',
        { principal: 'arn:aws:iam::111122223333:root', identityPolicies: [], request: getDag() },
        /\.json: principal: not a role, assumed-role or user ARN/,
      ],
      [
        IAM.principal,
        'identity-based policies for a service principal',
        { principal: 'airflow.amazonaws.com', identityPolicies: [read], request: getDag() },
        /\.json: identityPolicies: a service principal has no identity-based policies/,
      ],
      [
        IAM.sessionPolicies,
        'a session policy for an IAM user',
        { principal: `arn:aws:iam::${ACCOUNT}:user/ana`, identityPolicies: [], sessionPolicy: read, request: getDag() },
        /\.json: sessionPolicy: session policies belong to role sessions/,
      ],
      [
        IAM.crossAccount,
        'a bucket policy with neither principal nor resourceAccount (an S3 ARN has no account)',
        { identityPolicies: [read], resourcePolicy: bucketPolicy, request: getDag() },
        /\.json: request\.resourceAccount: needed with resourcePolicy/,
      ],
      [
        IAM.crossAccount,
        'a resourceAccount that is not an account ID',
        { identityPolicies: [], request: { ...getDag(), resourceAccount: '1234' } },
        /\.json: request\.resourceAccount: an AWS account ID has 12 digits/,
      ],
      [
        IAM.scps,
        'an organization without levels',
        { principal: SESSION, identityPolicies: [read], serviceControlPolicies: [], request: getDag() },
        /\.json: serviceControlPolicies: one array per level, root first/,
      ],
      [
        IAM.scps,
        'an SCP with a Principal, named by level and position',
        {
          principal: SESSION,
          identityPolicies: [read],
          serviceControlPolicies: [
            [full],
            [full, doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' } as never)],
          ],
          request: getDag(),
        },
        /\.json: serviceControlPolicies\[1\]\[1\]\.Statement\[0\]\.Principal: Principal is not allowed in a service control policy/,
      ],
      [
        IAM.rcps,
        'an RCP naming a principal other than "*"',
        {
          principal: SESSION,
          identityPolicies: [read],
          resourceControlPolicies: [
            [doc({ Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: '*', Resource: '*' } as never)],
          ],
          request: getDag(),
        },
        /\.json: resourceControlPolicies\[0\]\[0\]\.Statement\[0\]\.Principal: a resource control policy only takes "Principal": "\*"/,
      ],
      [
        IAM.endpoints,
        'an endpoint policy without Principal',
        { principal: SESSION, identityPolicies: [read], vpcEndpointPolicies: [full], request: getDag() },
        /\.json: vpcEndpointPolicies\[0\]\.Statement\[0\]\.Principal: a VPC endpoint policy statement needs Principal/,
      ],
    ])('%s: %s exits 2 with one line', async (_doc, _title, input, message) => {
      const result = await simulate(input)
      expect(result).toMatchObject({ code: 2, out: '' })
      expect(result.err).toMatch(message)
      expect(result.err).not.toContain('\n')
    })
  })

  it(`${IAM.evaluation}: the README's example gives the README's answer`, async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('### `simulate`'))
    const input = /cat > req\.json <<'EOF'\n([\s\S]*?)\nEOF/.exec(section)![1]!
    const output = /```json\n([\s\S]*?)\n```/.exec(section)![1]!
    const result = await run('simulate', '--input', files.file(input))
    expect(JSON.parse(result.out)).toEqual(JSON.parse(output))
  })

  it(`${DOC.mwaaRole}: --input is required`, async () => {
    const result = await run('simulate')
    expect(result.code).toBe(2)
    expect(result.err).toBe('mwaa-role-guard simulate: missing required flag --input (see mwaa-role-guard --help)')
  })
})
