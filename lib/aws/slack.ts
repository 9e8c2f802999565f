/** Posts a message to a Slack incoming webhook (https://api.slack.com/messaging/webhooks). */

/** The webhook answered with a non-2xx status, or did not answer in time. Never carries the URL (it is a secret). */
export class SlackWebhookError extends Error {
  override name = 'SlackWebhookError'
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export type SlackOptions = { timeoutMs?: number; fetch?: typeof fetch }

/** Incoming webhooks are https://hooks.slack.com/services/... (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks). */
const SLACK_WEBHOOK_ORIGIN = 'https://hooks.slack.com'

/**
 * The webhook URL from its SSM parameter: only a SecureString (whoever can write it readable can read the secret
 * anyway), only https://hooks.slack.com/. Anything else is a SlackWebhookError that never quotes the URL.
 */
export function slackWebhookUrl(parameter: { value: string; type: string }): string {
  if (parameter.type !== 'SecureString')
    throw new SlackWebhookError(
      `the Slack webhook parameter is a ${parameter.type} parameter: store the URL as a SecureString`,
    )
  const url = URL.canParse(parameter.value) ? new URL(parameter.value) : undefined
  if (!url || url.origin !== SLACK_WEBHOOK_ORIGIN || url.username || url.password)
    throw new SlackWebhookError(`the Slack webhook URL must start with ${SLACK_WEBHOOK_ORIGIN}/ (an incoming webhook)`)
  return url.href
}

/** POSTs `payload` as JSON to the webhook; resolves on 2xx, throws SlackWebhookError otherwise. */
export async function postToSlack(webhookUrl: string, payload: unknown, options: SlackOptions = {}): Promise<void> {
  const fetchImpl = options.fetch ?? fetch
  // fetch's own parse error quotes the URL, which would put the secret into the logs.
  if (!URL.canParse(webhookUrl)) throw new SlackWebhookError('Slack webhook URL is not a valid URL')
  let response: Response
  try {
    response = await fetchImpl(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    })
  } catch (cause) {
    const reason = (cause as Error)?.name === 'TimeoutError' ? 'timed out' : 'request failed'
    throw new SlackWebhookError(`Slack webhook ${reason}`, undefined, { cause })
  }
  // Slack answers errors with a short plain-text reason such as `invalid_payload` or `no_service`.
  const body = (await response.text()).slice(0, 200)
  if (!response.ok) throw new SlackWebhookError(`Slack webhook answered ${response.status}: ${body}`, response.status)
}
