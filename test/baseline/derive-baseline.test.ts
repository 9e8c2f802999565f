import { describe, expect, it } from 'vitest'
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import { parseEnvironment } from '../../lib/baseline/parse-environment'
import { MWAA_ACCOUNT_STAND_IN } from '../../lib/baseline/representative'
import type { Baseline, Feature, MwaaEnvironment } from '../../lib/baseline/types'
import { baselineCatalogue } from '../../lib/catalogue/baseline-catalogue'
import { compilePolicy, evaluateRequest, evaluateResourcePolicy } from '../../lib/iam'
import type { PolicyDocument } from '../../lib/iam/types'
import { DOC, SAMPLES, rawSample, sample, type Sample } from './corpus'

const catalogue = baselineCatalogue()
const derive = (env: MwaaEnvironment) => deriveBaseline(env, { catalogue })
const baselineOf = (name: Sample) => derive(sample(name))
const count = (b: Baseline, feature: Feature) => b.checks.filter((c) => c.feature === feature).length
const allows = (policy: PolicyDocument, b: Baseline) => {
  const compiled = compilePolicy(policy, 'role', 'identity')
  return b.checks.filter((c) => evaluateRequest({ identity: [compiled] }, c).decision === 'allowed').map((c) => c.id)
}
const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(strings)
        : []

// [sample, total, dag-bucket, encryption]: 19 object + 20 bucket actions of s3:GetObject*/GetBucket*/List* per object
// ARN (+1 per extra object such as requirements.txt), 7 KMS actions (GenerateDataKey* is 4) per kms:ViaService.
const EXPECTED: Array<[Sample, number, number, number]> = [
  ['custodian-1', 91, 40, 7],
  ['custodian-2', 91, 40, 7],
  ['custodian-3', 98, 40, 14],
  ['custodian-4', 98, 40, 14],
  ['custodian-5', 91, 40, 7],
  ['custodian-6', 91, 40, 7],
  ['mwaaDR-1', 110, 59, 7],
]

describe('deriveBaseline on every corpus sample', () => {
  it.each(EXPECTED)(
    `${DOC.role}: %s has %i checks (dag-bucket %i, encryption %i)`,
    (name, total, dagBucket, encryption) => {
      const b = baselineOf(name)
      expect(b.checks).toHaveLength(total)
      expect(count(b, 'dag-bucket')).toBe(dagBucket)
      expect(count(b, 'encryption')).toBe(encryption)
      expect(count(b, 'logs')).toBe(36) // 7 actions x 5 log groups + logs:DescribeLogGroups
      expect(count(b, 'task-queue')).toBe(6)
      expect(count(b, 'metrics')).toBe(2)
    },
  )

  it.each(SAMPLES.map((s) => [DOC.role, s]))('%s: %s policy has every placeholder filled', (_doc, name) => {
    const b = baselineOf(name)
    expect(strings(b.policy).filter((s) => /\{[^}]*\}/.test(s))).toEqual([])
  })

  it.each(SAMPLES.map((s) => [DOC.role, s]))('%s: %s checks are unique and name a Sid of the policy', (_doc, name) => {
    const b = baselineOf(name)
    const sids = b.policy.Statement.map((s) => s.Sid)
    expect(new Set(sids).size).toBe(sids.length)
    expect(new Set(b.checks.map((c) => c.id)).size).toBe(b.checks.length)
    for (const c of b.checks) expect(sids).toContain(c.statement)
  })

  it.each(SAMPLES.map((s) => [DOC.role, s]))(
    '%s: the filled policy of %s grants every check it derives',
    (_doc, name) => {
      const b = baselineOf(name)
      expect(allows(b.policy, b)).toHaveLength(b.checks.length)
    },
  )

  it.each(SAMPLES.map((s) => [DOC.role, s]))(
    '%s: the doc trust policy of %s passes both trust checks',
    (_doc, name) => {
      const b = baselineOf(name)
      const trust = compilePolicy(b.trustPolicy, 'trust', 'resource')
      for (const t of b.trustChecks) {
        const result = evaluateResourcePolicy(trust, {
          action: t.action,
          resource: b.environment.executionRoleArn,
          principal: { type: 'Service', id: t.principal },
          context: t.context,
        })
        expect(result.decision).toBe('allowed')
      }
      expect(b.trustChecks.map((t) => t.principal)).toEqual(['airflow.amazonaws.com', 'airflow-env.amazonaws.com'])
    },
  )
})

describe('dag-bucket checks apply each S3 action only to its resource types', () => {
  const b = baselineOf('mwaaDR-1')
  const on = (action: string) => b.checks.filter((c) => c.action === action).map((c) => c.resource)
  it.each([
    [DOC.s3, 's3:ListBucket', ['arn:aws:s3:::primary-bucket']],
    [DOC.s3, 's3:GetBucketVersioning', ['arn:aws:s3:::primary-bucket']],
    [DOC.s3, 's3:GetObject', ['arn:aws:s3:::primary-bucket/dags/*', 'arn:aws:s3:::primary-bucket/requirements.txt']],
    [DOC.s3, 's3:ListAllMyBuckets', []], // no resource-level permissions: the doc's bucket statement cannot grant it
    [DOC.s3, 's3:ListAccessPoints', []],
    [DOC.role, 's3:GetAccountPublicAccessBlock', ['*']],
  ])('%s: %s on %j', (_doc, action, resources) => {
    expect(on(action)).toEqual(resources)
  })
})

describe('logs checks use the environment log groups', () => {
  it(`${DOC.logs}: custodian-1 uses LoggingConfiguration's log group ARNs; stream actions go to the group's streams`, () => {
    const b = baselineOf('custodian-1')
    const task = 'arn:aws:logs:us-east-1:644160558196:log-group:airflow-TestStack-MwaaEnvironment-Task'
    const on = (action: string) =>
      b.checks.filter((c) => c.action === action && c.resource.startsWith(task)).map((c) => c.resource)
    expect(on('logs:CreateLogGroup')).toEqual([task])
    expect(on('logs:PutLogEvents')).toEqual([`${task}:log-stream:*`])
  })

  it(`${DOC.logs}: custodian-3 (logging disabled, no ARNs) gets the names MWAA gives, and a warning`, () => {
    const b = baselineOf('custodian-3')
    const groups = new Set(b.checks.filter((c) => c.action === 'logs:CreateLogGroup').map((c) => c.resource))
    expect([...groups]).toEqual(
      ['DAGProcessing', 'Scheduler', 'Task', 'WebServer', 'Worker'].map(
        (s) => `arn:aws:logs:us-east-1:644160558196:log-group:airflow-testEnvironment-${s}`,
      ),
    )
    expect(b.warnings.join('\n')).toMatch(/TaskLogs.*disabled/)
  })

  it(`${DOC.role}: a log group outside airflow-{env}-* (from LoggingConfiguration) is added to the policy`, () => {
    const raw = rawSample('custodian-1') as { data: { Environment: Record<string, any> } }
    const custom = 'arn:aws:logs:us-east-1:644160558196:log-group:custom-task-logs'
    raw.data.Environment.LoggingConfiguration.TaskLogs.CloudWatchLogGroupArn = custom
    const b = derive(parseEnvironment(raw, 'custom.json'))
    expect(b.checks.some((c) => c.resource === `${custom}:log-stream:*`)).toBe(true)
    expect(allows(b.policy, b)).toHaveLength(b.checks.length)
  })
})

describe('task queue and encryption', () => {
  it(`${DOC.role}: mwaaDR-1 checks its CeleryExecutorQueue, and the AWS owned key in the queue's account`, () => {
    const b = baselineOf('mwaaDR-1')
    const queue = 'arn:aws:sqs:us-east-1:123456789888:airflow-celery-aaaaaaa-bbbb-1111-aa11-1112223334445'
    expect(new Set(b.checks.filter((c) => c.feature === 'task-queue').map((c) => c.resource))).toEqual(new Set([queue]))
    const kms = b.checks.filter((c) => c.feature === 'encryption')
    expect(new Set(kms.map((c) => c.resource.split(':')[4]))).toEqual(new Set(['123456789888']))
    expect(new Set(kms.map((c) => c.context['kms:ViaService']))).toEqual(new Set(['sqs.us-east-1.amazonaws.com']))
  })

  it(`${DOC.role}: custodian-1 (no CeleryExecutorQueue) checks a representative queue outside the customer account`, () => {
    const b = baselineOf('custodian-1')
    const queueChecks = b.checks.filter((c) => c.feature === 'task-queue')
    expect(queueChecks[0]!.resource).toBe(
      `arn:aws:sqs:us-east-1:${MWAA_ACCOUNT_STAND_IN}:airflow-celery-00000000-0000-0000-0000-000000000000`,
    )
    expect(queueChecks[0]!.note).toMatch(/representative/)
    // A role that pins the queue to its own account would break MWAA; the checks must catch it.
    const pinned = structuredClone(b.policy)
    const celery = pinned.Statement.find((s) => s.Sid === 'CeleryQueue')!
    celery.Resource = 'arn:aws:sqs:us-east-1:644160558196:airflow-celery-*'
    const granted = new Set(allows(pinned, b))
    expect(queueChecks.filter((c) => granted.has(c.id))).toEqual([])
  })

  it(`${DOC.cmk}: custodian-3 (KmsKey) checks the key via SQS and via S3, with the customer-managed-key statement`, () => {
    const b = baselineOf('custodian-3')
    const key = 'arn:aws:kms:us-east-1:644160558196:key/f9ee2a11-fe4a-4d98-a611-3621e71fd212'
    const kms = b.checks.filter((c) => c.feature === 'encryption')
    expect(new Set(kms.map((c) => c.resource))).toEqual(new Set([key]))
    expect(new Set(kms.map((c) => c.statement))).toEqual(new Set(['KmsViaSqsAndS3']))
    const via = (service: string) => kms.filter((c) => c.context['kms:ViaService'] === service).map((c) => c.action)
    expect(via('s3.us-east-1.amazonaws.com')).toEqual(via('sqs.us-east-1.amazonaws.com'))
    expect(via('s3.us-east-1.amazonaws.com')).toContain('kms:GenerateDataKeyWithoutPlaintext')
    expect(b.policy.Statement.find((s) => s.Sid === 'KmsViaSqsAndS3')!.Resource).toBe(key)
  })

  it.each([
    [DOC.role, 'custodian-3', 'customer managed key'],
    [DOC.role, 'custodian-1', 'AWS owned key'],
  ])('%s: %s (%s) still requires airflow:PublishMetrics on the environment', (_doc, name) => {
    const b = baselineOf(name as Sample)
    expect(b.policy.Statement[0]).toMatchObject({
      Sid: 'AirflowPublishMetrics',
      Action: 'airflow:PublishMetrics',
      Resource: b.environment.arn,
    })
    expect(b.checks.some((c) => c.action === 'airflow:PublishMetrics' && c.resource === b.environment.arn)).toBe(true)
  })
})

describe('trust checks carry the confused-deputy context', () => {
  const b = baselineOf('custodian-5')
  const trustWith = (account: string) =>
    compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': account },
              ArnLike: {
                'aws:SourceArn': `arn:aws:airflow:us-east-1:${account}:environment/TestStack-MwaaEnvironment`,
              },
            },
          },
        ],
      },
      'trust',
      'resource',
    )
  it.each([
    [DOC.deputy, '644160558196', 'allowed'],
    [DOC.deputy, '111122223333', 'implicitDeny'],
  ])('%s: a trust policy pinned to account %s -> %s', (_doc, account, decision) => {
    for (const t of b.trustChecks) {
      const result = evaluateResourcePolicy(trustWith(account), {
        action: t.action,
        resource: b.environment.executionRoleArn,
        principal: { type: 'Service', id: t.principal },
        context: t.context,
      })
      expect(result.decision).toBe(decision)
    }
  })
})

describe('warnings', () => {
  it.each([
    [DOC.getEnvironment, 'custodian-2', /status is DELETING/],
    [DOC.getEnvironment, 'custodian-1', null],
  ])('%s: %s', (_doc, name, pattern) => {
    const warnings = baselineOf(name as Sample).warnings
    if (pattern) expect(warnings.join('\n')).toMatch(pattern)
    else expect(warnings).toEqual([])
  })
})
