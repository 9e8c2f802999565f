/** The role lease on a state table on moto: one run acts on a role at a time; a dead run's lease expires. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDynamoDbClient } from '../../lib/aws/clients'
import { createStateTable, type StateTable } from '../../lib/aws/state-table'
import type { Intent } from '../../lib/incidents'
import { acquire, commit, LEASE_MS, leasedByOther, release } from '../../lib/reconcile/lease'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'
import { createStateTableOnMoto } from '../support/state-table'

const CONDITIONS =
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html'
const T0 = Date.UTC(2026, 11, 2, 9)
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
const intent: Intent = { id: 'i1', at: T0, writes: ['put inline policy logs'], notice: '{}' }

let moto: Moto
let table: StateTable
beforeAll(async () => {
  moto = await startMoto()
  const client = createDynamoDbClient({
    env: { AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint },
    region: 'us-east-1',
    credentials: motoCredentials,
  })
  const tableName = uniqueName('state')
  await createStateTableOnMoto(client, tableName)
  table = createStateTable(client, { tableName, historyDays: 400 })
})
afterAll(async () => {
  await moto?.stop()
})

describe('the role lease', () => {
  it(`${CONDITIONS}: two runs that read the same record race for the lease; exactly one gets it, the other sees it held`, async () => {
    const role = uniqueName('role')
    const read = await table.readRole(role)
    const [a, b] = await Promise.all([acquire(table, read, 'run-a', T0), acquire(table, read, 'run-b', T0)])
    expect([a, b].filter(Boolean)).toHaveLength(1)
    const winner = (a ?? b)!.owner
    const now = await table.readRole(role)
    expect(leasedByOther(now.record, winner === 'run-a' ? 'run-b' : 'run-a', T0 + 1)).toBe(true)
    expect(leasedByOther(now.record, winner, T0 + 1)).toBe(false)
    expect(leasedByOther(now.record, 'run-c', T0 + LEASE_MS + 1)).toBe(false)
  })

  it(`${CONDITIONS}: the write-ahead intent is stored with the lease, and a release keeps it for the next run`, async () => {
    const role = uniqueName('role')
    const held = (await acquire(table, await table.readRole(role), 'run-a', T0, intent))!
    expect((await table.readRole(role)).record.intent).toEqual(intent)
    await release(table, held, quiet)
    const after = await table.readRole(role)
    expect(after.record.intent).toEqual(intent)
    expect(after.record.leaseOwner).toBeUndefined()
  })

  it(`${CONDITIONS}: a commit clears lease and intent; a run whose expired lease was taken over cannot commit`, async () => {
    const role = uniqueName('role')
    const slow = (await acquire(table, await table.readRole(role), 'slow', T0, intent))!
    // The slow run's lease expires; another run takes over from what it reads.
    const later = await table.readRole(role)
    const fast = (await acquire(table, later, 'fast', T0 + LEASE_MS + 1))!
    expect(await commit(table, slow, { ...slow.record, heals: [{ at: T0, actors: [] }] })).toBe(false)
    expect(await commit(table, fast, { ...fast.record, heals: [] })).toBe(true)
    const final = (await table.readRole(role)).record
    expect(final).toMatchObject({ heals: [] })
    expect(final.leaseOwner).toBeUndefined()
    expect(final.intent).toBeUndefined()
  })
})
