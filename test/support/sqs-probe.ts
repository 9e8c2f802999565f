/**
 * Reads what SNS delivered, through an SQS queue in moto, without an SQS client (none is installed): SQS's
 * JSON protocol is one POST per call (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/sqs-api-json.html).
 * moto routes by the credential scope's service name and does not check the signature itself.
 */
const AUTH = 'AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00'

async function sqs(endpoint: string, action: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization: AUTH,
      'x-amz-target': `AmazonSQS.${action}`,
      'content-type': 'application/x-amz-json-1.0',
    },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`SQS ${action} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Record<string, unknown>
}

/** Creates a queue and returns its URL and ARN (moto's default account). */
export async function createQueue(endpoint: string, name: string): Promise<{ url: string; arn: string }> {
  const out = await sqs(endpoint, 'CreateQueue', { QueueName: name })
  return { url: String(out.QueueUrl), arn: `arn:aws:sqs:us-east-1:123456789012:${name}` }
}

/** Bodies of the messages waiting in the queue (at most 10). */
export async function receiveBodies(endpoint: string, queueUrl: string): Promise<string[]> {
  const out = await sqs(endpoint, 'ReceiveMessage', { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 })
  return ((out.Messages as Array<{ Body: string }> | undefined) ?? []).map((m) => m.Body)
}
