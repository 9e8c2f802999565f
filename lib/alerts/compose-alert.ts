/** Composes the SNS subject, e-mail body, SNS attributes and Slack payload of one alert. Pure. */
import { composeAttributes } from './attributes'
import { severityOf } from './severity'
import { composeSlack } from './slack-payload'
import { composeSubject } from './subject'
import { composeText } from './text-body'
import type { Alert, AlertInput } from './types'
import { wellFormedAlert } from './well-formed'

/**
 * Everything the notifier publishes for one alert; the clock comes in as `input.at`. Every channel's text is made
 * well-formed here, once (well-formed.ts): an event's odd characters never cost an alert.
 */
export function composeAlert(input: AlertInput): Alert {
  const severity = severityOf(input)
  return wellFormedAlert({
    subject: composeSubject(input, severity),
    text: composeText(input, severity),
    attributes: composeAttributes(input, severity),
    slack: composeSlack(input, severity),
  })
}
