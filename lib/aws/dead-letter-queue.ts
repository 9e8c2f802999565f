/**
 * A queue of failed work read back by `mwaa-role-guard replay`: the failed-events queue (the ingest function's
 * on-failure destination and the EventBridge rules' dead-letter queue) or the reconcile dead-letter queue (FIFO).
 * A received message is hidden from other consumers for the visibility timeout given, and stays in the queue until it
 * is deleted with the receipt handle of that receive
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'

/** One received message: its body and attributes as SQS gave them (unvalidated: the caller parses them). */
export type ReceivedMessage = {
  id: string
  receiptHandle: string
  body: string
  /** message attributes with a string value (an EventBridge dead letter's RULE_ARN, ERROR_CODE, ...) */
  attributes: Record<string, string>
  /** system attributes: ApproximateReceiveCount, SentTimestamp, MessageGroupId (FIFO), ... */
  system: Record<string, string>
}

export type DeadLetterQueue = {
  readonly url: string
  /** Receives up to `max` (at most 10) messages, hidden for `visibilitySeconds`; [] when none is waiting. */
  receive(options: { max: number; visibilitySeconds: number }): Promise<ReceivedMessage[]>
  /** Deletes a received message for good. */
  delete(receiptHandle: string): Promise<void>
  /** Sets the visibility timeout of received messages: more time to work on them, or 0 to give them back now. */
  setVisibility(receiptHandles: readonly string[], seconds: number): Promise<void>
}

/** ReceiveMessage and ChangeMessageVisibilityBatch take at most 10 messages. */
const BATCH = 10
/**
 * Long polling, if only for a second: a short poll (0 s) asks a subset of SQS's servers and may answer empty while
 * messages wait; any wait asks them all, so an empty answer means the queue has nothing visible
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html).
 */
const WAIT_SECONDS = 1
/** ChangeMessageVisibility: 0 to 43,200 s (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html). */
const MAX_VISIBILITY_SECONDS = 43_200

export class QueueVisibilityError extends Error {
  override name = 'QueueVisibilityError'
}

/** Builds the adapter over a client from `createSqsClient`. */
export function createDeadLetterQueue(client: SQSClient, url: string): DeadLetterQueue {
  return {
    url,

    async receive({ max, visibilitySeconds }) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: Math.max(1, Math.min(BATCH, max)),
          VisibilityTimeout: clampVisibility(visibilitySeconds),
          WaitTimeSeconds: WAIT_SECONDS,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      )
      return (out.Messages ?? []).flatMap((m) =>
        m.MessageId && m.ReceiptHandle
          ? [
              {
                id: m.MessageId,
                receiptHandle: m.ReceiptHandle,
                body: m.Body ?? '',
                attributes: Object.fromEntries(
                  Object.entries(m.MessageAttributes ?? {}).flatMap(([k, v]) =>
                    v.StringValue === undefined ? [] : [[k, v.StringValue]],
                  ),
                ),
                system: { ...(m.Attributes ?? {}) } as Record<string, string>,
              },
            ]
          : [],
      )
    },

    async delete(receiptHandle) {
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: receiptHandle }))
    },

    async setVisibility(receiptHandles, seconds) {
      for (let i = 0; i < receiptHandles.length; i += BATCH) {
        const out = await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: url,
            Entries: receiptHandles.slice(i, i + BATCH).map((handle, n) => ({
              Id: String(i + n),
              ReceiptHandle: handle,
              VisibilityTimeout: clampVisibility(seconds),
            })),
          }),
        )
        if (out.Failed && out.Failed.length > 0)
          throw new QueueVisibilityError(
            `SQS refused to change the visibility of ${out.Failed.length} message(s): ${out.Failed.map((f) => f.Code).join(', ')}`,
          )
      }
    },
  }
}

function clampVisibility(seconds: number): number {
  return Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(seconds)))
}
