/** Slack incoming webhook (https://api.slack.com/messaging/webhooks) against a local HTTP server. */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postToSlack, SlackWebhookError } from '../../lib/aws/slack'

type Received = { method?: string; contentType?: string; body: string }
let server: Server
let base: string
const received: Received[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      received.push({ method: req.method, contentType: req.headers['content-type'], body })
      if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('ok'), 1_000)
      if (req.url?.startsWith('/gone')) return void res.writeHead(404).end('no_service')
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('postToSlack', () => {
  it('POSTs the payload as JSON', async () => {
    await postToSlack(`${base}/services/T/B/secret`, { text: 'Drift on role exec' })
    expect(received.at(-1)).toEqual({
      method: 'POST',
      contentType: 'application/json',
      body: '{"text":"Drift on role exec"}',
    })
  })

  it("turns a non-2xx answer into SlackWebhookError with Slack's reason, never the (secret) URL", async () => {
    const error = await postToSlack(`${base}/gone/T/B/secret-token`, { text: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SlackWebhookError)
    expect(error).toMatchObject({ status: 404, message: 'Slack webhook answered 404: no_service' })
    expect(String((error as Error).message)).not.toContain('secret-token')
  })

  it('gives up after the timeout', async () => {
    const error = await postToSlack(`${base}/slow/T/B/secret-token`, { text: 'x' }, { timeoutMs: 100 }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'SlackWebhookError', message: 'Slack webhook timed out', status: undefined })
  })

  it('does not echo a malformed URL into the error', async () => {
    const error = await postToSlack('hooks.slack.com/services/secret-token', { text: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SlackWebhookError)
    expect(String((error as Error).message)).not.toContain('secret-token')
  })
})
