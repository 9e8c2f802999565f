/** Public API of lib/alerts: compose an alert (SNS subject, body, attributes; Slack payload) from what happened. Pure. */
export { composeAlert } from './compose-alert'
export { severityOf, unresolvedFindings } from './severity'
export { attributeStrings } from './attributes'
export { SUBJECT_MAX } from './subject'
export { SLACK_LIMITS } from './slack-payload'
export { AlertKind, Severity } from './types'
export type {
  Alert,
  AlertAttributes,
  AlertInput,
  AlertOutcome,
  BlockedFinding,
  SlackBlock,
  SlackPayload,
  SnsAttribute,
} from './types'
