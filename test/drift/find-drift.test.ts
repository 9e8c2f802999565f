import { describe, expect, it } from 'vitest'
import { findDrift } from '../../lib/drift/find-drift'
import type { Finding } from '../../lib/drift/findings'
import type { RoleState } from '../../lib/drift/types'
import { SAMPLES } from '../baseline/corpus'
import { docSamplePolicy, DOC_TRUST_POLICY } from './doc-sample'
import { DOC } from './docs'
import { AWS_OWNED_KEY_SAMPLES, baselineOf, CUSTOMER_KEY_SAMPLES, doc, policyWithout, roleOf } from './support'
import { sample } from '../baseline/corpus'

const statementCases = SAMPLES.flatMap((name) =>
  baselineOf(name).policy.Statement.map((s) => [DOC.mwaaRole, name, s.Sid!] as const),
)
const kinds = (findings: Finding[]) => [...new Set(findings.map((f) => f.kind))]

describe('findDrift on every corpus sample', () => {
  it.each(SAMPLES.map((s) => [DOC.mwaaRole, s]))(
    '%s: %s with the filled doc policy and trust policy has no findings',
    (_doc, name) => {
      const b = baselineOf(name)
      const report = findDrift(roleOf(b), [b])
      expect(report.findings).toEqual([])
      expect(report.evaluated).toBe(b.checks.length + 2)
      expect(report.environments).toEqual([b.environment.name])
    },
  )

  it.each(statementCases)(
    '%s: %s without statement %s reports exactly its checks as not granted',
    (_doc, name, sid) => {
      const b = baselineOf(name)
      const report = findDrift(roleOf(b, {}, policyWithout(b, sid)), [b])
      const expected = b.checks.filter((c) => c.statement === sid)
      expect(expected.length).toBeGreaterThan(0)
      expect(kinds(report.findings)).toEqual(['not-granted'])
      expect(report.findings.map((f) => (f.kind === 'not-granted' ? f.check.id : '')).sort()).toEqual(
        expected.map((c) => c.id).sort(),
      )
      expect(new Set(report.findings.map((f) => f.feature))).toEqual(new Set(expected.map((c) => c.feature)))
    },
  )

  it.each(
    SAMPLES.flatMap((s) =>
      ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'].map((p) => [DOC.mwaaRole, s, p] as const),
    ),
  )('%s: %s trust policy without %s names that principal', (_doc, name, principal) => {
    const b = baselineOf(name)
    const other = principal === 'airflow.amazonaws.com' ? 'airflow-env.amazonaws.com' : 'airflow.amazonaws.com'
    const trust = doc({ Effect: 'Allow', Principal: { Service: other }, Action: 'sts:AssumeRole' })
    const report = findDrift(roleOf(b, { trustPolicy: trust }), [b])
    expect(report.findings).toHaveLength(1)
    const [finding] = report.findings
    expect(finding).toMatchObject({ kind: 'trust-missing', feature: 'trust', by: [], check: { principal } })
  })

  it.each(AWS_OWNED_KEY_SAMPLES.map((s) => [DOC.mwaaRole, s]))(
    '%s: the doc sample for an AWS owned key, as written, passes %s',
    (_doc, name) => {
      const b = baselineOf(name)
      const policy = docSamplePolicy(b.environment, sample(name).SourceBucketArn)
      expect(findDrift(roleOf(b, { trustPolicy: DOC_TRUST_POLICY }, policy), [b]).findings).toEqual([])
    },
  )

  // The doc's customer-managed-key sample has no airflow:PublishMetrics statement, though the same page says the role
  // needs it "to allow Amazon MWAA to monitor the health of an environment": exactly that one check is reported.
  it.each(CUSTOMER_KEY_SAMPLES.map((s) => [DOC.mwaaRole, s]))(
    '%s: the doc sample for a customer managed key misses only airflow:PublishMetrics on %s',
    (_doc, name) => {
      const b = baselineOf(name)
      const policy = docSamplePolicy(b.environment, sample(name).SourceBucketArn)
      const findings = findDrift(roleOf(b, { trustPolicy: DOC_TRUST_POLICY }, policy), [b]).findings
      expect(findings.map((f) => [f.kind, f.feature, f.kind === 'trust-missing' ? '' : f.check.action])).toEqual([
        ['not-granted', 'metrics', 'airflow:PublishMetrics'],
      ])
    },
  )

  it(`${DOC.mwaaRole}: environment warnings are passed on, prefixed with the environment name`, () => {
    const b = baselineOf('custodian-3')
    expect(b.warnings.length).toBeGreaterThan(0)
    expect(findDrift(roleOf(b), [b]).warnings).toEqual(b.warnings.map((w) => `testEnvironment: ${w}`))
  })
})

describe('the cause of each finding', () => {
  const b = baselineOf('custodian-1')
  const queue = b.checks.find((c) => c.statement === 'CeleryQueue')!
  const GUARD_ARN = 'arn:aws:iam::644160558196:policy/guardrail'
  const BOUNDARY_ARN = 'arn:aws:iam::644160558196:policy/mwaa-boundary'
  const denySqs = doc({ Sid: 'NoSqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' })
  const denyNoSid = doc(
    { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    { Effect: 'Deny', Action: 'sqs:SendMessage', Resource: '*' },
  )
  const boundaryWithoutKms = doc({
    Effect: 'Allow',
    Action: ['s3:*', 'logs:*', 'sqs:*', 'airflow:*', 'cloudwatch:*'],
    Resource: '*',
  })

  type Case = [doc: string, title: string, role: Partial<RoleState>, expected: (findings: Finding[]) => void]
  const cases: Case[] = [
    [
      DOC.denyAllow,
      'an inline Deny names inline:NAME and its Sid',
      {
        inlinePolicies: [
          { name: 'execution', document: b.policy },
          { name: 'guardrail', document: denySqs },
        ],
      },
      (findings) => {
        expect(findings).toHaveLength(6)
        for (const f of findings)
          expect(f).toMatchObject({
            kind: 'denied',
            feature: 'task-queue',
            by: [{ policy: 'inline:guardrail', sid: 'NoSqs', index: 0, effect: 'Deny' }],
          })
      },
    ],
    [
      DOC.denyAllow,
      'a managed policy Deny without Sid names the policy ARN and the statement index',
      { attachedPolicies: [{ arn: GUARD_ARN, name: 'guardrail', document: denyNoSid }] },
      (findings) => {
        expect(findings).toEqual([
          expect.objectContaining({
            kind: 'denied',
            check: expect.objectContaining({ action: 'sqs:SendMessage', resource: queue.resource }),
            by: [expect.objectContaining({ policy: GUARD_ARN, index: 1, effect: 'Deny' })],
          }),
        ])
      },
    ],
    [
      DOC.boundaries,
      'a boundary that does not allow kms blocks every KMS check, naming the boundary ARN and the statement that grants it',
      { permissionsBoundary: { arn: BOUNDARY_ARN, document: boundaryWithoutKms } },
      (findings) => {
        expect(findings).toHaveLength(b.checks.filter((c) => c.feature === 'encryption').length)
        for (const f of findings) {
          expect(f).toMatchObject({ kind: 'blocked-by-boundary', feature: 'encryption', boundary: BOUNDARY_ARN })
          expect(f.kind === 'blocked-by-boundary' && f.grantedBy.map((r) => `${r.policy} ${r.sid}`)).toEqual([
            'inline:execution KmsViaSqs',
          ])
        }
      },
    ],
    [
      DOC.boundaries,
      'a Deny in the boundary is an explicit deny naming the boundary',
      {
        permissionsBoundary: {
          arn: BOUNDARY_ARN,
          document: doc(
            { Effect: 'Allow', Action: '*', Resource: '*' },
            { Sid: 'NoLogs', Effect: 'Deny', Action: 'logs:DescribeLogGroups', Resource: '*' },
          ),
        },
      },
      (findings) =>
        expect(findings).toEqual([
          expect.objectContaining({
            kind: 'denied',
            by: [expect.objectContaining({ policy: BOUNDARY_ARN, sid: 'NoLogs', kind: 'boundary' })],
          }),
        ]),
    ],
    [
      DOC.evaluation,
      'the same statements in an attached managed policy grant everything',
      { inlinePolicies: [], attachedPolicies: [{ arn: GUARD_ARN, name: 'execution', document: b.policy }] },
      (findings) => expect(findings).toEqual([]),
    ],
    [
      DOC.mwaaRole,
      'a KMS statement whose kms:ViaService allows only S3 does not grant the SQS use of the AWS owned key',
      {
        inlinePolicies: [
          {
            name: 'execution',
            document: doc(...b.policy.Statement.filter((s) => s.Sid !== 'KmsViaSqs'), {
              ...b.policy.Statement.find((s) => s.Sid === 'KmsViaSqs')!,
              Condition: { StringLike: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
            }),
          },
        ],
      },
      (findings) => {
        expect(findings.length).toBe(7)
        for (const f of findings)
          expect(f).toMatchObject({
            kind: 'not-granted',
            feature: 'encryption',
            check: { context: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
          })
      },
    ],
    [
      DOC.deputy,
      'a trust policy pinned to the environment with aws:SourceAccount and aws:SourceArn still passes',
      {
        trustPolicy: doc({
          Effect: 'Allow',
          Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': b.environment.accountId },
            ArnLike: { 'aws:SourceArn': b.environment.arn },
          },
        }),
      },
      (findings) => expect(findings).toEqual([]),
    ],
    [
      DOC.deputy,
      'a trust policy pinned to another account is missing both principals (healable: nothing denies them)',
      {
        trustPolicy: doc({
          Effect: 'Allow',
          Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
        }),
      },
      (findings) =>
        expect(findings.map((f) => [f.kind, f.kind === 'trust-missing' && f.by.length])).toEqual([
          ['trust-missing', 0],
          ['trust-missing', 0],
        ]),
    ],
    [
      DOC.principal,
      'a trust Deny of one service names the trust statement',
      {
        trustPolicy: doc(...(b.trustPolicy.Statement as never[]), {
          Sid: 'NoEnv',
          Effect: 'Deny',
          Principal: { Service: 'airflow-env.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      },
      (findings) =>
        expect(findings).toEqual([
          expect.objectContaining({
            kind: 'trust-missing',
            check: expect.objectContaining({ principal: 'airflow-env.amazonaws.com' }),
            by: [expect.objectContaining({ policy: 'trust', sid: 'NoEnv', index: 1 })],
          }),
        ]),
    ],
  ]

  it.each(cases)('%s: %s', (_doc, _title, over, expected) => {
    expected(findDrift(roleOf(b, over), [b]).findings)
  })
})
