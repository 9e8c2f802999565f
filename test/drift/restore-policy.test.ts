import { describe, expect, it } from 'vitest'
import { mergeRestorePolicy } from '../../lib/drift/restore-policy'
import type { PolicyStatement } from '../../lib/iam/types'
import { DOC } from './docs'
import { doc, statementsOf } from './support'

const queue: PolicyStatement = {
  Sid: 'CeleryQueue',
  Effect: 'Allow',
  Action: ['sqs:SendMessage'],
  Resource: 'arn:aws:sqs:us-east-1:*:airflow-celery-*',
}
const kms: PolicyStatement = {
  Sid: 'KmsViaSqs',
  Effect: 'Allow',
  Action: ['kms:Decrypt'],
  NotResource: 'arn:aws:kms:*:644160558196:key/*',
  Condition: { StringLike: { 'kms:ViaService': ['sqs.us-east-1.amazonaws.com'] } },
}

describe('mergeRestorePolicy', () => {
  it(`${DOC.mwaaRole}: a statement with the same Sid, scope and condition gains the new actions; nothing is taken back`, () => {
    const merged = mergeRestorePolicy(doc(queue, kms), [
      { ...queue, Action: ['sqs:DeleteMessage', 'sqs:SendMessage'] },
      { ...kms, Action: ['kms:Encrypt'] },
    ])
    expect(statementsOf(merged)).toEqual([
      { ...queue, Action: ['sqs:DeleteMessage', 'sqs:SendMessage'] },
      { ...kms, Action: ['kms:Decrypt', 'kms:Encrypt'] },
    ])
  })

  it.each<[string, string, PolicyStatement]>([
    [DOC.mwaaRole, 'another resource', { ...queue, Resource: 'arn:aws:sqs:eu-west-1:*:airflow-celery-*' }],
    [
      DOC.mwaaRole,
      'another condition',
      { ...kms, Condition: { StringLike: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } } },
    ],
  ])('%s: the same Sid on %s becomes its own statement with a unique Sid', (_doc, _title, addition) => {
    const merged = statementsOf(mergeRestorePolicy(doc(queue, kms), [addition]))
    expect(merged.slice(0, 2)).toEqual([queue, kms])
    expect(merged[2]).toEqual({ ...addition, Sid: `${addition.Sid}2` })
  })

  it(`${DOC.denyAllow}: a Deny someone put in the restore policy is kept as it was`, () => {
    const deny: PolicyStatement = { Sid: 'NoDelete', Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' }
    const merged = statementsOf(mergeRestorePolicy(doc(deny), [queue]))
    expect(merged).toEqual([deny, queue])
  })

  it(`${DOC.mwaaRole}: without an existing policy the document is exactly the additions`, () => {
    expect(mergeRestorePolicy(undefined, [queue])).toEqual({ Version: '2012-10-17', Statement: [queue] })
  })
})
