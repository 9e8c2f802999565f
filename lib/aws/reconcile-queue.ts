/**
 * The reconcile queue: an SQS FIFO queue with one message per (event, role). The message group is the role, so two
 * reconciles of one role never run at once and its events are processed in order
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html);
 * the queue's delay is the settle window. The deduplication id is derived from the event id and the role, so a
 * message sent twice within SQS's 5-minute deduplication interval (an ingest retry) is accepted once
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import { stableHash } from '../incidents/hash'

/** One role to reconcile because of one event; the event travels whole and is parsed again by the worker. */
export type RoleMessage = { v: 1; role: string; event: unknown }

export type ReconcileQueue = {
  /** Sends one message per role (batches of 10); throws when SQS refuses any, naming them. */
  send(messages: ReadonlyArray<{ role: string; eventId: string; event: unknown }>): Promise<void>
  /** Hides received messages for `seconds` more (a heal backing off): they come back, in order, after that. */
  delay(receiptHandles: readonly string[], seconds: number): Promise<void>
}

export class QueueSendError extends Error {
  override name = 'QueueSendError'
}

/** SendMessageBatch and ChangeMessageVisibilityBatch take at most 10 entries. */
const BATCH = 10
/** ChangeMessageVisibility: at most 12 hours (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html). */
const MAX_VISIBILITY_SECONDS = 43_200

/** The message group of a role: its name lower-cased (IAM role names are unique case-insensitively). */
export function messageGroupOf(role: string): string {
  return `role#${role.toLowerCase()}`
}

/** Builds the adapter over a client from `createSqsClient`. */
export function createReconcileQueue(client: SQSClient, queueUrl: string): ReconcileQueue {
  return {
    async send(messages) {
      for (let i = 0; i < messages.length; i += BATCH) {
        const entries: SendMessageBatchRequestEntry[] = messages.slice(i, i + BATCH).map((m, n) => ({
          Id: String(i + n),
          MessageBody: JSON.stringify({ v: 1, role: m.role, event: m.event } satisfies RoleMessage),
          MessageGroupId: messageGroupOf(m.role),
          MessageDeduplicationId: stableHash(`${m.eventId}\n${m.role.toLowerCase()}`),
        }))
        const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
        if (out.Failed && out.Failed.length > 0) {
          const failed = out.Failed.map((f) => `${messages[Number(f.Id)]?.role}: ${f.Code} ${f.Message ?? ''}`.trim())
          throw new QueueSendError(`SQS refused ${failed.length} message(s): ${failed.join('; ')}`)
        }
      }
    },

    async delay(receiptHandles, seconds) {
      const timeout = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(seconds)))
      for (let i = 0; i < receiptHandles.length; i += BATCH) {
        await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: receiptHandles
              .slice(i, i + BATCH)
              .map((handle, n) => ({ Id: String(i + n), ReceiptHandle: handle, VisibilityTimeout: timeout })),
          }),
        )
      }
    },
  }
}
