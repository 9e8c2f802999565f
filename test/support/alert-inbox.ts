/**
 * What SNS delivered to an SQS subscriber, read back from moto (no SQS client is installed: SQS's JSON protocol is
 * one POST per call, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/sqs-api-json.html).
 * Messages are deleted once read and kept here, so each test takes only the alerts about its own environments.
 * The body of a (non-raw) SNS delivery: https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */

/** One SNS notification as the subscriber sees it. */
export type DeliveredAlert = {
  messageId: string
  subject: string
  message: string
  /** severity, environment, outcome, mode, kind */
  attributes: Record<string, string>
}

/** moto picks the account from the access key in the credential scope; it does not check the signature. */
async function sqs(
  endpoint: string,
  accessKeyId: string,
  action: string,
  body: object,
): Promise<Record<string, unknown>> {
  const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00`
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization, 'x-amz-target': `AmazonSQS.${action}`, 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`SQS ${action} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Record<string, unknown>
}

export class AlertInbox {
  private readonly kept: DeliveredAlert[] = []

  private constructor(
    private readonly endpoint: string,
    private readonly accessKeyId: string,
    private readonly queueUrl: string,
    /** subscribe this queue to the alert topic */
    readonly queueArn: string,
  ) {}

  /** A new queue in the account the access key acts in. */
  static async create(endpoint: string, accessKeyId: string, name: string): Promise<AlertInbox> {
    const { QueueUrl } = await sqs(endpoint, accessKeyId, 'CreateQueue', { QueueName: name })
    const { Attributes } = await sqs(endpoint, accessKeyId, 'GetQueueAttributes', {
      QueueUrl,
      AttributeNames: ['QueueArn'],
    })
    return new AlertInbox(
      endpoint,
      accessKeyId,
      String(QueueUrl),
      String((Attributes as Record<string, string>).QueueArn),
    )
  }

  /**
   * Waits until `count` alerts matching `match` have arrived (default: at least one), and takes them. moto delivers
   * SNS to SQS while Publish runs, so the wait is short; it is there for a slower, real subscriber.
   */
  async take(
    match: (a: DeliveredAlert) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<DeliveredAlert[]> {
    const count = options.count ?? 1
    const deadline = Date.now() + (options.timeoutMs ?? 5_000)
    for (;;) {
      await this.pull()
      const mine = this.kept.filter(match)
      if (mine.length >= count || Date.now() > deadline) {
        for (const a of mine) this.kept.splice(this.kept.indexOf(a), 1)
        return mine
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** The alerts about one environment delivered so far (none waited for): for "no alert" assertions. */
  async about(environment: string): Promise<DeliveredAlert[]> {
    await this.pull()
    return this.kept.filter((a) => a.attributes.environment?.split(',').includes(environment))
  }

  private async pull(): Promise<void> {
    for (;;) {
      const out = await sqs(this.endpoint, this.accessKeyId, 'ReceiveMessage', {
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      })
      const messages = (out.Messages as Array<{ Body: string; ReceiptHandle: string }> | undefined) ?? []
      if (messages.length === 0) return
      for (const m of messages) {
        this.kept.push(parseNotification(m.Body))
        await sqs(this.endpoint, this.accessKeyId, 'DeleteMessage', {
          QueueUrl: this.queueUrl,
          ReceiptHandle: m.ReceiptHandle,
        })
      }
    }
  }
}

function parseNotification(body: string): DeliveredAlert {
  const n = JSON.parse(body) as {
    MessageId: string
    Subject?: string
    Message: string
    MessageAttributes?: Record<string, { Value: string }>
  }
  return {
    messageId: n.MessageId,
    subject: n.Subject ?? '',
    message: n.Message,
    attributes: Object.fromEntries(Object.entries(n.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value])),
  }
}

/** A match on the `environment` attribute (comma-separated names when a role serves several). */
export const aboutEnvironment = (name: string) => (a: DeliveredAlert) =>
  a.attributes.environment?.split(',').includes(name) ?? false

/** Each alert's kind and incident state, in order: what a subscriber filtering on the attributes sees. */
export const incidentStates = (alerts: DeliveredAlert[]) =>
  alerts.map((a) => [a.attributes.kind, a.attributes.incident_state])
