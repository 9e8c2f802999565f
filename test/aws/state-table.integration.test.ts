/** The state table adapter over the real wire, against moto, on a table created from serverless.yml. */
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createDynamoDbClient } from '../../lib/aws/clients'
import { createStateTable, type StateTable } from '../../lib/aws/state-table'
import { emptyRecord, type HistoryEntry, type RoleRecord } from '../../lib/incidents'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'
import { createStateTableOnMoto } from '../support/state-table'

const DOC = {
  conditions: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html',
  transactions: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html',
  ttl: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html',
  table: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html',
}
const T0 = Date.UTC(2026, 11, 2, 9, 0, 0)
const DAY = 86_400_000

let moto: Moto
let client: ReturnType<typeof createDynamoDbClient>
let table: StateTable
let tableName: string
const counter = new ApiCallCounter()

beforeAll(async () => {
  moto = await startMoto()
  client = createDynamoDbClient({
    env: { AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint },
    region: 'us-east-1',
    credentials: motoCredentials,
    counter,
  })
  tableName = uniqueName('mwaa-role-guard-state')
  await createStateTableOnMoto(client, tableName)
  table = createStateTable(client, { tableName, historyDays: 400 })
})
afterAll(async () => {
  client?.destroy()
  await moto?.stop()
})

const entry = (role: string, at: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  v: 1,
  id: `h${at}`,
  at,
  role,
  source: 'event',
  triggers: [
    {
      eventId: 'e1',
      eventName: 'DeleteRolePolicy',
      actor: 'arn:aws:iam::111122223333:user/alice',
      sourceIp: '203.0.113.7',
    },
  ],
  environments: ['env-a'],
  mode: 'heal',
  missing: 7,
  features: ['logs'],
  changes: ['inline policy `logs` removed'],
  writes: ['put inline policy logs'],
  incidents: [{ id: 'inc-0123456789ab', environment: 'env-a', transition: 'healed' }],
  notices: ['[INFO] MWAA role drift: env-a logs (healed)'],
  outcome: 'healed',
  ...over,
})

describe('the table as the stack defines it', () => {
  it(`${DOC.table}: on-demand, the by-kind index, TTL on expiresAt, point-in-time recovery`, async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['by-kind'])
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' })
    const backups = await client.send(new DescribeContinuousBackupsCommand({ TableName: tableName }))
    expect(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
      'ENABLED',
    )
  })
})

describe('role records: conditional writes', () => {
  it(`${DOC.conditions}: a record round-trips, its remembered documents included, in one consistent GetItem`, async () => {
    const role = uniqueName('role')
    const record: RoleRecord = {
      ...emptyRecord(role),
      lastKnownGood: {
        hash: '0123456789abcdef',
        at: T0,
        inline: [
          {
            name: 'logs',
            document: {
              Version: '2012-10-17',
              Statement: [
                { Sid: 'Logs', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: 'arn:aws:logs:*:*:*' },
              ],
            },
          },
        ],
        managed: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', versionId: 'v3' }],
      },
    }
    const first = await table.readRole(role)
    expect(first.version).toEqual({ kind: 'absent' })
    expect(await table.writeRole(record, first.version)).toEqual({ written: true, version: { kind: 'rev', rev: 1 } })
    counter.reset()
    const read = await table.readRole(role.toUpperCase())
    expect(counter.summary()).toEqual({ 'dynamodb:GetItem': 1 })
    expect(read.version).toEqual({ kind: 'rev', rev: 1 })
    expect(read.record).toEqual({ ...record, rev: 1 })
  })

  it(`${DOC.conditions}: a write based on an old read is refused (someone wrote meanwhile)`, async () => {
    const role = uniqueName('role')
    const absent = (await table.readRole(role)).version
    expect((await table.writeRole(emptyRecord(role), absent)).written).toBe(true)
    expect(await table.writeRole(emptyRecord(role), absent)).toEqual({ written: false })
    const now = await table.readRole(role)
    expect((await table.writeRole(now.record, now.version)).written).toBe(true)
    expect(await table.writeRole(now.record, now.version)).toEqual({ written: false })
  })

  it(`${DOC.conditions}: ten concurrent writers from the same read: exactly one wins`, async () => {
    const role = uniqueName('role')
    const read = await table.readRole(role)
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        table.writeRole({ ...read.record, leaseOwner: `run-${i}`, leaseUntil: T0 }, read.version),
      ),
    )
    expect(results.filter((r) => r.written)).toHaveLength(1)
  })

  it(`${DOC.conditions}: an item that fails the schema is reported unreadable, used for nothing, and can be replaced`, async () => {
    const role = uniqueName('role')
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: `role#${role.toLowerCase()}` },
          sk: { S: 'state' },
          v: { N: '1' },
          rev: { N: '4' },
          role: { S: role },
          incidents: { S: 'oops' },
        },
      }),
    )
    const read = await table.readRole(role)
    expect(read.version).toMatchObject({ kind: 'unreadable', rev: 4, reason: expect.stringMatching(/^incidents: /) })
    expect(read.record).toEqual(emptyRecord(role))
    expect(await table.writeRole(read.record, read.version)).toEqual({
      written: true,
      version: { kind: 'rev', rev: 5 },
    })
    expect((await table.readRole(role)).version).toEqual({ kind: 'rev', rev: 5 })
  })
})

describe('history', () => {
  it(`${DOC.transactions}: state and history are written in one transaction, or neither`, async () => {
    const role = uniqueName('role')
    const read = await table.readRole(role)
    counter.reset()
    expect((await table.writeRole(read.record, read.version, entry(role, T0))).written).toBe(true)
    expect(counter.summary()).toEqual({ 'dynamodb:TransactWriteItems': 1 })
    // a stale write carries its history entry down with it
    expect((await table.writeRole(read.record, read.version, entry(role, T0 + 1))).written).toBe(false)
    expect((await table.roleHistory(role, 0)).items.map((e) => e.at)).toEqual([T0])
  })

  it(`${DOC.ttl}: a role's history reads back in order, from a date; every entry expires after historyDays`, async () => {
    const role = uniqueName('role')
    for (const at of [T0 + 2 * DAY, T0, T0 + DAY]) {
      const read = await table.readRole(role)
      await table.writeRole(read.record, read.version, entry(role, at))
    }
    expect((await table.roleHistory(role, 0)).items.map((e) => e.at)).toEqual([T0, T0 + DAY, T0 + 2 * DAY])
    expect((await table.roleHistory(role, T0 + DAY)).items.map((e) => e.at)).toEqual([T0 + DAY, T0 + 2 * DAY])
    const all = await table.allHistory(T0 + DAY)
    expect(all.items.filter((e) => e.role === role).map((e) => e.at)).toEqual([T0 + DAY, T0 + 2 * DAY])
    const { Item } = await client.send(
      new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `role#${role.toLowerCase()}` }, sk: { S: `history#${new Date(T0).toISOString()}#h${T0}` } },
      }),
    )
    expect(Number(Item?.expiresAt?.N)).toBe(T0 / 1000 + 400 * 86_400)
  })

  it('role records are listed for --incidents', async () => {
    const role = uniqueName('role')
    await table.writeRole(emptyRecord(role), { kind: 'absent' })
    expect((await table.roleRecords()).items.map((r) => r.role)).toContain(role)
  })
})
