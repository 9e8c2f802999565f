import { describe, expect, it } from 'vitest'
import type { RoleState } from '../../lib/drift/types'
import { describeChange, diffAgainstLastKnownGood, lastKnownGoodChanged, lastKnownGoodOf } from '../../lib/incidents'
import { baselineOf, clone, doc, roleOf } from '../drift/support'
import { DOC } from './docs'
import { T0 } from './support'

const b = baselineOf('custodian-1')
const byName = (sid: string) => b.policy.Statement.find((s) => s.Sid === sid)!
/** A role with its baseline split in two inline policies and one managed policy (like the demo's roles). */
const good: RoleState = roleOf(b, {
  inlinePolicies: [
    {
      name: 'mwaa-exec',
      document: doc(byName('DagBucketRead'), byName('AirflowLogs'), {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::reports/*',
      }),
    },
    { name: 'queue', document: doc(byName('CeleryQueue')) },
  ],
  attachedPolicies: [
    {
      arn: 'arn:aws:iam::111122223333:policy/metrics',
      name: 'metrics',
      versionId: 'v1',
      document: doc(byName('CloudWatchMetrics')),
    },
  ],
})
const lkg = lastKnownGoodOf(good, T0)
const edit = (change: (role: RoleState) => void): RoleState => {
  const role = clone(good)
  change(role)
  return role
}

describe('last-known-good: remembered only when it changes', () => {
  it('the same policies read again (keys in another order) are not a change: no write for a healthy role', () => {
    const again = edit((r) => {
      r.inlinePolicies[1]!.document = JSON.parse(
        JSON.stringify({ Statement: doc(byName('CeleryQueue')).Statement, Version: '2012-10-17' }),
      )
    })
    expect(lastKnownGoodChanged(lkg, lastKnownGoodOf(again, T0 + 1))).toBe(false)
  })
  it.each([
    [
      'a statement added',
      edit((r) => (r.inlinePolicies[1]!.document = doc(byName('CeleryQueue'), byName('CloudWatchMetrics')))),
    ],
    ['a new managed policy version', edit((r) => (r.attachedPolicies[0]!.versionId = 'v2'))],
    ['an inline policy renamed', edit((r) => (r.inlinePolicies[1]!.name = 'celery'))],
  ])('%s is a change', (_name, role) => {
    expect(lastKnownGoodChanged(lkg, lastKnownGoodOf(role, T0))).toBe(true)
  })
  it('nothing remembered yet is a change', () => {
    expect(lastKnownGoodChanged(undefined, lkg)).toBe(true)
  })
})

describe('statement-level diff against last-known-good, for the reader of the alert', () => {
  it.each([
    [
      DOC.grammar,
      'an inline policy deleted (its statement outside the baseline included)',
      edit((r) => r.inlinePolicies.splice(0, 1)),
      ['inline policy `mwaa-exec` removed (3 statements: `DagBucketRead`, `AirflowLogs`, #3)'],
    ],
    [
      DOC.sid,
      'one statement removed from an inline policy',
      edit(
        (r) =>
          (r.inlinePolicies[0]!.document = doc(byName('DagBucketRead'), {
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::reports/*',
          })),
      ),
      [expect.stringMatching(/^statement `AirflowLogs` removed from inline policy `mwaa-exec` \(logs:\w+/)],
    ],
    [
      DOC.grammar,
      'a statement narrowed: one action gone',
      edit((r) => {
        const queue = clone(byName('CeleryQueue'))
        queue.Action = [queue.Action ?? []].flat().filter((a) => a !== 'sqs:SendMessage')
        r.inlinePolicies[1]!.document = doc(queue)
      }),
      ['statement `CeleryQueue` of inline policy `queue` changed: lost actions sqs:SendMessage'],
    ],
    [
      DOC.grammar,
      'a Deny added',
      edit(
        (r) =>
          (r.inlinePolicies[1]!.document = doc(byName('CeleryQueue'), {
            Sid: 'NoQueue',
            Effect: 'Deny',
            Action: 'sqs:*',
            Resource: '*',
          })),
      ),
      ['Deny statement `NoQueue` added in inline policy `queue` (sqs:*)'],
    ],
    [
      DOC.grammar,
      'a managed policy detached',
      edit((r) => r.attachedPolicies.splice(0, 1)),
      ['managed policy arn:aws:iam::111122223333:policy/metrics detached'],
    ],
    [
      DOC.grammar,
      'a managed policy default version changed',
      edit((r) => (r.attachedPolicies[0]!.versionId = 'v2')),
      ['managed policy arn:aws:iam::111122223333:policy/metrics default version changed (v1 -> v2)'],
    ],
    [DOC.grammar, 'nothing changed', clone(good), []],
  ])('%s: %s', (_doc, _name, role, lines) => {
    expect(diffAgainstLastKnownGood(lkg, role).map(describeChange)).toEqual(lines)
  })
})
