/**
 * The write guard: the last check before anything is written, independent of how the plan was made (issue 6).
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html (the baseline it compares with)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html (trust changes must be pinned)
 */
import { describe, expect, it } from 'vitest'
import { actionLevels } from '../../lib/catalogue/action-levels'
import { findDrift } from '../../lib/drift/find-drift'
import { type HealPlan, type HealWrite, planHeal } from '../../lib/drift/plan-heal'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { unsafeWrites } from '../../lib/drift/write-guard'
import { DOC } from './docs'
import { baselineOf, catalogue, doc, policyWithout, roleOf } from './support'

const b = baselineOf('custodian-1')
const role = roleOf(b, { trustPolicy: doc() }, policyWithout(b, 'CeleryQueue', 'DagBucketRead'))
const input = { role, baselines: [b], catalogue, levels: actionLevels() }
const plan = (...writes: HealWrite[]): HealPlan => ({ role: role.arn, writes, blocked: [], notes: [] })
const put = (...Statement: Parameters<typeof doc>): HealWrite => ({
  kind: 'put-inline-policy',
  policyName: RESTORE_POLICY_NAME,
  document: doc(...Statement),
  restores: [],
})
const trust = (condition?: Record<string, Record<string, string | string[]>>): HealWrite => ({
  kind: 'update-trust-policy',
  document: doc({
    Effect: 'Allow',
    Principal: { Service: ['airflow.amazonaws.com'] },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  }),
  adds: ['airflow.amazonaws.com'],
})

describe('unsafeWrites', () => {
  it(`${DOC.mwaaRole}: the plan planHeal makes for a drifted role passes`, () => {
    const made = planHeal({ role, baselines: [b], findings: findDrift(role, [b]).findings, catalogue })
    expect(made.writes.map((w) => w.kind)).toEqual(['update-trust-policy', 'put-inline-policy'])
    expect(unsafeWrites(made, input)).toEqual([])
  })

  it.each<[string, HealWrite, RegExp]>([
    [
      DOC.mwaaRole,
      put({ Sid: 'DagBucketRead', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }),
      /identity service/,
    ],
    [
      DOC.mwaaRole,
      put({ Sid: 'DagBucketRead', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::loot/*' }),
      /not a baseline statement of a live environment/,
    ],
    [
      DOC.mwaaRole,
      put({
        Sid: 'DagBucketRead',
        Effect: 'Allow',
        Action: 's3:PutBucketPolicy',
        Resource: 'arn:aws:s3:::airflow-test-c7n',
      }),
      /Permissions management/,
    ],
    [
      DOC.mwaaRole,
      { kind: 'put-inline-policy', policyName: 'other', document: doc(), restores: [] },
      /writes other, not mwaa-role-guard-restore/,
    ],
    [DOC.mwaaRole, { kind: 'delete-inline-policy', policyName: 'execution' }, /deletes execution/],
    [
      DOC.mwaaRole,
      { kind: 'attach-managed-policy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', restores: [] },
      /not a customer managed policy/,
    ],
    [DOC.deputy, trust(), /not pinned to environments/],
    [
      DOC.deputy,
      trust({
        StringEquals: { 'aws:SourceAccount': b.environment.accountId },
        ArnLike: { 'aws:SourceArn': 'arn:aws:airflow:us-east-1:644160558196:environment/other' },
      }),
      /is not a live environment's/,
    ],
    [
      DOC.deputy,
      trust({ StringEquals: { 'aws:SourceAccount': '999999999999' }, ArnLike: { 'aws:SourceArn': b.environment.arn } }),
      /not pinned to this account/,
    ],
  ])('%s: refuses %j', (_doc, write, problem) => {
    expect(unsafeWrites(plan(write), input).join('\n')).toMatch(problem)
  })
})

describe('unsafeWrites: an inline policy put back as it was (its document read back from the state table)', () => {
  const restore = (policyName: string, ...Statement: Parameters<typeof doc>): HealWrite => ({
    kind: 'restore-inline-policy',
    policyName,
    document: doc(...Statement),
    restores: [],
  })
  const dagBucket = b.policy.Statement.find((s) => s.Sid === 'DagBucketRead')!

  it(`${DOC.mwaaRole}: a removed policy within the baseline, wildcards as the User Guide writes them, passes`, () => {
    expect(unsafeWrites(plan(restore('dag-bucket', dagBucket)), input)).toEqual([])
  })

  it.each<[string, HealWrite, RegExp]>([
    [DOC.mwaaRole, restore('execution', dagBucket), /execution exists: a remembered document never replaces a policy/],
    [DOC.mwaaRole, restore(RESTORE_POLICY_NAME, dagBucket), /puts mwaa-role-guard-restore back as remembered/],
    [DOC.mwaaRole, restore('dag-bucket', { Effect: 'Allow', Action: '*', Resource: '*' }), /beyond the baselines/],
    [
      DOC.mwaaRole,
      restore('dag-bucket', { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }),
      /iam:PassRole matches no action the catalogue knows/,
    ],
    [
      DOC.mwaaRole,
      restore('dag-bucket', { Effect: 'Allow', NotAction: 's3:DeleteObject', Resource: 'arn:aws:s3:::x' }),
      /uses NotAction/,
    ],
  ])('%s: %j is refused', (_doc, write, problem) => {
    expect(unsafeWrites(plan(write), input).join('\n')).toMatch(problem)
  })
})
