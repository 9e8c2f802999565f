/** The SNS adapter: one Publish per notification. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns'

export type SnsAdapter = {
  /** Publishes a message; returns SNS's MessageId. */
  publish(
    topicArn: string,
    subject: string,
    message: string,
    messageAttributes?: Record<string, string>,
  ): Promise<string>
}

/** Builds the SNS adapter over a client from `createSnsClient`. */
export function createSnsAdapter(client: SNSClient): SnsAdapter {
  return {
    async publish(topicArn, subject, message, messageAttributes = {}) {
      const out = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: toSnsSubject(subject),
          Message: message,
          // SNS rejects an attribute with an empty value (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html).
          MessageAttributes: Object.fromEntries(
            Object.entries(messageAttributes)
              .filter(([, v]) => v !== '')
              .map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
          ),
        }),
      )
      return out.MessageId ?? ''
    },
  }
}

/**
 * SNS rejects the whole Publish for a bad subject: "no line breaks or control characters, and less than 100
 * characters long" (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). An alert must not be lost to
 * a long role name, so the subject is cleaned and shortened instead.
 */
export function toSnsSubject(subject: string): string {
  // ASCII only ("Constraints: Subjects must be ASCII text"): anything else becomes '?'.
  const clean = subject
    .replace(/[^\x20-\x7e]/g, (c) => (/\s/.test(c) ? ' ' : '?'))
    .replace(/\s+/g, ' ')
    .trim()
  return clean.length <= 99 ? clean : `${clean.slice(0, 96)}...`
}
