/** Powertools idempotency on the state table (moto): each CloudTrail event id runs once, sequential or concurrent. */
import type { Context } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createDynamoDbClient } from '../../lib/aws/clients'
import { eventOnce } from '../../lib/aws/event-once'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'
import { createStateTableOnMoto } from '../support/state-table'

const DOC = 'https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/'
const context = (): Context =>
  ({ awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => 60_000 }) as unknown as Context
const event = (id?: string) => ({ 'detail-type': 'AWS API Call via CloudTrail', detail: id ? { eventID: id } : {} })

let moto: Moto
let client: ReturnType<typeof createDynamoDbClient>
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
  tableName = uniqueName('state')
  await createStateTableOnMoto(client, tableName)
})
afterAll(async () => {
  client?.destroy()
  await moto?.stop()
})

function counted() {
  let runs = 0
  const once = eventOnce(client, { tableName, expiresAfterSeconds: 10_800 }, async (e) => {
    runs++
    await new Promise((resolve) => setTimeout(resolve, 50))
    return { handled: (e as { detail: { eventID?: string } }).detail.eventID ?? 'none' }
  })
  return { once, runs: () => runs }
}

describe('each CloudTrail event once', () => {
  it(`${DOC}: the same event 10 times in a row runs once; the first costs 2 DynamoDB calls, each duplicate 1`, async () => {
    const { once, runs } = counted()
    const id = crypto.randomUUID()
    counter.reset()
    const first = await once(event(id), context())
    expect(counter.summary()).toEqual({ 'dynamodb:PutItem': 1, 'dynamodb:UpdateItem': 1 })
    const results = [first]
    for (let i = 0; i < 9; i++) results.push(await once(event(id), context()))
    expect(runs()).toBe(1)
    expect(results.map((r) => r.kind)).toEqual(['first', ...Array(9).fill('duplicate')])
    expect(results[5]).toEqual({ kind: 'duplicate', result: { handled: id } })
    expect(counter.count({ service: 'dynamodb' })).toBe(2 + 9)
  })

  it(`${DOC}: 10 concurrent deliveries run once; the others are quiet duplicates (in progress), never errors`, async () => {
    const { once, runs } = counted()
    const id = crypto.randomUUID()
    const results = await Promise.all(Array.from({ length: 10 }, () => once(event(id), context())))
    expect(runs()).toBe(1)
    expect(results.filter((r) => r.kind === 'first')).toHaveLength(1)
  })

  it(`${DOC}: a result with undefined members is stored (as its JSON form), not failed after the work was done`, async () => {
    // Found by the event fuzz: an event whose ids were both unusable gave a summary with eventId: undefined.
    const id = crypto.randomUUID()
    let runs = 0
    const once = eventOnce(client, { tableName, expiresAfterSeconds: 10_800 }, async () => {
      runs++
      return { status: 'handled', eventId: undefined, roles: [{ role: 'r', error: undefined }] }
    })
    expect(await once(event(id), context())).toEqual({
      kind: 'first',
      result: { status: 'handled', roles: [{ role: 'r' }] },
    })
    expect(await once(event(id), context())).toEqual({
      kind: 'duplicate',
      result: { status: 'handled', roles: [{ role: 'r' }] },
    })
    expect(runs).toBe(1)
  })

  it(`${DOC}: a run that fails leaves no record: the retry runs`, async () => {
    const id = crypto.randomUUID()
    let calls = 0
    const once = eventOnce(client, { tableName, expiresAfterSeconds: 10_800 }, async () => {
      calls++
      if (calls === 1) throw new Error('SNS is down')
      return 'ok'
    })
    await expect(once(event(id), context())).rejects.toThrow('SNS is down')
    expect(await once(event(id), context())).toEqual({ kind: 'first', result: 'ok' })
  })

  it(`${DOC}: an event without an id always runs (nothing to recognise it by)`, async () => {
    const { once, runs } = counted()
    await once(event(), context())
    await once(event(), context())
    expect(runs()).toBe(2)
  })
})
