/** The reconcile queue over the real wire (moto): FIFO groups per role, deduplication, settle delay, back-off. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda'
import { createSqsClient } from '../../lib/aws/clients'
import { createReconcileQueue, type ReconcileQueue } from '../../lib/aws/reconcile-queue'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'
import { createReconcileQueueOnMoto, QueuePump } from '../support/reconcile-queue'

const DOC = {
  fifo: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html',
  dedup:
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html',
  delay: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html',
  visibility: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html',
}

let moto: Moto
let client: ReturnType<typeof createSqsClient>
beforeAll(async () => {
  moto = await startMoto()
  client = createSqsClient({
    env: { AWS_ENDPOINT_URL_SQS: moto.endpoint },
    region: 'us-east-1',
    credentials: motoCredentials,
  })
})
afterAll(async () => {
  client?.destroy()
  await moto?.stop()
})

const context = () => ({ awsRequestId: 'test' }) as Context
const body = (event: SQSEvent) =>
  event.Records.map((r) => JSON.parse(r.body) as { role: string; event: { id: string } })

async function setUp(settleSeconds = 0, handler?: (event: SQSEvent) => Promise<SQSBatchResponse>) {
  const onMoto = await createReconcileQueueOnMoto(client, uniqueName('reconcile'), settleSeconds)
  const seen: SQSEvent[] = []
  const pump = new QueuePump(
    client,
    onMoto,
    async (event) => {
      seen.push(event)
      return handler ? handler(event) : { batchItemFailures: [] }
    },
    context,
  )
  return { queue: createReconcileQueue(client, onMoto.url) as ReconcileQueue, pump, seen }
}

describe('reconcile queue', () => {
  it(`${DOC.fifo}: one message group per role (case-insensitive), in the order sent, delivered together`, async () => {
    const { queue, pump, seen } = await setUp()
    await queue.send([
      { role: 'Exec-A', eventId: 'e1', event: { id: 'e1' } },
      { role: 'exec-b', eventId: 'e1', event: { id: 'e1' } },
      { role: 'exec-a', eventId: 'e2', event: { id: 'e2' } },
    ])
    await pump.drain()
    const records = seen.flatMap((e) => e.Records)
    expect(new Set(records.map((r) => r.attributes.MessageGroupId))).toEqual(new Set(['role#exec-a', 'role#exec-b']))
    const a = seen.flatMap(body).filter((m) => m.role.toLowerCase() === 'exec-a')
    expect(a.map((m) => m.event.id)).toEqual(['e1', 'e2'])
    expect(await pump.pending()).toBe(0)
  })

  it(`${DOC.dedup}: the same event for the same role sent again (an ingest retry) is accepted once`, async () => {
    const { queue, pump, seen } = await setUp()
    await queue.send([{ role: 'exec-a', eventId: 'e1', event: { id: 'e1' } }])
    await queue.send([{ role: 'exec-a', eventId: 'e1', event: { id: 'e1' } }])
    await pump.drain()
    expect(seen.flatMap(body)).toHaveLength(1)
  })

  it(`${DOC.delay}: the queue's delay (the settle window) hides a role's messages until it has passed`, async () => {
    const { queue, pump, seen } = await setUp(1)
    await queue.send([{ role: 'exec-a', eventId: 'e1', event: { id: 'e1' } }])
    expect(await pump.drain()).toEqual([])
    await pump.drainAll(5_000)
    expect(seen.flatMap(body).map((m) => m.event.id)).toEqual(['e1'])
  })

  it(`${DOC.visibility}: a failed record comes back after its visibility timeout; delay() sets that timeout (a heal backing off)`, async () => {
    let first = true
    const { queue, pump, seen } = await setUp(0, async (event) => {
      if (!first) return { batchItemFailures: [] }
      first = false
      await queue.delay(
        event.Records.map((r) => r.receiptHandle),
        1,
      )
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }
    })
    await queue.send([
      { role: 'exec-a', eventId: 'e1', event: { id: 'e1' } },
      { role: 'exec-a', eventId: 'e2', event: { id: 'e2' } },
    ])
    const started = Date.now()
    await pump.drainAll(30_000) // returns once the queue is empty: the bound only matters on a loaded machine
    // Both come back (moto may return a group's redelivered messages out of order; SQS keeps the order, and the
    // worker does not rely on it: it orders a role's triggers by event time).
    expect(seen[0]!.Records).toHaveLength(2)
    expect(
      seen
        .slice(1)
        .flatMap(body)
        .map((m) => m.event.id)
        .sort(),
    ).toEqual(['e1', 'e2'])
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(
      seen
        .slice(1)
        .flatMap((e) => e.Records)
        .map((r) => r.attributes.ApproximateReceiveCount),
    ).toEqual(['2', '2'])
  }, 45_000)
})
