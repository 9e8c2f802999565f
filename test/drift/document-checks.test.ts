/**
 * The end-to-end check: a role that grants its whole baseline, and one document beyond it changed at a time (bucket
 * policy, key policy and state, VPC endpoint policy, SCP and RCP levels). Each finding names the blocking document
 * and statement; heal plans no write for it and says why.
 */
import { describe, expect, it } from 'vitest'
import { planHeal } from '../../lib/drift/plan-heal'
import { findDrift } from '../../lib/drift/find-drift'
import type { Finding } from '../../lib/drift/findings'
import type { OrganizationLevel, ResourceDocuments, VpcEndpointDocument } from '../../lib/drift/resource-documents'
import type { PolicyDocument } from '../../lib/iam/types'
import { Sid } from '../../lib/baseline'
import { describeCause } from '../../lib/report/describe'
import { baselineOf, catalogue, doc, roleOf } from './support'

const DOC = {
  bucketPolicy: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
  denyAllow:
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html',
  keyPolicy: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
  keyState: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html',
  endpoint: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html',
  sourceVpce:
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce',
  scp: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html',
  rcp: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html',
  mwaaEndpoints: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-vpe-create-access.html',
} as const

// custodian-3: a customer managed key (the doc's sample policy for that key type).
const b = baselineOf('custodian-3')
const role = roleOf(b)
const env = b.environment
const account = env.accountId
const bucket = env.bucketArn.split(':::')[1]!
const keyArn = env.kmsKey!
const VPC = 'vpc-0123456789abcdef0'
const S3_ENDPOINT = 'vpce-0a1b2c3d4e5f60718'
const allowAll = (sid = 'FullAWSAccess') => doc({ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' })
/** RCPs and endpoint policies name their principal: always "*" in an RCP. */
const allowAllPrincipals = (sid: string) =>
  doc({ Sid: sid, Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })
const rootDelegation = doc({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
})
const key = (policy: PolicyDocument, state = 'Enabled'): ResourceDocuments['key'] => ({
  kind: 'found',
  value: { arn: keyArn, policy, state, awsManaged: false },
})
const endpoint = (
  service: VpcEndpointDocument['service'],
  id: string,
  policy: PolicyDocument,
): VpcEndpointDocument => ({
  id,
  service,
  serviceName: `com.amazonaws.${env.region}.${service}`,
  type: service === 's3' ? 'Gateway' : 'Interface',
  policy,
})
const vpc = (...endpoints: VpcEndpointDocument[]): ResourceDocuments['vpc'] => ({
  kind: 'found',
  value: { id: VPC, endpoints },
})
const level = (target: string, ...policies: Array<[string, PolicyDocument]>): OrganizationLevel => ({
  target,
  policies: policies.map(([name, document], i) => ({ id: `p-${target.slice(-4)}${i}`, name, document })),
})
const organization = (scps: OrganizationLevel[], rcps: OrganizationLevel[] = [], managementAccount = '999999999999') =>
  ({ kind: 'found', value: { scps, rcps, managementAccount } }) as ResourceDocuments['organization']

const healthy: ResourceDocuments = {
  bucket: { name: bucket, policy: { kind: 'none' } },
  key: key(rootDelegation),
  vpc: vpc(),
}
const denyNonVpc = doc({
  Sid: 'DenyNonVpc',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [env.bucketArn, `${env.bucketArn}/*`],
  Condition: { StringNotEquals: { 'aws:SourceVpce': S3_ENDPOINT } },
})
const denySqs = doc({ Sid: 'DenySqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' })

const run = (documents: ResourceDocuments) => findDrift(role, [b], undefined, new Map([[env.name, documents]]))
const causes = (findings: Finding[]) => [...new Set(findings.map(describeCause))]
const features = (findings: Finding[]) => [...new Set(findings.map((f) => f.feature))]

type Row = {
  doc: string
  why: string
  documents: ResourceDocuments
  /** the causes reported, one per distinct document statement */
  causes: string[]
  features: string[]
}

const rows: Row[] = [
  { doc: DOC.keyPolicy, why: 'every document allows', documents: healthy, causes: [], features: [] },
  {
    doc: DOC.bucketPolicy,
    why: 'a bucket policy that denies requests not through the VPC endpoint, and no endpoint in the VPC',
    documents: { ...healthy, bucket: { name: bucket, policy: { kind: 'found', value: denyNonVpc } } },
    causes: [`explicitly denied by bucket policy of ${bucket}, statement "DenyNonVpc"`],
    features: ['dag-bucket'],
  },
  {
    doc: DOC.sourceVpce,
    why: 'the same policy, the VPC has that S3 endpoint: aws:SourceVpce matches',
    documents: {
      ...healthy,
      bucket: { name: bucket, policy: { kind: 'found', value: denyNonVpc } },
      vpc: vpc(endpoint('s3', S3_ENDPOINT, allowAllPrincipals('Default'))),
    },
    causes: [],
    features: [],
  },
  {
    doc: DOC.endpoint,
    why: "an S3 gateway endpoint policy that leaves out the environment's bucket",
    documents: {
      ...healthy,
      vpc: vpc(
        endpoint(
          's3',
          S3_ENDPOINT,
          doc({
            Sid: 'OtherBuckets',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:*',
            Resource: 'arn:aws:s3:::other/*',
          }),
        ),
      ),
    },
    causes: [`not allowed by policy of VPC endpoint ${S3_ENDPOINT} (com.amazonaws.${env.region}.s3)`],
    features: ['dag-bucket'],
  },
  {
    doc: DOC.mwaaEndpoints,
    why: 'a KMS endpoint policy that allows nothing: the ViaService calls do not go through it',
    documents: {
      ...healthy,
      vpc: vpc(
        endpoint('kms', 'vpce-0000000000000000b', doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })),
      ),
    },
    causes: [],
    features: [],
  },
  {
    doc: DOC.keyPolicy,
    why: 'a key policy that neither names the role nor delegates to the account',
    documents: {
      ...healthy,
      key: key(
        doc({
          Sid: 'AdminsOnly',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:role/key-admin` },
          Action: 'kms:*',
          Resource: '*',
        }),
      ),
    },
    causes: [`not allowed by key policy of ${keyArn}`],
    features: ['encryption'],
  },
  {
    doc: DOC.keyState,
    why: 'a disabled key',
    documents: { ...healthy, key: key(rootDelegation, 'Disabled') },
    causes: [`the KMS key ${keyArn} is Disabled: it refuses every cryptographic call`],
    features: ['encryption'],
  },
  {
    doc: DOC.scp,
    why: 'an SCP at an OU that denies SQS',
    documents: {
      ...healthy,
      organization: organization([
        level('r-ab12', ['FullAWSAccess', allowAll()]),
        level('ou-ab12-11111111', ['FullAWSAccess', allowAll()], ['deny-sqs', denySqs]),
        level(account, ['FullAWSAccess', allowAll()]),
      ]),
    },
    causes: [`explicitly denied by SCP deny-sqs (p-11111) attached to ou-ab12-11111111, statement "DenySqs"`],
    features: ['task-queue'],
  },
  {
    doc: DOC.scp,
    why: 'an OU whose only SCP allows S3 alone (FullAWSAccess detached): every other service lacks an Allow there',
    documents: {
      ...healthy,
      organization: organization([
        level('r-ab12', ['FullAWSAccess', allowAll()]),
        level('ou-ab12-11111111', ['s3-only', doc({ Sid: 'S3', Effect: 'Allow', Action: 's3:*', Resource: '*' })]),
        level(account, ['FullAWSAccess', allowAll()]),
      ]),
    },
    causes: ['not allowed by SCPs attached to ou-ab12-11111111'],
    features: ['task-queue', 'logs', 'metrics', 'encryption'],
  },
  {
    doc: DOC.scp,
    why: 'the same SCPs in the management account: SCPs do not apply there',
    documents: {
      ...healthy,
      organization: organization(
        [level('r-ab12', ['deny-sqs', denySqs]), level(account, ['deny-sqs', denySqs])],
        [],
        account,
      ),
    },
    causes: [],
    features: [],
  },
  {
    doc: DOC.rcp,
    why: "an RCP denying SQS: MWAA's Celery queue is outside the organization, the RCP does not apply to it",
    documents: {
      ...healthy,
      organization: organization(
        [level('r-ab12', ['FullAWSAccess', allowAll()]), level(account, ['FullAWSAccess', allowAll()])],
        [
          level(
            'r-ab12',
            ['RCPFullAWSAccess', allowAllPrincipals('RCPFullAWSAccess')],
            ['deny-sqs', doc({ Sid: 'DenySqs', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*' })],
          ),
          level(account, ['RCPFullAWSAccess', allowAllPrincipals('RCPFullAWSAccess')]),
        ],
      ),
    },
    causes: [],
    features: [],
  },
  {
    doc: DOC.rcp,
    why: "an RCP denying S3 reads outside the VPC: the account's own bucket is covered",
    documents: {
      ...healthy,
      organization: organization(
        [level('r-ab12', ['FullAWSAccess', allowAll()]), level(account, ['FullAWSAccess', allowAll()])],
        [
          level(
            'r-ab12',
            ['RCPFullAWSAccess', allowAllPrincipals('RCPFullAWSAccess')],
            [
              'data-perimeter',
              doc({
                Sid: 'OnlyThroughVpc',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: '*',
                Condition: { Null: { 'aws:SourceVpc': 'true' } },
              }),
            ],
          ),
          level(account, ['RCPFullAWSAccess', allowAllPrincipals('RCPFullAWSAccess')]),
        ],
      ),
    },
    causes: [`explicitly denied by RCP data-perimeter (p-ab121) attached to r-ab12, statement "OnlyThroughVpc"`],
    features: ['dag-bucket'],
  },
]

describe('findDrift with the documents beyond the role', () => {
  it.each(rows)('$doc: $why', (row) => {
    const report = run(row.documents)
    expect(causes(report.findings)).toEqual(row.causes)
    expect(features(report.findings).sort()).toEqual([...row.features].sort())
    expect(report.evaluated).toBe(b.checks.length + 2)
    // every document compiled and was checked
    expect(report.warnings).toEqual(b.warnings.map((w) => `${env.name}: ${w}`))
  })

  it.each(rows.filter((r) => r.causes.length > 0))(
    '$doc: heal writes nothing for "$why" and says the document is alert-only',
    (row) => {
      const report = run(row.documents)
      const plan = planHeal({ role, baselines: [b], findings: report.findings, catalogue })
      expect(plan.writes).toEqual([])
      expect(plan.blocked).toHaveLength(report.findings.length)
      for (const { reason } of plan.blocked)
        expect(reason).toMatch(/changes a bucket policy, key policy, VPC endpoint policy, SCP or RCP \(alert only\)/)
    },
  )

  it(`${DOC.keyPolicy}: with the key policy delegating, a missing identity grant is still not granted and healable`, () => {
    const narrowed = roleOf(b, {}, doc(...b.policy.Statement.filter((s) => s.Sid !== Sid.kmsCustomerKey)))
    const report = findDrift(narrowed, [b], undefined, new Map([[env.name, healthy]]))
    expect([...new Set(report.findings.map((f) => f.kind))]).toEqual(['not-granted'])
  })

  it('a document that could not be read is a warning; the checks it would have joined run on the rest', () => {
    const report = run({
      ...healthy,
      bucket: { name: bucket, policy: { kind: 'unreadable', reason: 's3:GetBucketPolicy answered AccessDenied' } },
      vpc: { kind: 'unreadable', reason: 'ec2 answered UnauthorizedOperation' },
    })
    expect(report.findings).toEqual([])
    expect(report.warnings).toContain(
      `${env.name}: bucket policy of ${bucket} not checked: s3:GetBucketPolicy answered AccessDenied`,
    )
    expect(report.warnings).toContain(
      `${env.name}: VPC endpoint policies not checked: ec2 answered UnauthorizedOperation`,
    )
  })

  it('a document that does not parse is named in a warning, never guessed at', () => {
    const report = run({
      ...healthy,
      bucket: { name: bucket, policy: { kind: 'found', value: { Statement: [{ Effect: 'Maybe' }] } as never } },
    })
    expect(report.findings).toEqual([])
    expect(report.warnings.some((w) => w.startsWith(`${env.name}: bucket policy of ${bucket} not checked:`))).toBe(true)
  })
})
