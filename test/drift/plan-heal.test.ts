import { describe, expect, it } from 'vitest'
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import { findDrift } from '../../lib/drift/find-drift'
import {
  INLINE_POLICY_QUOTA,
  TRUST_POLICY_DEFAULT_QUOTA,
  planHeal,
  policySize,
  type HealWrite,
} from '../../lib/drift/plan-heal'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { TRUST_STATEMENT_SID } from '../../lib/drift/merge-trust'
import type { RoleState } from '../../lib/drift/types'
import { sample, SAMPLES } from '../baseline/corpus'
import { docSamplePolicy } from './doc-sample'
import { DOC } from './docs'
import { baselineCatalogue } from '../../lib/catalogue'
import { healableLeft, healRound } from './heal'
import { baselineOf, catalogue, clone, doc, policyWithout, roleOf, statementsOf } from './support'

const kindsOf = (writes: HealWrite[]) => writes.map((w) => w.kind)
const MANAGED_ARN = 'arn:aws:iam::644160558196:policy/MWAA-Execution-Policy'

describe('planHeal restores what is missing, and a second plan is empty', () => {
  it.each(SAMPLES.map((s) => [DOC.mwaaRole, s]))(
    '%s: %s with no permissions and no trust is healed completely',
    (_doc, name) => {
      const b = baselineOf(name)
      const round = healRound(
        roleOf(b, {
          inlinePolicies: [],
          trustPolicy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        }),
        [b],
      )
      expect(kindsOf(round.plan.writes)).toEqual(['update-trust-policy', 'put-inline-policy'])
      expect(round.after.findings).toEqual([])
      expect(round.second.writes).toEqual([])
    },
  )

  it(`${DOC.mwaaRole}: an existing restore policy is kept and extended, never shrunk`, () => {
    const b = baselineOf('custodian-1')
    const first = healRound(roleOf(b, {}, policyWithout(b, 'CeleryQueue')), [b])
    const restored = first.healed.inlinePolicies.find((p) => p.name === RESTORE_POLICY_NAME)!
    const drifted: RoleState = {
      ...first.healed,
      inlinePolicies: first.healed.inlinePolicies.map((p) =>
        p.name === 'execution' ? { ...p, document: policyWithout(b, 'CeleryQueue', 'CloudWatchMetrics') } : p,
      ),
    }
    const second = healRound(drifted, [b])
    const merged = second.healed.inlinePolicies.find((p) => p.name === RESTORE_POLICY_NAME)!
    expect(
      statementsOf(merged.document)
        .map((s) => s.Sid)
        .sort(),
    ).toEqual(['CeleryQueue', 'CloudWatchMetrics'])
    expect(statementsOf(merged.document)).toEqual(expect.arrayContaining(statementsOf(restored.document)))
    expect(second.after.findings).toEqual([])
  })

  it(`${DOC.sid}: two environments sharing one role get one restore policy with unique Sids`, () => {
    const one = baselineOf('custodian-1')
    const raw = sample('custodian-1')
    const other = deriveBaseline(
      {
        ...raw,
        Name: 'Other',
        Arn: raw.Arn.replace(/environment\/.*/, 'environment/Other'),
        SourceBucketArn: 'arn:aws:s3:::other-bucket',
        LoggingConfiguration: undefined,
      },
      { catalogue },
    )
    const round = healRound(roleOf(one, { inlinePolicies: [] }), [one, other])
    const restore = round.plan.writes.find((w) => w.kind === 'put-inline-policy')!
    const sids = statementsOf(restore.kind === 'put-inline-policy' ? restore.document : doc()).map((s) => s.Sid)
    expect(new Set(sids).size).toBe(sids.length)
    expect(round.after.findings).toEqual([])
    expect(round.second.writes).toEqual([])
  })
})

describe('planHeal never removes a Deny and never changes a boundary', () => {
  const b = baselineOf('custodian-3')
  const guardrail = doc({ Sid: 'NoQueue', Effect: 'Deny', Action: 'sqs:SendMessage', Resource: '*' })
  const boundary = {
    arn: 'arn:aws:iam::644160558196:policy/boundary',
    document: doc({ Effect: 'Allow', Action: ['s3:*', 'logs:*', 'sqs:*', 'cloudwatch:*', 'airflow:*'], Resource: '*' }),
  }
  const trustDeny = {
    Sid: 'NoEnv',
    Effect: 'Deny' as const,
    Principal: { Service: 'airflow-env.amazonaws.com' },
    Action: 'sts:AssumeRole',
  }

  const cases: Array<[string, string, Partial<RoleState>, string, RegExp]> = [
    [
      DOC.denyAllow,
      'an inline Deny',
      {
        inlinePolicies: [
          { name: 'execution', document: policyWithout(b, 'DescribeLogGroups') },
          { name: 'guardrail', document: guardrail },
        ],
      },
      'denied',
      /explicitly denied by inline:guardrail statement "NoQueue"; heal never removes a Deny/,
    ],
    [
      DOC.boundaries,
      'a permissions boundary',
      {
        inlinePolicies: [{ name: 'execution', document: policyWithout(b, 'DescribeLogGroups') }],
        permissionsBoundary: boundary,
      },
      'blocked-by-boundary',
      /not allowed by the permissions boundary arn:aws:iam::644160558196:policy\/boundary; heal never changes a boundary/,
    ],
    [
      DOC.principal,
      'a trust policy Deny',
      {
        inlinePolicies: [{ name: 'execution', document: policyWithout(b, 'DescribeLogGroups') }],
        trustPolicy: doc(...statementsOf(b.trustPolicy), trustDeny),
      },
      'trust-missing',
      /the trust policy explicitly denies it \(trust statement "NoEnv"\); heal never removes a Deny/,
    ],
  ]
  it.each(cases)(
    '%s: %s stays as it is; what it blocks is reported with a reason',
    (_doc, _title, over, kind, reason) => {
      const role = roleOf(b, clone(over))
      const round = healRound(role, [b])
      expect(round.plan.blocked.length).toBeGreaterThan(0)
      for (const { finding, reason: text } of round.plan.blocked) {
        expect(finding.kind).toBe(kind)
        expect(text).toMatch(reason)
      }
      // The restore of the other (not denied) drift still happens, and nothing else of the role changes.
      expect(kindsOf(round.plan.writes)).toEqual(['put-inline-policy'])
      expect(round.healed.permissionsBoundary).toEqual(role.permissionsBoundary)
      expect(round.healed.trustPolicy).toEqual(role.trustPolicy)
      expect(round.healed.inlinePolicies.filter((p) => p.name !== RESTORE_POLICY_NAME)).toEqual(role.inlinePolicies)
      expect(healableLeft(round)).toEqual([])
      expect(round.after.findings.map((f) => f.kind)).toEqual(round.plan.blocked.map((x) => x.finding.kind))
      expect(round.second.writes).toEqual([])
    },
  )
})

describe('planHeal re-attaches a detached managed policy only when it is within the baseline', () => {
  const candidateCases = SAMPLES.flatMap((name) => [
    [DOC.mwaaRole, name, 'the filled baseline policy'] as const,
    [DOC.mwaaRole, name, 'the doc sample policy (with its Deny)'] as const,
  ])

  it.each(candidateCases)('%s: %s, %s, detached, is re-attached and nothing is put inline', (_doc, name, which) => {
    const b = baselineOf(name)
    const document =
      which === 'the filled baseline policy' ? b.policy : docSamplePolicy(b.environment, sample(name).SourceBucketArn)
    const detached = [{ arn: MANAGED_ARN, name: 'MWAA-Execution-Policy', document }]
    // The doc's customer-managed-key sample lacks airflow:PublishMetrics, so that one is restored inline.
    const inline =
      b.environment.kmsKey && which !== 'the filled baseline policy'
        ? [{ name: 'metrics', document: doc(b.policy.Statement[0]!) }]
        : []
    const round = healRound(roleOf(b, { inlinePolicies: inline }), [b], detached)
    expect(round.plan.notes).toEqual([])
    expect(round.plan.writes).toEqual([
      expect.objectContaining({ kind: 'attach-managed-policy', policyArn: MANAGED_ARN }),
    ])
    expect(round.after.findings).toEqual([])
    expect(round.second.writes).toEqual([])
  })

  it.each([
    [DOC.mwaaRole, 's3:* on *', doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), /s3:\w+ on \*/],
    [
      DOC.mwaaRole,
      'logs actions on every log group',
      doc({ Effect: 'Allow', Action: 'logs:*', Resource: 'arn:aws:logs:us-east-1:644160558196:log-group:*' }),
      /logs:\w+ on arn:aws:logs/,
    ],
    [
      DOC.notResource,
      'sqs actions on everything but one queue',
      doc({ Effect: 'Allow', Action: 'sqs:SendMessage', NotResource: 'arn:aws:sqs:us-east-1:644160558196:other' }),
      /sqs:SendMessage on every resource except arn:aws:sqs:us-east-1:644160558196:other/,
    ],
  ] as const)(
    '%s: a detached policy granting %s is not re-attached: the plan restores inline and says why',
    (_doc, _title, document, beyond) => {
      const b = baselineOf('custodian-1')
      const role = roleOf(b, {}, policyWithout(b, 'DagBucketRead', 'CeleryQueue', 'AirflowLogs'))
      const round = healRound(role, [b], [{ arn: MANAGED_ARN, name: 'broad', document }])
      expect(kindsOf(round.plan.writes)).toEqual(['put-inline-policy'])
      expect(round.plan.notes).toEqual([
        expect.stringMatching(
          new RegExp(
            `^not re-attaching ${MANAGED_ARN}: it grants more than the baseline \\(.*\\); restoring the missing permissions inline instead$`,
          ),
        ),
      ])
      expect(round.plan.notes[0]).toMatch(beyond)
      expect(round.healed.attachedPolicies).toEqual([])
      expect(round.after.findings).toEqual([])
    },
  )

  it(`${DOC.mwaaRole}: a detached policy that restores nothing is neither attached nor mentioned`, () => {
    const b = baselineOf('custodian-1')
    const role = roleOf(b, {}, policyWithout(b, 'CeleryQueue'))
    const round = healRound(
      role,
      [b],
      [
        {
          arn: MANAGED_ARN,
          name: 'logs',
          document: doc(b.policy.Statement.find((s) => s.Sid === 'DescribeLogGroups')!),
        },
      ],
    )
    expect(kindsOf(round.plan.writes)).toEqual(['put-inline-policy'])
    expect(round.plan.notes).toEqual([])
  })

  it(`${DOC.mwaaRole}: a policy that is still attached is not attached twice`, () => {
    const b = baselineOf('custodian-1')
    const attached = { arn: MANAGED_ARN, name: 'x', document: policyWithout(b, 'CeleryQueue') }
    const round = healRound(roleOf(b, { inlinePolicies: [], attachedPolicies: [attached] }), [b], [attached])
    expect(kindsOf(round.plan.writes)).toEqual(['put-inline-policy'])
  })
})

describe('the inline policy quota', () => {
  const b = baselineOf('mwaaDR-1')
  const padding = (chars: number) =>
    doc({
      Sid: 'Pad',
      Effect: 'Allow',
      Action: 'ec2:DescribeInstances',
      Resource: `arn:aws:ec2:*:*:instance/${'x'.repeat(chars)}`,
    })

  it(`${DOC.quotas}: a restore that would bring the role's inline policies over ${INLINE_POLICY_QUOTA} characters is blocked with the reason`, () => {
    const base = policySize(padding(0))
    const role = roleOf(b, { inlinePolicies: [{ name: 'big', document: padding(INLINE_POLICY_QUOTA - 200 - base) }] })
    const plan = planHeal({ role, baselines: [b], findings: findDrift(role, [b]).findings, catalogue })
    expect(plan.writes).toEqual([])
    expect(plan.blocked).toHaveLength(b.checks.length)
    expect(plan.blocked[0]!.reason).toMatch(
      /^restoring it would bring the role's inline policies to \d+ characters, over the 10240 quota$/,
    )
  })

  it(`${DOC.quotas}: a restore that fits under the quota is planned (whitespace is not counted)`, () => {
    const role = roleOf(b, { inlinePolicies: [{ name: 'execution', document: policyWithout(b, 'CloudWatchMetrics') }] })
    const plan = planHeal({ role, baselines: [b], findings: findDrift(role, [b]).findings, catalogue })
    const write = plan.writes[0]!
    expect(write.kind).toBe('put-inline-policy')
    const restore = write.kind === 'put-inline-policy' ? write.document : doc()
    const total = policySize(policyWithout(b, 'CloudWatchMetrics')) + policySize(restore)
    expect(total).toBeLessThanOrEqual(INLINE_POLICY_QUOTA)
    expect(policySize(restore)).toBe(JSON.stringify(JSON.parse(JSON.stringify(restore, null, 2))).length)
  })
})

describe('the trust policy merge', () => {
  const b = baselineOf('custodian-5')
  const other = [
    {
      Sid: 'Ec2',
      Effect: 'Allow' as const,
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '644160558196' } },
    },
    {
      Sid: 'NoLambda',
      Effect: 'Deny' as const,
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    },
  ]

  it(`${DOC.mwaaRole}, ${DOC.deputy}: missing principals are added in one statement pinned to the account and the environment; every other statement (Deny, conditions) is kept as it was`, () => {
    const role = roleOf(b, { trustPolicy: doc(...clone(other)) })
    const round = healRound(role, [b])
    const write = round.plan.writes[0]!
    expect(write).toMatchObject({
      kind: 'update-trust-policy',
      adds: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'],
    })
    const statements = statementsOf(round.healed.trustPolicy)
    expect(statements.slice(0, 2)).toEqual(other)
    expect(statements[2]).toEqual({
      Sid: TRUST_STATEMENT_SID,
      Effect: 'Allow',
      Principal: { Service: ['airflow-env.amazonaws.com', 'airflow.amazonaws.com'] },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': b.environment.accountId },
        ArnLike: { 'aws:SourceArn': [b.environment.arn] },
      },
    })
    expect(round.after.findings).toEqual([])
    expect(round.second.writes).toEqual([])
  })
})

describe('trust policy quota (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length)', () => {
  it('a merged trust policy over the default 2,048 characters is planned with a note saying IAM may reject it', () => {
    const environment = sample('custodian-1')
    const baseline = deriveBaseline(environment, { catalogue: baselineCatalogue() })
    const padding = Array.from({ length: 40 }, (_, i) => ({
      Sid: `Partner${i}`,
      Effect: 'Allow' as const,
      Principal: { AWS: `arn:aws:iam::${String(100000000000 + i)}:root` },
      Action: 'sts:AssumeRole',
    }))
    const role: RoleState = {
      arn: environment.ExecutionRoleArn,
      name: 'r',
      trustPolicy: { Version: '2012-10-17', Statement: padding },
      inlinePolicies: [{ name: 'p', document: baseline.policy }],
      attachedPolicies: [],
      permissionsBoundary: null,
      tags: {},
    }
    const report = findDrift(role, [baseline])
    const plan = planHeal({ role, baselines: [baseline], findings: report.findings, catalogue: baselineCatalogue() })
    expect(plan.writes.map((w) => w.kind)).toEqual(['update-trust-policy'])
    expect(JSON.stringify((plan.writes[0] as { document: unknown }).document).length).toBeGreaterThan(
      TRUST_POLICY_DEFAULT_QUOTA,
    )
    expect(plan.notes.join('\n')).toMatch(/over the default 2048 quota .*IAM may reject the update/)
  })
})
