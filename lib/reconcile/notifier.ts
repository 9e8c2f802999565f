/**
 * Sends an alert to SNS (e-mail and any subscriber) and, when configured, to Slack. SNS is the channel of record:
 * its failure is thrown (the Lambda retries, then the on-failure destination keeps the event). A Slack failure is
 * logged and does not lose the SNS alert.
 */
import { composeAlert } from '../alerts'
import type { SnsAdapter } from '../aws/sns'
import { slackWebhookUrl } from '../aws/slack'
import type { SsmAdapter } from '../aws/ssm'
import type { Config } from '../config'
import type { AlertRequest, Log, Notifier } from './types'

export type NotifierDeps = {
  config: Pick<Config, 'alertTopicArn' | 'slackWebhookParameter' | 'modeTagKey'>
  sns: SnsAdapter
  ssm?: Pick<SsmAdapter, 'getParameter'>
  postSlack: (url: string, payload: unknown) => Promise<void>
  now: () => Date
  log: Log
  /** every composed alert, for the demo and the CLI summary */
  sent?: (alert: ReturnType<typeof composeAlert>, request: AlertRequest) => void
  /** compose and log, publish nothing (`handle --dry-run`) */
  dryRun?: boolean
}

/** Builds the Notifier the reconcile calls. */
export function createNotifier(deps: NotifierDeps): Notifier {
  return async (request) => {
    const alert = composeAlert({ ...request, at: deps.now().toISOString(), modeTagKey: deps.config.modeTagKey })
    deps.sent?.(alert, request)
    if (deps.dryRun) {
      deps.log.info('dry run: alert not published', { subject: alert.subject })
      return alert.subject
    }
    const attributes = Object.fromEntries(Object.entries(alert.attributes).map(([k, v]) => [k, v.StringValue]))
    let delivered = false
    if (deps.config.alertTopicArn) {
      await deps.sns.publish(deps.config.alertTopicArn, alert.subject, alert.text, attributes)
      delivered = true
    }
    if (deps.config.slackWebhookParameter && deps.ssm) {
      try {
        const url = slackWebhookUrl(await deps.ssm.getParameter(deps.config.slackWebhookParameter))
        await deps.postSlack(url, alert.slack)
        delivered = true
      } catch (error) {
        // The message never carries the webhook URL (it is a secret).
        deps.log.error('Slack alert failed', { error: error instanceof Error ? error.message : String(error) })
        if (!deps.config.alertTopicArn) throw error
      }
    }
    if (!delivered)
      deps.log.warn('no alert channel configured (ALERT_TOPIC_ARN, SLACK_WEBHOOK_PARAMETER); alert only logged', {
        subject: alert.subject,
      })
    deps.log.info('alert', { subject: alert.subject, ...attributes })
    return alert.subject
  }
}
