/**
 * The CloudTrail event of an MWAA CreateEnvironment call: requestParameters as the API takes them
 * (https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html), laid out as in
 * events/samples/mwaa-create-environment.json (the Airflow configuration options are redacted by CloudTrail).
 */
import { cloudTrailEvent, type Caller, type CloudTrailEvent } from './cloudtrail-event'
import type { EnvironmentDescription } from './environments'

/** The event for creating the environment `wire` describes. */
export function createEnvironmentEvent(account: string, caller: Caller, wire: EnvironmentDescription): CloudTrailEvent {
  // The request sets Enabled and LogLevel; MWAA names the log groups once it creates them.
  const logging = Object.fromEntries(
    Object.entries(wire.LoggingConfiguration).map(([k, v]) => [k, { Enabled: v.Enabled, LogLevel: v.LogLevel }]),
  )
  const requestParameters = {
    Name: wire.Name,
    ExecutionRoleArn: wire.ExecutionRoleArn,
    SourceBucketArn: wire.SourceBucketArn,
    DagS3Path: wire.DagS3Path,
    RequirementsS3Path: wire.RequirementsS3Path,
    ...(wire.KmsKey ? { KmsKey: wire.KmsKey } : {}),
    AirflowConfigurationOptions: '***',
    AirflowVersion: wire.AirflowVersion,
    EnvironmentClass: wire.EnvironmentClass,
    LoggingConfiguration: logging,
    WebserverAccessMode: wire.WebserverAccessMode,
    Tags: wire.Tags,
  }
  return cloudTrailEvent({
    account,
    service: 'mwaa',
    eventName: 'CreateEnvironment',
    requestParameters,
    responseElements: { Arn: wire.Arn },
    caller,
  })
}

/**
 * Any MWAA call's CloudTrail event (UpdateEnvironment, a forged CreateEnvironment...): the request as given, and
 * `detail` overrides for fields an attacker controls in a forged event (awsRegion, recipientAccountId).
 */
export function mwaaCallEvent(
  account: string,
  caller: Caller,
  eventName: 'CreateEnvironment' | 'UpdateEnvironment' | 'DeleteEnvironment',
  requestParameters: Record<string, unknown>,
  detail: Record<string, unknown> = {},
): CloudTrailEvent {
  const event = cloudTrailEvent({ account, service: 'mwaa', eventName, requestParameters, caller })
  return { ...event, detail: { ...event.detail, ...detail } }
}
