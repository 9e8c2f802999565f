import type { SQSRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { groupByRole } from '../../lib/reconcile/role-messages'
import { cloudTrailEvent } from '../support/cloudtrail-event'

const ESM = 'https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html'
const alice = { kind: 'user' as const, arn: 'arn:aws:iam::111122223333:user/alice' }
const T0 = Date.UTC(2026, 11, 2, 9)

const event = (role: string, eventName: string, at: number) =>
  cloudTrailEvent({
    account: '111122223333',
    service: 'iam',
    eventName,
    requestParameters: { roleName: role, policyName: 'logs' },
    caller: alice,
    time: new Date(at),
  })
let n = 0
const record = (body: unknown): SQSRecord =>
  ({
    messageId: `m${++n}`,
    receiptHandle: `r${n}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {},
  }) as SQSRecord

describe('the worker batch, grouped by role', () => {
  it(`${ESM}: one group per role (any case), its events oldest first, a duplicate event once`, () => {
    const put = event('exec-a', 'PutRolePolicy', T0 + 2000)
    const del = event('exec-a', 'DeleteRolePolicy', T0)
    const records = [
      record({ v: 1, role: 'exec-a', event: put }),
      record({ v: 1, role: 'Exec-A', event: del }),
      record({ v: 1, role: 'exec-b', event: event('exec-b', 'DeleteRolePolicy', T0) }),
      record({ v: 1, role: 'exec-a', event: put }),
    ]
    const { groups, dropped } = groupByRole(records)
    expect(dropped).toEqual([])
    expect(groups.map((g) => [g.role, g.records.length, g.events.map((e) => e.name)])).toEqual([
      ['exec-a', 3, ['DeleteRolePolicy', 'PutRolePolicy']],
      ['exec-b', 1, ['DeleteRolePolicy']],
    ])
  })

  it.each([
    ['not JSON', '{oops', 'body: not JSON'],
    ['another version', { v: 2, role: 'r', event: {} }, 'body.v: not a role message'],
    ['a role that is a path', { v: 1, role: 'service-role/r', event: {} }, 'body.role: not a role message'],
    ['an event that is not a CloudTrail call', { v: 1, role: 'r', event: { hello: 1 } }, /^event: /],
  ])(`${ESM}: %s is dropped with its reason (deleted, not retried forever)`, (_name, body, reason) => {
    const { groups, dropped } = groupByRole([record(body)])
    expect(groups).toEqual([])
    expect(dropped[0]?.reason).toMatch(reason)
  })
})
