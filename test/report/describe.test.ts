import { describe, expect, it } from 'vitest'
import type { Finding } from '../../lib/drift/findings'
import { describeCause, describeStatement, describeWrite, groupByCause, listSome } from '../../lib/report/describe'
import { DOC } from '../drift/docs'
import { baselineOf } from '../drift/support'

const b = baselineOf('custodian-3')
const kmsChecks = b.checks.filter((c) => c.feature === 'encryption')
const queueCheck = b.checks.find((c) => c.feature === 'task-queue')!

describe('describeStatement', () => {
  it.each([
    [
      DOC.sid,
      { policy: 'inline:ops', kind: 'identity', index: 2, sid: 'DenySqs', effect: 'Deny' },
      'inline:ops statement "DenySqs"',
    ],
    [
      DOC.evaluation,
      { policy: 'arn:aws:iam::644160558196:policy/X', kind: 'identity', index: 1, effect: 'Deny' },
      'arn:aws:iam::644160558196:policy/X statement #1',
    ],
  ] as const)('%s: %j reads %s', (_doc, ref, text) => {
    expect(describeStatement(ref)).toBe(text)
  })
})

describe('describeCause', () => {
  const trust = b.trustChecks[1]!
  it.each<[string, Finding, string]>([
    [
      DOC.mwaaRole,
      { kind: 'not-granted', environment: 'e', feature: 'task-queue', check: queueCheck },
      'not granted (baseline statement CeleryQueue)',
    ],
    [
      DOC.boundaries,
      {
        kind: 'blocked-by-boundary',
        environment: 'e',
        feature: 'task-queue',
        check: queueCheck,
        boundary: 'arn:aws:iam::1:policy/b',
        grantedBy: [],
      },
      'blocked by the permissions boundary arn:aws:iam::1:policy/b',
    ],
    [
      DOC.principal,
      { kind: 'trust-missing', environment: 'e', feature: 'trust', check: trust, by: [] },
      'the trust policy does not let it call sts:AssumeRole',
    ],
    [
      DOC.principal,
      {
        kind: 'trust-missing',
        environment: 'e',
        feature: 'trust',
        check: trust,
        by: [{ policy: 'trust', kind: 'resource', index: 1, sid: 'NoEnv', effect: 'Deny' }],
      },
      'explicitly denied by the trust policy (statement "NoEnv")',
    ],
  ])('%s: %s', (_doc, finding, text) => {
    expect(describeCause(finding)).toBe(text)
  })
})

describe('describeWrite and listSome', () => {
  it(`${DOC.mwaaRole}: writes read as one line each, with singular and plural`, () => {
    expect(
      describeWrite({ kind: 'attach-managed-policy', policyArn: 'arn:aws:iam::1:policy/p', restores: ['a'] }),
    ).toBe('re-attach managed policy arn:aws:iam::1:policy/p (restores 1 permission)')
    expect(
      describeWrite({ kind: 'put-inline-policy', policyName: 'r', document: { Statement: [] }, restores: ['a', 'b'] }),
    ).toBe('put inline policy r (restores 2 permissions)')
    expect(
      describeWrite({
        kind: 'update-trust-policy',
        document: { Statement: [] },
        adds: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'],
      }),
    ).toBe('add airflow.amazonaws.com and airflow-env.amazonaws.com to the trust policy (other statements kept)')
  })

  it.each([
    [['a', 'b'], 2, 'a, b'],
    [['a', 'b', 'c'], 2, 'a, b and 1 more'],
    [[], 4, ''],
  ] as const)('listSome(%j, %i) = %s', (items, max, text) => {
    expect(listSome(items, max)).toBe(text)
  })
})

describe('groupByCause', () => {
  it(`${DOC.mwaaRole}: KMS findings via two services collapse into one group, each resource carrying its kms:ViaService`, () => {
    const findings: Finding[] = kmsChecks.map((check) => ({
      kind: 'not-granted',
      environment: 'e',
      feature: 'encryption',
      check,
    }))
    const groups = groupByCause(findings)
    expect(groups).toHaveLength(1)
    expect(groups[0]!.actions).toHaveLength(7)
    expect(groups[0]!.resources).toEqual([
      `${b.environment.kmsKey} (kms:ViaService=sqs.us-east-1.amazonaws.com)`,
      `${b.environment.kmsKey} (kms:ViaService=s3.us-east-1.amazonaws.com)`,
    ])
    expect(groups[0]!.findings).toHaveLength(14)
  })
})
