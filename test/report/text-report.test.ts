import { describe, expect, it } from 'vitest'
import { findDrift } from '../../lib/drift/find-drift'
import { INLINE_POLICY_QUOTA, planHeal, policySize } from '../../lib/drift/plan-heal'
import type { RoleState } from '../../lib/drift/types'
import { featureInfo } from '../../lib/baseline/features'
import { renderTextReport } from '../../lib/report/text-report'
import { DOC } from '../drift/docs'
import { baselineOf, catalogue, doc, policyWithout, roleOf } from '../drift/support'

const b = baselineOf('custodian-3')
const report = (role: RoleState, detached = [] as Parameters<typeof planHeal>[0]['detached']) => {
  const drift = findDrift(role, [b])
  const plan =
    drift.findings.length > 0
      ? planHeal({ role, baselines: [b], findings: drift.findings, catalogue, detached })
      : undefined
  return renderTextReport(drift, plan)
}
const lines = (text: string) => text.split('\n')

describe('renderTextReport', () => {
  it(`${DOC.mwaaRole}: a role that grants everything says OK with the count, and lists the environment's warnings`, () => {
    const text = report(roleOf(b))
    expect(lines(text)[0]).toBe(`Environment testEnvironment — execution role ${b.environment.executionRoleArn}`)
    expect(text).toContain(`OK: all ${b.checks.length + 2} required permissions are granted.`)
    expect(text).toMatch(/Warnings:\n {2}- testEnvironment: DagProcessingLogs, .* are disabled/)
    expect(text).not.toContain('heal')
  })

  it(`${DOC.mwaaRole}: each broken feature is one heading with its impact, even when its statements are far apart in the baseline`, () => {
    // AirflowPublishMetrics (first statement) and CloudWatchMetrics (sixth) both serve the metrics feature.
    const text = report(
      roleOf(b, {}, policyWithout(b, 'AirflowPublishMetrics', 'DescribeLogGroups', 'CloudWatchMetrics')),
    )
    expect(text).toContain(`DRIFT: 3 of ${b.checks.length + 2} required permissions are missing.`)
    const headings = lines(text).filter((l) => l.startsWith('✗ '))
    expect(headings).toEqual([`✗ ${featureInfo('metrics').title}`, `✗ ${featureInfo('logs').title}`])
    expect(text).toContain(`  Impact: ${featureInfo('metrics').impact}`)
    expect(text).toContain('  - not granted (baseline statement AirflowPublishMetrics):')
    expect(text).toContain('  - not granted (baseline statement CloudWatchMetrics):')
  })

  it(`${DOC.mwaaRole}: many actions and resources are summarised ("and N more")`, () => {
    const text = report(roleOf(b, {}, policyWithout(b, 'DagBucketRead')))
    expect(text).toMatch(/ {6}s3:GetObject, .* and \d+ more\n/)
    expect(text).toContain('  - put inline policy mwaa-role-guard-restore (restores 39 permissions)')
  })

  it.each([
    [
      DOC.denyAllow,
      'an inline Deny with a Sid',
      {
        inlinePolicies: [
          { name: 'execution', document: b.policy },
          { name: 'guardrail', document: doc({ Sid: 'NoSqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' }) },
        ],
      },
      'explicitly denied by inline:guardrail statement "NoSqs"',
    ],
    [
      DOC.denyAllow,
      'a managed Deny without a Sid',
      {
        attachedPolicies: [
          {
            arn: 'arn:aws:iam::644160558196:policy/guard',
            name: 'guard',
            document: doc(
              { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
              { Effect: 'Deny', Action: 'sqs:*', Resource: '*' },
            ),
          },
        ],
      },
      'explicitly denied by arn:aws:iam::644160558196:policy/guard statement #1',
    ],
    [
      DOC.boundaries,
      'a boundary',
      {
        permissionsBoundary: {
          arn: 'arn:aws:iam::644160558196:policy/boundary',
          document: doc({
            Effect: 'Allow',
            Action: ['s3:*', 'logs:*', 'kms:*', 'airflow:*', 'cloudwatch:*'],
            Resource: '*',
          }),
        },
      },
      'blocked by the permissions boundary arn:aws:iam::644160558196:policy/boundary',
    ],
  ] as const)('%s: the cause names %s, and the heal leaves it, saying why', (_doc, _title, over, cause) => {
    const text = report(roleOf(b, over as Partial<RoleState>))
    expect(text).toContain(`  - ${cause}:`)
    expect(text).toContain(`✗ ${featureInfo('task-queue').title}`)
    expect(text).toMatch(/ {2}- cannot restore 6 permissions: .*(never removes a Deny|never changes a boundary)/)
  })

  it(`${DOC.mwaaRole}: a missing trust principal is named, and the heal adds it`, () => {
    const text = report(
      roleOf(b, {
        trustPolicy: doc({
          Effect: 'Allow',
          Principal: { Service: 'airflow.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      }),
    )
    expect(text).toContain(`✗ ${featureInfo('trust').title}`)
    expect(text).toContain(
      '  - the trust policy does not let it call sts:AssumeRole:\n      airflow-env.amazonaws.com → sts:AssumeRole',
    )
    expect(text).toContain('  - add airflow-env.amazonaws.com to the trust policy (other statements kept)')
  })

  it(`${DOC.quotas}: a restore blocked by the inline policy quota says so (not "a Deny or the boundary")`, () => {
    const execution = policyWithout(b, 'CeleryQueue')
    const padTo = (chars: number) =>
      doc({
        Effect: 'Allow',
        Action: 'ec2:DescribeInstances',
        Resource: `arn:aws:ec2:*:*:instance/${'x'.repeat(chars)}`,
      })
    const room = INLINE_POLICY_QUOTA - policySize(execution) - policySize(padTo(0))
    const text = report(
      roleOf(b, {
        inlinePolicies: [
          { name: 'execution', document: execution },
          { name: 'pad', document: padTo(room - 50) },
        ],
      }),
    )
    expect(text).toMatch(
      / {2}- cannot restore 6 permissions: restoring it would bring the role's inline policies to \d+ characters, over the 10240 quota/,
    )
    expect(text).not.toContain('a Deny or the boundary')
  })

  it(`${DOC.mwaaRole}: a detached policy that grants more is not re-attached, and the report says so`, () => {
    const text = report(roleOf(b, {}, policyWithout(b, 'DagBucketRead')), [
      {
        arn: 'arn:aws:iam::644160558196:policy/s3-all',
        name: 's3-all',
        document: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
      },
    ])
    expect(text).toMatch(
      / {2}- note: not re-attaching arn:aws:iam::644160558196:policy\/s3-all: it grants more than the baseline \(s3:\w+ on \*\); restoring the missing permissions inline instead/,
    )
  })
})
