/** Composes the SNS subject, e-mail body, SNS attributes and Slack payload of one alert. Pure. */
import { composeAttributes } from './attributes'
import { severityOf } from './severity'
import { composeSlack } from './slack-payload'
import { composeSubject } from './subject'
import { composeText } from './text-body'
import type { Alert, AlertInput } from './types'

/** Everything the notifier publishes for one alert; the clock comes in as `input.at`. */
export function composeAlert(input: AlertInput): Alert {
  const severity = severityOf(input)
  return {
    subject: composeSubject(input, severity),
    text: composeText(input, severity),
    attributes: composeAttributes(input, severity),
    slack: composeSlack(input, severity),
  }
}
