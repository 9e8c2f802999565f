/** SNS publish over the real wire, against moto, observed through an SQS subscription. */
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSnsClient } from '../../lib/aws/clients'
import { createSnsAdapter, toSnsSubject } from '../../lib/aws/sns'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'
import { createQueue, receiveBodies } from '../support/sqs-probe'

let moto: Moto
beforeAll(async () => {
  moto = await startMoto()
})
afterAll(async () => {
  await moto?.stop()
})

describe('publish', () => {
  it('delivers subject, message and string attributes to subscribers', async () => {
    const client = createSnsClient({
      env: { AWS_ENDPOINT_URL_SNS: moto.endpoint },
      region: 'us-east-1',
      credentials: motoCredentials,
    })
    const topicArn = (await client.send(new CreateTopicCommand({ Name: uniqueName('drift') }))).TopicArn!
    const queue = await createQueue(moto.endpoint, uniqueName('inbox'))
    await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }))

    const messageId = await createSnsAdapter(client).publish(topicArn, 'Drift on role exec', '{"findings":[]}', {
      environment: 'testEnvironment',
      severity: 'high',
      empty: '',
    })

    expect(messageId).not.toBe('')
    const [body] = await receiveBodies(moto.endpoint, queue.url)
    const notification = JSON.parse(body ?? '{}') as { Subject: string; Message: string; MessageAttributes: object }
    expect(notification.Subject).toBe('Drift on role exec')
    expect(notification.Message).toBe('{"findings":[]}')
    // SNS rejects empty attribute values, so the adapter drops them rather than lose the alert.
    expect(notification.MessageAttributes).toEqual({
      environment: { Type: 'String', Value: 'testEnvironment' },
      severity: { Type: 'String', Value: 'high' },
    })
  })
})

describe('toSnsSubject (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html: ASCII text, no line breaks or control characters, < 100 characters)', () => {
  it.each([
    { subject: 'Drift on\nrole\texec', want: 'Drift on role exec' },
    { subject: 'x'.repeat(150), want: `${'x'.repeat(96)}...` },
    { subject: 'é'.repeat(99), want: '?'.repeat(99) },
    { subject: 'role ✓ healed', want: 'role ? healed' },
  ])('$subject -> $want', ({ subject, want }) => {
    expect(toSnsSubject(subject)).toBe(want)
    expect(toSnsSubject(subject).length).toBeLessThan(100)
    expect(toSnsSubject(subject)).toMatch(/^[\x20-\x7e]*$/)
  })
})
