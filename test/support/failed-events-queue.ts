/**
 * The failed-events queue on moto, created from serverless.yml's FailedEventsQueue (a standard queue: retention,
 * SSE-SQS), and the messages its two senders put there, in their documented shapes:
 * - Lambda's on-failure destination: an invocation record holding the event in `requestPayload`
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html, the record's example);
 * - an EventBridge rule's dead-letter queue: the event as the body, with the attributes RULE_ARN, TARGET_ARN,
 *   ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION and RETRY_ATTEMPTS
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 * And the reconcile dead-letter queue filled the way SQS fills it: a message received maxReceiveCount times moves there
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import { createReconcileQueue } from '../../lib/aws/reconcile-queue'
import type { QueueOnMoto } from './reconcile-queue'
import { resourceProperties } from './state-table'

/** Creates the failed-events queue as the stack would; returns its URL. */
export async function createFailedEventsQueueOnMoto(client: SQSClient, name: string): Promise<string> {
  const props = resourceProperties('FailedEventsQueue') as {
    MessageRetentionPeriod: number
    SqsManagedSseEnabled: boolean
  }
  const out = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        MessageRetentionPeriod: String(props.MessageRetentionPeriod),
        SqsManagedSseEnabled: String(props.SqsManagedSseEnabled),
      },
    }),
  )
  return out.QueueUrl!
}

/** What Lambda sends its on-failure destination after the last retry of an asynchronous invocation. */
export function lambdaFailureRecord(event: unknown, account: string): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: 'e4b46cbf-b738-4c2a-8880-a18cdf61200e',
      functionArn: `arn:aws:lambda:us-east-1:${account}:function:mwaa-role-guard-dev-ingest:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: 'StaleReadError',
      errorMessage: 'role still does not reflect the change after 4000 ms (IAM eventual consistency); retry later',
    },
  }
}

/** Sends a message as Lambda's destination would (the record as the body). */
export async function sendLambdaFailure(client: SQSClient, url: string, event: unknown, account: string) {
  return send(client, url, JSON.stringify(lambdaFailureRecord(event, account)))
}

/** Sends a message as an EventBridge rule's dead-letter queue receives it. */
export async function sendRuleDeadLetter(client: SQSClient, url: string, event: unknown, account: string) {
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value })
  return send(client, url, JSON.stringify(event), {
    RULE_ARN: attribute(`arn:aws:events:us-east-1:${account}:rule/mwaa-role-guard-dev-iam-roles`),
    TARGET_ARN: attribute(`arn:aws:lambda:us-east-1:${account}:function:mwaa-role-guard-dev-ingest`),
    ERROR_CODE: attribute('SDK_CLIENT_ERROR'),
    ERROR_MESSAGE: attribute('Unable to invoke Lambda function: Rate Exceeded'),
    EXHAUSTED_RETRY_CONDITION: attribute('MaximumRetryAttempts'),
    RETRY_ATTEMPTS: attribute('10'),
  })
}

/** Sends any body (a message nobody of ours wrote). */
export async function sendRaw(client: SQSClient, url: string, body: string) {
  return send(client, url, body)
}

async function send(
  client: SQSClient,
  url: string,
  body: string,
  attributes?: Record<string, { DataType: string; StringValue: string }>,
): Promise<string> {
  const out = await client.send(
    new SendMessageCommand({
      QueueUrl: url,
      MessageBody: body,
      ...(attributes ? { MessageAttributes: attributes } : {}),
    }),
  )
  return out.MessageId!
}

/**
 * A reconcile message that failed every receive: sent to the reconcile queue as the ingest function sends it, then
 * received and returned maxReceiveCount times, until SQS moves it to the dead-letter queue.
 */
export async function deadLetterRoleMessage(
  client: SQSClient,
  queue: QueueOnMoto,
  message: { role: string; eventId: string; event: unknown },
): Promise<void> {
  await createReconcileQueue(client, queue.url).send([message])
  for (let i = 0; i < 50; i++) {
    const out = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    )
    for (const m of out.Messages ?? [])
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queue.url,
          ReceiptHandle: m.ReceiptHandle!,
          VisibilityTimeout: 0,
        }),
      )
    if ((await depth(client, queue.deadLetterUrl)) > 0) return
  }
  throw new Error('the message never reached the reconcile dead-letter queue')
}

/** Messages in a queue: visible, in flight and delayed. */
export async function depth(client: SQSClient, url: string): Promise<number> {
  const out = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  )
  return Object.values(out.Attributes ?? {}).reduce((n, v) => n + Number(v), 0)
}

/** The bodies of the messages visible now (received with a 0 s visibility timeout: they stay visible). */
export async function visibleBodies(client: SQSClient, url: string): Promise<string[]> {
  const out = await client.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }),
  )
  return (out.Messages ?? []).map((m) => m.Body ?? '')
}
