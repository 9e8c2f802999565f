/**
 * The shapes a failed-work queue holds, told apart and checked before anything is replayed. Each case cites the page
 * that documents the shape; anything else is unreadable, with the field that says so.
 */
import { describe, expect, it } from 'vitest'
import { parseReplayMessage } from '../../lib/reconcile/replay-message'

const LAMBDA = 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html'
const RULE_DLQ = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html'
const SQS_MESSAGE = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Message.html'

const event = {
  version: '0',
  id: 'a1b2c3d4-0000-4000-8000-000000000000',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  account: '111122223333',
  time: '2026-12-02T10:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventName: 'DeleteRolePolicy', eventID: 'e-1' },
}

/** The record's shape as the Lambda page shows it (requestContext, requestPayload, responseContext, responsePayload). */
const record = (overrides: Record<string, unknown> = {}) => ({
  version: '1.0',
  timestamp: '2026-12-02T10:05:00.000Z',
  requestContext: {
    requestId: 'e4b46cbf-b738-4c2a-8880-a18cdf61200e',
    functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:mwaa-role-guard-dev-ingest:$LATEST',
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: event,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: { errorType: 'StaleReadError', errorMessage: 'role x still does not reflect the change' },
  ...overrides,
})

const ruleAttributes = {
  RULE_ARN: 'arn:aws:events:us-east-1:111122223333:rule/mwaa-role-guard-dev-iam-roles',
  TARGET_ARN: 'arn:aws:lambda:us-east-1:111122223333:function:mwaa-role-guard-dev-ingest',
  ERROR_CODE: 'SDK_CLIENT_ERROR',
  ERROR_MESSAGE: 'Unable to invoke Lambda function: Rate Exceeded',
  EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
  RETRY_ATTEMPTS: '10',
}

/** `{"a":{"a":...}}` written as text: JSON.stringify itself would overflow the stack on it. */
const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

describe('parseReplayMessage', () => {
  it.each([
    {
      name: `Lambda on-failure record: the event in requestPayload, the condition, count and error (${LAMBDA})`,
      body: record(),
      attributes: {},
      expected: {
        shape: 'lambda-failure',
        event,
        prior: {
          condition: 'RetriesExhausted',
          attempts: 3,
          error: 'StaleReadError: role x still does not reflect the change',
        },
      },
    },
    {
      name: `Lambda record for an event too old to try (EventAgeExceeded): no response at all (${LAMBDA})`,
      body: {
        ...record(),
        requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 0 },
        responseContext: undefined,
        responsePayload: undefined,
      },
      attributes: {},
      expected: { shape: 'lambda-failure', event, prior: { condition: 'EventAgeExceeded', attempts: 0 } },
    },
    {
      name: `EventBridge rule dead letter: the event as the body, why in the message attributes (${RULE_DLQ})`,
      body: event,
      attributes: ruleAttributes,
      expected: {
        shape: 'rule-dead-letter',
        event,
        prior: {
          condition: 'SDK_CLIENT_ERROR',
          attempts: 10,
          error: 'Unable to invoke Lambda function: Rate Exceeded',
        },
      },
    },
    {
      name: 'reconcile dead letter: our role message, moved unchanged by the redrive (lib/aws/reconcile-queue.ts)',
      body: { v: 1, role: 'AmazonMWAA-analytics', event },
      attributes: {},
      expected: { shape: 'role-message', role: 'AmazonMWAA-analytics', event },
    },
    {
      name: 'an EventBridge event with no dead-letter attributes (sent back by hand)',
      body: event,
      attributes: {},
      expected: { shape: 'event', event },
    },
  ])('$name', ({ body, attributes, expected }) => {
    expect(parseReplayMessage(JSON.stringify(body), attributes)).toEqual(expected)
  })

  it.each([
    { name: 'not JSON', body: 'hello {', attributes: {}, reason: 'body: not JSON' },
    { name: `an empty body (${SQS_MESSAGE})`, body: ' ', attributes: {}, reason: 'body: empty' },
    { name: 'a JSON array', body: '[1]', attributes: {}, reason: 'body: not a JSON object' },
    {
      name: 'a Lambda record without requestPayload',
      body: JSON.stringify({ ...record(), requestPayload: undefined }),
      attributes: {},
      reason: 'body.requestPayload: not a Lambda invocation record',
    },
    {
      name: "a Lambda record of another function's payload (the docs' ORDER_IDS example)",
      body: JSON.stringify(record({ requestPayload: { ORDER_IDS: ['9e07af03'] } })),
      attributes: {},
      reason: 'body.requestPayload.detail-type: not an EventBridge event',
    },
    {
      name: 'a Lambda record whose invoke count is not a number',
      body: JSON.stringify(record({ requestContext: { approximateInvokeCount: '3' } })),
      attributes: {},
      reason: 'body.requestContext.approximateInvokeCount: not a Lambda invocation record',
    },
    {
      name: `an EventBridge dead letter whose body is not an event (${RULE_DLQ})`,
      body: JSON.stringify({ hello: 'world' }),
      attributes: ruleAttributes,
      reason: 'body.detail-type: an EventBridge dead letter holds an event',
    },
    {
      name: 'a role message naming no IAM role (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html)',
      body: JSON.stringify({ v: 1, role: 'no spaces allowed', event }),
      attributes: {},
      reason: 'body.role: not a reconcile message',
    },
    {
      name: 'a role message of another version',
      body: JSON.stringify({ v: 2, role: 'r', event }),
      attributes: {},
      reason: 'body.v: not a reconcile message',
    },
    {
      name: 'anything else',
      body: JSON.stringify({ hello: 'world' }),
      attributes: {},
      reason: 'body: neither a Lambda failure record, an EventBridge event nor a reconcile message',
    },
    {
      name: 'nested deeper than any event (no recursion on it)',
      body: `{"requestContext":{},"requestPayload":${nestedText(5_000)}}`,
      attributes: {},
      reason: 'body.requestPayload.a.a.a.a.a: nested deeper than any event is',
    },
  ])('unreadable: $name', ({ body, attributes, reason }) => {
    expect(parseReplayMessage(body, attributes)).toEqual({ shape: 'unreadable', reason })
  })

  it('what the sender recorded is shown as one plain line, never as sent', () => {
    const forged = { ...ruleAttributes, ERROR_MESSAGE: 'Rate\n\nAll clear\u202e', RETRY_ATTEMPTS: 'many' }
    const parsed = parseReplayMessage(JSON.stringify(event), forged)
    expect(parsed).toMatchObject({ shape: 'rule-dead-letter', prior: { error: 'Rate All clear' } })
    expect(parsed).not.toHaveProperty('prior.attempts')
  })
})
