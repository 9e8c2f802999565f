/**
 * Builds the EventBridge `AWS API Call via CloudTrail` event CloudTrail would send for a call the kit made on moto
 * (moto emits none). Layout as in events/samples and test/events/fixtures/cloudtrail: eventVersion 1.08+,
 * requestParameters in the API's lowerCamelCase for IAM (policy documents as JSON strings), as written for MWAA,
 * `errorCode`/`errorMessage` on a failed call, `sessionCredentialFromConsole: "true"` only for console sessions.
 * Record fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
import { randomUUID } from 'node:crypto'
import type { EventBridgeEvent } from 'aws-lambda'

export const REGION = 'us-east-1'

/** Who made the call. */
export type Caller =
  /** an IAM user with access keys (the AWS CLI) */
  | { kind: 'user'; arn: string }
  /** a role session: an SSO admin in the console, a CI role, the remediator's Lambda */
  | { kind: 'role-session'; roleArn: string; session: string; console?: boolean; userAgent?: string }

export type CloudTrailDetail = Record<string, unknown> & { eventName: string; requestParameters: unknown }
export type CloudTrailEvent = EventBridgeEvent<'AWS API Call via CloudTrail', CloudTrailDetail>

export type CallRecord = {
  /** the account whose resources the call changed */
  account: string
  service: 'iam' | 'mwaa' | 's3' | 'kms' | 'ec2' | 'organizations'
  eventName: string
  requestParameters: Record<string, unknown> | null
  responseElements?: Record<string, unknown> | null
  caller: Caller
  /** the call failed: CloudTrail records the error code and message, and the call changed nothing */
  error?: { code: string; message: string }
  time?: Date
}

/** The caller's ARN as CloudTrail's userIdentity.arn shows it (an assumed-role ARN has no path). */
export function callerArn(caller: Caller): string {
  if (caller.kind === 'user') return caller.arn
  return `arn:aws:sts::${accountOf(caller.roleArn)}:assumed-role/${roleNameOf(caller.roleArn)}/${caller.session}`
}

/** The EventBridge event for one call. */
export function cloudTrailEvent(call: CallRecord): CloudTrailEvent {
  const time = cloudTrailTime(call.time ?? new Date())
  const eventId = randomUUID()
  const iam = call.service === 'iam'
  // MWAA's CloudTrail and EventBridge names are airflow; the others' are the service's own.
  const name = call.service === 'mwaa' ? 'airflow' : call.service
  const console = call.caller.kind === 'role-session' && call.caller.console === true
  const detail: CloudTrailDetail = {
    eventVersion: '1.11',
    userIdentity: userIdentity(call.caller, time),
    eventTime: time,
    eventSource: `${name}.amazonaws.com`,
    eventName: call.eventName,
    // IAM is global: its events are recorded in us-east-1.
    awsRegion: REGION,
    sourceIPAddress: console ? '198.51.100.23' : '203.0.113.77',
    userAgent: userAgentOf(call.caller, iam),
    requestParameters: call.requestParameters,
    responseElements: call.error ? null : (call.responseElements ?? null),
    ...(call.error ? { errorCode: call.error.code, errorMessage: call.error.message } : {}),
    requestID: randomUUID(),
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: iam ? 'iam.amazonaws.com' : `${name}.${REGION}.amazonaws.com`,
    },
    ...(console ? { sessionCredentialFromConsole: 'true' } : {}),
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${name}`,
    account: call.account,
    time,
    region: REGION,
    resources: [],
    detail,
  }
}

/** CloudTrail writes eventTime without milliseconds. */
function cloudTrailTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`
}

function userIdentity(caller: Caller, time: string): Record<string, unknown> {
  if (caller.kind === 'user') {
    const userName = caller.arn.split('/').at(-1)
    return {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEOPERATOR01',
      arn: caller.arn,
      accountId: accountOf(caller.arn),
      accessKeyId: 'AKIAEXAMPLEOPERATOR1',
      userName,
    }
  }
  const roleName = roleNameOf(caller.roleArn)
  const accountId = accountOf(caller.roleArn)
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE${roleName.length}:${caller.session}`,
    arn: callerArn(caller),
    accountId,
    accessKeyId: 'ASIAEXAMPLESESSION01',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: `AROAEXAMPLE${roleName.length}`,
        arn: caller.roleArn,
        accountId,
        userName: roleName,
      },
      webIdFederationData: {},
      attributes: { creationDate: time, mfaAuthenticated: 'false' },
    },
  }
}

function userAgentOf(caller: Caller, iam: boolean): string {
  if (caller.kind === 'role-session' && caller.userAgent) return caller.userAgent
  if (caller.kind === 'role-session' && caller.console) return 'AWS Internal'
  return `aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0 lang/python#3.12.6 md/command#${iam ? 'iam' : 'mwaa'}`
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? ''
}

function roleNameOf(roleArn: string): string {
  return roleArn.split('/').at(-1) ?? roleArn
}
