/** Who changed what, for alerts: plain data taken from the event, never from a re-read. */
import { toIsoTime } from './cloudtrail-time'
import type { WatchedEventName } from './event-names'
import type { ParsedEvent } from './parse-event'

export type Caller = {
  /** CloudTrail userIdentity.type: IAMUser, AssumedRole, Root, AWSService, FederatedUser, ... */
  type: string
  /** the principal; for AssumedRole the session (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) */
  arn?: string
  /** for AssumedRole, the role behind the session (with its path) */
  roleArn?: string
  /** the AWS service that made the call for the principal, e.g. cloudformation.amazonaws.com */
  invokedBy?: string
  viaConsole: boolean
  mfa?: boolean
}

export type Change = {
  eventName: WatchedEventName
  /** CloudTrail eventID (falls back to the EventBridge id) */
  eventId?: string
  /** ISO-8601 UTC; undefined when CloudTrail's eventTime is unreadable */
  time?: string
  account: string
  region: string
  caller: Caller
  sourceIp?: string
  userAgent?: string
  /** e.g. "detached arn:aws:iam::aws:policy/X from role R" */
  description: string
}

/** Who made the change, from where, when, and a one-line description of it. */
export function changeOf(event: ParsedEvent): Change {
  const { identity } = event
  const caller: Caller = {
    type: identity.type,
    viaConsole: identity.sessionCredentialFromConsole === true || event.userAgent === 'console.amazonaws.com',
  }
  if (identity.arn) caller.arn = identity.arn
  if (identity.type === 'AssumedRole' && identity.sessionIssuerArn) caller.roleArn = identity.sessionIssuerArn
  if (identity.invokedBy) caller.invokedBy = identity.invokedBy
  if (identity.mfaAuthenticated !== undefined) caller.mfa = identity.mfaAuthenticated
  return {
    eventName: event.name,
    eventId: event.eventId,
    time: toIsoTime(event.eventTime),
    account: event.account,
    region: event.region,
    caller,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
    description: describe(event),
  }
}

/** A short, human description of the call (what, not who). */
export function describe(event: ParsedEvent): string {
  const name = (value: string | undefined, noun: string) =>
    value ? `${noun} ${value}` : `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`
  switch (event.name) {
    case 'PutRolePolicy':
      return `put ${name(event.request.policyName, 'inline policy')} on role ${event.request.roleName}`
    case 'DeleteRolePolicy':
      return `deleted ${name(event.request.policyName, 'inline policy')} from role ${event.request.roleName}`
    case 'AttachRolePolicy':
      return `attached ${event.request.policyArn ?? 'a managed policy'} to role ${event.request.roleName}`
    case 'DetachRolePolicy':
      return `detached ${event.request.policyArn ?? 'a managed policy'} from role ${event.request.roleName}`
    case 'UpdateAssumeRolePolicy':
      return `replaced the trust policy of role ${event.request.roleName}`
    case 'PutRolePermissionsBoundary':
      return `set the permissions boundary of role ${event.request.roleName} to ${event.request.permissionsBoundary ?? 'a managed policy'}`
    case 'DeleteRolePermissionsBoundary':
      return `removed the permissions boundary of role ${event.request.roleName}`
    case 'TagRole': {
      const tags = event.request.tags?.map((t) => `${t.key}=${t.value}`).join(', ')
      return `tagged role ${event.request.roleName}${tags ? ` with ${tags}` : ''}`
    }
    case 'UntagRole': {
      const keys = event.request.tagKeys?.join(', ')
      return keys
        ? `removed tags ${keys} from role ${event.request.roleName}`
        : `removed tags from role ${event.request.roleName}`
    }
    case 'DeleteRole':
      return `deleted role ${event.request.roleName}`
    case 'CreatePolicyVersion':
      return `created a new version of ${event.request.policyArn}${event.request.setAsDefault ? ' and made it the default' : ''}`
    case 'SetDefaultPolicyVersion':
      return `made ${name(event.request.versionId, 'version')} the default of ${event.request.policyArn}`
    case 'DeletePolicyVersion':
      return `deleted ${name(event.request.versionId, 'version')} of ${event.request.policyArn}`
    case 'CreateEnvironment':
      return `created MWAA environment ${event.request.Name}${event.request.ExecutionRoleArn ? ` with execution role ${event.request.ExecutionRoleArn}` : ''}`
    case 'UpdateEnvironment':
      return `updated MWAA environment ${event.request.Name}${event.request.ExecutionRoleArn ? `, execution role now ${event.request.ExecutionRoleArn}` : ''}`
    case 'DeleteEnvironment':
      return `deleted MWAA environment ${event.request.Name}`
    case 'PutBucketPolicy':
      return `replaced the bucket policy of ${event.request.bucketName}`
    case 'DeleteBucketPolicy':
      return `deleted the bucket policy of ${event.request.bucketName}`
    case 'PutKeyPolicy':
      return `replaced the key policy of KMS key ${event.request.keyId}`
    case 'DisableKey':
      return `disabled KMS key ${event.request.keyId}`
    case 'ScheduleKeyDeletion':
      return `scheduled KMS key ${event.request.keyId} for deletion`
    case 'EnableKey':
      return `enabled KMS key ${event.request.keyId}`
    case 'CancelKeyDeletion':
      return `cancelled the deletion of KMS key ${event.request.keyId}`
    case 'ModifyVpcEndpoint':
      return `modified VPC endpoint ${event.request.vpcEndpointId}`
    case 'AttachPolicy':
      return `attached organization policy ${event.request.policyId}${event.request.targetId ? ` to ${event.request.targetId}` : ''}`
    case 'DetachPolicy':
      return `detached organization policy ${event.request.policyId}${event.request.targetId ? ` from ${event.request.targetId}` : ''}`
    case 'UpdatePolicy':
      return `updated organization policy ${event.request.policyId}`
    case 'DisablePolicyType':
      return `disabled the policy type ${event.request.policyType ?? '(unnamed)'} in the organization's root`
  }
}
