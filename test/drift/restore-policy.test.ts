import { describe, expect, it } from 'vitest'
import { findDrift } from '../../lib/drift/find-drift'
import { planHeal } from '../../lib/drift/plan-heal'
import { RESTORE_POLICY_NAME, restoreDocument, withoutRestorePolicy } from '../../lib/drift/restore-policy'
import type { PolicyStatement } from '../../lib/iam/types'
import { DOC } from './docs'
import { baselineOf, catalogue, doc, policyWithout, roleOf, statementsOf } from './support'

const queue: PolicyStatement = {
  Sid: 'CeleryQueue',
  Effect: 'Allow',
  Action: ['sqs:SendMessage'],
  Resource: 'arn:aws:sqs:us-east-1:*:airflow-celery-*',
}

describe('restoreDocument and withoutRestorePolicy', () => {
  it(`${DOC.sid}: the same Sid twice (two environments sharing a role) gets a unique suffix`, () => {
    expect(statementsOf(restoreDocument([queue, queue])!).map((s) => s.Sid)).toEqual(['CeleryQueue', 'CeleryQueue2'])
  })

  it(`${DOC.mwaaRole}: nothing to hold is no document at all`, () => {
    expect(restoreDocument([])).toBeUndefined()
  })

  it(`${DOC.mwaaRole}: the role without the restore policy keeps every other policy`, () => {
    const b = baselineOf('custodian-1')
    const role = roleOf(b)
    role.inlinePolicies.push({ name: RESTORE_POLICY_NAME, document: doc(queue) })
    expect(withoutRestorePolicy(role).inlinePolicies.map((p) => p.name)).toEqual(['execution'])
  })
})

describe('the restore policy is rewritten to exactly what is missing without it (issue 6)', () => {
  const b = baselineOf('custodian-1')
  const plan = (role: ReturnType<typeof roleOf>) =>
    planHeal({ role, baselines: [b], findings: findDrift(role, [b]).findings, catalogue })

  it(`${DOC.mwaaRole}: a grant no environment needs (another bucket) is dropped on the next heal`, () => {
    const role = roleOf(b, {}, policyWithout(b, 'CeleryQueue'))
    const stale: PolicyStatement = {
      Sid: 'DagBucketRead',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::old-bucket/*'],
    }
    role.inlinePolicies.push({ name: RESTORE_POLICY_NAME, document: doc(stale, queue) })
    const [write] = plan(role).writes
    expect(write).toMatchObject({ kind: 'put-inline-policy', policyName: RESTORE_POLICY_NAME, pruned: true })
    const written = write?.kind === 'put-inline-policy' ? statementsOf(write.document) : []
    expect(JSON.stringify(written)).not.toContain('old-bucket')
    expect(written.map((s) => s.Sid)).toEqual(['CeleryQueue'])
  })

  it(`${DOC.mwaaRole}: a healthy role whose restore policy is no longer needed gets it deleted`, () => {
    const role = roleOf(b)
    role.inlinePolicies.push({ name: RESTORE_POLICY_NAME, document: doc(queue) })
    expect(findDrift(role, [b]).findings).toEqual([])
    expect(plan(role).writes).toEqual([{ kind: 'delete-inline-policy', policyName: RESTORE_POLICY_NAME }])
  })

  it(`${DOC.mwaaRole}: a restore policy holding exactly what is missing is left as it is`, () => {
    const role = roleOf(b, {}, policyWithout(b, 'CeleryQueue'))
    const first = plan(role).writes[0]!
    expect(first.kind).toBe('put-inline-policy')
    if (first.kind !== 'put-inline-policy') return
    role.inlinePolicies.push({ name: RESTORE_POLICY_NAME, document: first.document })
    expect(plan(role).writes).toEqual([])
  })
})
