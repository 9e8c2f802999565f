/** Pages the incident, fight and memory cases come from. */
export const DOC = {
  /** Alertmanager: group_wait, repeat_interval, send_resolved, grouping by labels */
  alertmanager: 'https://prometheus.io/docs/alerting/latest/configuration/#route',
  /** PagerDuty Events API v2: dedup_key, trigger / resolve */
  pagerDuty: 'https://developer.pagerduty.com/docs/events-api-v2/overview/',
  /** AWS Config remediation: MaximumAutomaticAttempts within RetryAttemptSeconds, then a RemediationException */
  configRemediation: 'https://docs.aws.amazon.com/config/latest/APIReference/API_RemediationConfiguration.html',
  /** CloudTrail userIdentity: who made a call (arn, sessionIssuer, invokedBy) */
  userIdentity:
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html',
  /** IAM policy grammar: statements, Sid, Action */
  grammar: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  sid: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html',
  /** DynamoDB items: a stored record is data, validated when read back */
  dynamoItems: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.CoreComponents.html',
  mwaaRole: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html',
  /** GetEnvironment: the description a baseline is derived from, once validated (refused values are never used) */
  getEnvironment: 'https://docs.aws.amazon.com/mwaa/latest/API/API_GetEnvironment.html',
} as const
