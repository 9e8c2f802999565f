/**
 * Does the event come from where this deployment watches? Both account fields of an event, the EventBridge envelope's
 * `account` and CloudTrail's `detail.recipientAccountId`, must be the deployment's account; an MWAA call's
 * `detail.awsRegion` must be one of MWAA_REGIONS, an IAM call's the partition's IAM region (IAM records its events
 * there). Anything else is a forged or misrouted event: dropped, never reconciled.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { type Deployment, iamEventRegion } from '../baseline/deployment'
import { REGIONAL_SOURCES } from './event-names'
import type { ParsedEvent } from './parse-event'

/** Why the event is not this deployment's (one line naming the field), or undefined when it is. */
export function originProblem(event: ParsedEvent, deployment: Deployment): string | undefined {
  const { envelope, recipient } = event.accounts
  const account = deployment.accountId
  if (envelope === undefined) return 'account: missing'
  if (envelope !== account) return `account: '${clip(envelope)}' is not this deployment's account ${account}`
  if (recipient === undefined) return 'detail.recipientAccountId: missing'
  if (recipient !== account)
    return `detail.recipientAccountId: '${clip(recipient)}' is not this deployment's account ${account}`
  // MWAA, S3, KMS and EC2 record a call in the region of the resource it changed.
  if (REGIONAL_SOURCES.has(event.source) && !deployment.regions.includes(event.region))
    return `detail.awsRegion: '${event.region}' is not one of MWAA_REGIONS (${deployment.regions.join(', ')})`
  const iamRegion = iamEventRegion(deployment.partition)
  if (event.source === 'aws.iam' && event.region !== iamRegion)
    return `detail.awsRegion: '${event.region}' is not ${iamRegion}, where IAM records its events`
  const organizationsRegion = organizationsEventRegion(deployment.partition)
  if (event.source === 'aws.organizations' && event.region !== organizationsRegion)
    return `detail.awsRegion: '${event.region}' is not ${organizationsRegion}, where Organizations records its events`
  return undefined
}

/**
 * Organizations is global: its calls are recorded in us-east-1 (aws), us-gov-west-1 (aws-us-gov) or cn-northwest-1
 * (aws-cn) (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_security_incident-response.html).
 */
export function organizationsEventRegion(partition: string): string {
  if (partition === 'aws-cn') return 'cn-northwest-1'
  return iamEventRegion(partition)
}

function clip(value: string): string {
  return JSON.stringify(value.slice(0, 40)).slice(1, -1)
}
