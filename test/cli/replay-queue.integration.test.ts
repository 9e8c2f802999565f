/**
 * The replay loop's hold on its messages, on a real SQS queue (moto): a message being replayed for longer than its
 * visibility timeout stays hidden from every other consumer (the heartbeat renews it), and a message left is visible
 * again as soon as the run ends (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html).
 * The replay itself is a slow function here: what is under test is what the queue shows while it runs.
 */
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDeadLetterQueue } from '../../lib/aws/dead-letter-queue'
import { drainQueue } from '../../lib/cli/replay-queue'
import { createFailedEventsQueueOnMoto } from '../support/failed-events-queue'
import { startMoto, motoCredentials, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'

let moto: Moto
let sqs: SQSClient
beforeAll(async () => {
  moto = await startMoto()
  sqs = new SQSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: motoCredentials })
})
afterAll(async () => {
  sqs?.destroy()
  await moto?.stop()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Another consumer's look: the bodies it could receive now (taken with a 0 s visibility, so they stay visible). */
async function othersSee(url: string): Promise<number> {
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 0 }),
  )
  return out.Messages?.length ?? 0
}

/** A replay that takes 2.5 s (three times the hold) and counts what another consumer sees meanwhile. */
async function slowReplay(url: string, options: { heartbeatMs: number }) {
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{}' }))
  const seenByOthers: number[] = []
  const warnings: string[] = []
  const report = await drainQueue(
    createDeadLetterQueue(sqs, url),
    async () => {
      for (let i = 0; i < 5; i++) {
        await sleep(500)
        seenByOthers.push(await othersSee(url))
      }
      return { handled: false, report: () => undefined }
    },
    { max: 10, deleteHandled: true, holdSeconds: 1, heartbeatMs: options.heartbeatMs },
    (line) => void warnings.push(line),
  )
  return { report, seenByOthers, warnings, visibleAfter: await othersSee(url) }
}

describe('replay holds the messages it works on', () => {
  it('the heartbeat keeps a slow replay hidden from other consumers; the message left shows again at once', async () => {
    const url = await createFailedEventsQueueOnMoto(sqs, uniqueName('hold'))
    const run = await slowReplay(url, { heartbeatMs: 300 })
    expect(run.seenByOthers).toEqual([0, 0, 0, 0, 0])
    expect(run.report).toEqual({ received: 1, deleted: 0, stoppedAtMax: false })
    expect(run.visibleAfter).toBe(1)
    expect(run.warnings).toEqual([])
  })

  it('without it (a heartbeat slower than the hold), the message would show mid-replay: the control case', async () => {
    const url = await createFailedEventsQueueOnMoto(sqs, uniqueName('no-hold'))
    const run = await slowReplay(url, { heartbeatMs: 60_000 })
    expect(run.seenByOthers.some((n) => n > 0)).toBe(true)
  })
})
