/**
 * The reconcile queue on moto, created from serverless.yml (ReconcileQueue and its dead-letter queue: FIFO, the
 * visibility timeout, the redrive policy; the delay is the test's settle window), and a pump that plays Lambda's SQS
 * event source mapping for a FIFO queue: it receives up to 10 messages, hands them to the handler as one SQS event,
 * deletes those not reported in batchItemFailures, and leaves the failed ones to come back after their visibility
 * timeout (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { resourceProperties } from './state-table'

export type QueueOnMoto = { url: string; arn: string; deadLetterUrl: string }

/** Creates the reconcile queue and its dead-letter queue as the stack would, with `settleSeconds` as the delay. */
export async function createReconcileQueueOnMoto(
  client: SQSClient,
  prefix: string,
  settleSeconds: number,
): Promise<QueueOnMoto> {
  const main = resourceProperties('ReconcileQueue') as {
    VisibilityTimeout: number
    MessageRetentionPeriod: number
    RedrivePolicy: { maxReceiveCount: number }
  }
  const dead = resourceProperties('ReconcileDeadLetterQueue') as { MessageRetentionPeriod: number }
  const deadLetter = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-dlq.fifo`,
      Attributes: { FifoQueue: 'true', MessageRetentionPeriod: String(dead.MessageRetentionPeriod) },
    }),
  )
  const deadLetterArn = await arnOf(client, deadLetter.QueueUrl!)
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: `${prefix}.fifo`,
      Attributes: {
        FifoQueue: 'true',
        DelaySeconds: String(settleSeconds),
        VisibilityTimeout: String(main.VisibilityTimeout),
        MessageRetentionPeriod: String(main.MessageRetentionPeriod),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterArn,
          maxReceiveCount: main.RedrivePolicy.maxReceiveCount,
        }),
      },
    }),
  )
  return { url: queue.QueueUrl!, arn: await arnOf(client, queue.QueueUrl!), deadLetterUrl: deadLetter.QueueUrl! }
}

async function arnOf(client: SQSClient, url: string): Promise<string> {
  const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))
  return out.Attributes!.QueueArn!
}

/**
 * Receives of every pump in this process, one at a time: moto can hand a FIFO message group to two concurrent
 * receivers (seen with five pumps on one queue), which SQS never does while the group has a message in flight
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html).
 * The batches are still handled concurrently.
 */
let receiving: Promise<unknown> = Promise.resolve()
function oneReceiveAtATime<T>(receive: () => Promise<T>): Promise<T> {
  const mine = receiving.then(receive, receive)
  receiving = mine.catch(() => undefined)
  return mine
}

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>
export type Delivery = { records: SQSRecord[]; failures: string[]; error?: unknown }

/** Lambda's event source mapping, for one queue and one handler. */
export class QueuePump {
  readonly deliveries: Delivery[] = []

  constructor(
    private readonly client: SQSClient,
    private readonly queue: QueueOnMoto,
    private readonly handler: SqsHandler,
    private readonly context: () => Context,
  ) {}

  /** Delivers batches until a receive finds nothing visible; returns this drain's deliveries. */
  async drain(): Promise<Delivery[]> {
    const mine: Delivery[] = []
    for (;;) {
      const delivery = await this.deliverOnce()
      if (!delivery) return mine
      mine.push(delivery)
    }
  }

  /** One receive (up to 10 messages) and its delivery; undefined when nothing was visible. */
  async deliverOnce(): Promise<Delivery | undefined> {
    const out = await oneReceiveAtATime(() =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      ),
    )
    const messages = out.Messages ?? []
    if (messages.length === 0) return undefined
    const delivery = await this.deliver(messages)
    this.deliveries.push(delivery)
    return delivery
  }

  /** Waits until every message sent so far (delayed ones included) was delivered, or `timeoutMs` passed. */
  async drainAll(timeoutMs = 10_000): Promise<Delivery[]> {
    const mine: Delivery[] = []
    const deadline = Date.now() + timeoutMs
    for (;;) {
      mine.push(...(await this.drain()))
      if ((await this.pending()) === 0 || Date.now() > deadline) return mine
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  /**
   * Makes the messages of failed deliveries visible now, as SQS does once their visibility timeout (or the back-off a
   * heal set) has passed: the test has moved the guard's clock past it, this moves the queue's.
   */
  async redeliverFailed(): Promise<void> {
    const handles = this.deliveries.flatMap((d) =>
      d.records.filter((r) => d.failures.includes(r.messageId)).map((r) => r.receiptHandle),
    )
    for (const handle of handles) {
      try {
        await this.client.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: this.queue.url, ReceiptHandle: handle, VisibilityTimeout: 0 }),
        )
      } catch {
        // already received again, or deleted: nothing to do
      }
    }
    for (const d of this.deliveries) d.failures = []
  }

  /** Messages waiting, delayed or in flight. */
  async pending(): Promise<number> {
    const out = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queue.url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesDelayed',
          'ApproximateNumberOfMessagesNotVisible',
        ],
      }),
    )
    return Object.values(out.Attributes ?? {}).reduce((n, v) => n + Number(v), 0)
  }

  private async deliver(messages: Message[]): Promise<Delivery> {
    const records = messages.map((m) => this.recordOf(m))
    let failures: string[] = records.map((r) => r.messageId)
    let error: unknown
    try {
      const response = await this.handler({ Records: records }, this.context())
      failures = response.batchItemFailures.map((f) => f.itemIdentifier)
    } catch (thrown) {
      // A thrown handler: the whole batch comes back after the visibility timeout.
      error = thrown
    }
    const done = messages.filter((m) => !failures.includes(m.MessageId!))
    if (done.length > 0)
      await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.url,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      )
    return { records, failures, ...(error === undefined ? {} : { error }) }
  }

  private recordOf(m: Message): SQSRecord {
    const a = m.Attributes ?? {}
    return {
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
        SentTimestamp: a.SentTimestamp ?? String(Date.now()),
        SenderId: a.SenderId ?? 'moto',
        ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
        ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
        ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: 'us-east-1',
    }
  }
}
