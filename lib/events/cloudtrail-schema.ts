/**
 * Runtime schemas for the parts of an `AWS API Call via CloudTrail` event the code reads, nothing more.
 * Record fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * requestParameters carry the API's parameters in lowerCamelCase for IAM (`roleName`, `policyArn`, ...) and as
 * written in the API for MWAA (`Name`, `ExecutionRoleArn`, ...), path parameters included (see test fixtures).
 */
import * as z from 'zod'
import { REGION_NAME } from '../baseline/deployment'
import { toIsoTime } from './cloudtrail-time'
import type { WatchedEventName } from './event-names'

/**
 * A field that only colours the alert or the consistency check: a bad value is dropped rather than dropping an
 * event that still says "this role may have drifted".
 */
const cosmetic = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

// CloudTrail writes some flags as the strings "true"/"false" (sessionCredentialFromConsole, mfaAuthenticated).
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')])

// IAM API RoleName: a name, never a path or an ARN (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html).
const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name (a name, never a path or an ARN)')
const arn = z.string().startsWith('arn:', 'expected an ARN')
/**
 * A managed policy ARN, as IAM takes it in AttachRolePolicy, GetPolicy or ListEntitiesForPolicy: 20 to 2048
 * characters (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html), `policy/`, an
 * optional path of printable ASCII, and a policy name
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns). The shell passes it
 * to IAM as it is, so anything else is refused here rather than sent (a lone surrogate cannot even be URL-encoded).
 */
const policyArn = z
  .string()
  .max(2048, 'expected an IAM policy ARN (at most 2048 characters)')
  .regex(
    /^arn:aws[a-z-]*:iam::(?:\d{12}|aws):policy\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/,
    'expected an IAM policy ARN (arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME)',
  )
// https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html#mwaa-CreateEnvironment-request-uri-Name
const environmentName = z.string().regex(/^[a-zA-Z][0-9a-zA-Z_-]{0,79}$/, 'expected an MWAA environment name')

const logModule = z.object({ Enabled: cosmetic(flag), LogLevel: cosmetic(z.string()) })
const logModules = ['DagProcessingLogs', 'SchedulerLogs', 'TaskLogs', 'WebserverLogs', 'WorkerLogs'] as const

const environmentRequest = z.object({
  Name: environmentName,
  ExecutionRoleArn: cosmetic(arn),
  SourceBucketArn: cosmetic(arn),
  DagS3Path: cosmetic(z.string()),
  PluginsS3Path: cosmetic(z.string()),
  RequirementsS3Path: cosmetic(z.string()),
  StartupScriptS3Path: cosmetic(z.string()),
  KmsKey: cosmetic(z.string()),
  LoggingConfiguration: cosmetic(z.object(Object.fromEntries(logModules.map((m) => [m, cosmetic(logModule)])))),
  Tags: cosmetic(z.record(z.string(), z.string())),
})

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
// KeyId as KMS takes it in these calls: a key id or a key ARN (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html)
const keyId = z
  .string()
  .regex(
    /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]{1,30}:\d{12}:key\/)?(?:mrk-)?[A-Za-z0-9-]{1,64}$/,
    'expected a KMS key id or key ARN',
  )
const vpcEndpointId = z.string().regex(/^vpce-[0-9a-f]{8,17}$/, 'expected a VPC endpoint id (vpce-...)')
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html (PolicyId, TargetId patterns)
const organizationPolicyId = z.string().regex(/^p-[0-9a-zA-Z_]{8,128}$/, 'expected an Organizations policy id (p-...)')
const organizationTarget = z
  .string()
  .regex(/^(?:r-[0-9a-z]{4,32}|\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, 'expected a root, OU or account id')
/**
 * EC2 records the parameters of its newer calls nested under `<Operation>Request`, in the API's own case
 * (`{"ModifyVpcEndpointRequest": {"VpcEndpointId": ...}}`); older calls are flat and lowerCamelCase. Both are read.
 */
const modifyVpcEndpoint = z.union([
  z.object({ ModifyVpcEndpointRequest: z.object({ VpcEndpointId: vpcEndpointId }) }).transform((r) => ({
    vpcEndpointId: r.ModifyVpcEndpointRequest.VpcEndpointId,
  })),
  z.object({ vpcEndpointId }),
])

const tag = z.object({ key: z.string(), value: z.string().catch('') })
const versionRequest = z.object({ policyArn, versionId: cosmetic(z.string()) })
const attachRequest = z.object({ roleName, policyArn: cosmetic(policyArn) })

/** requestParameters per watched call: only the target's identifier is required. */
export const requestSchemas = {
  PutRolePolicy: z.object({ roleName, policyName: cosmetic(z.string()), policyDocument: cosmetic(z.string()) }),
  DeleteRolePolicy: z.object({ roleName, policyName: cosmetic(z.string()) }),
  AttachRolePolicy: attachRequest,
  DetachRolePolicy: attachRequest,
  UpdateAssumeRolePolicy: z.object({ roleName, policyDocument: cosmetic(z.string()) }),
  PutRolePermissionsBoundary: z.object({ roleName, permissionsBoundary: cosmetic(policyArn) }),
  DeleteRolePermissionsBoundary: z.object({ roleName }),
  TagRole: z.object({ roleName, tags: cosmetic(z.array(tag)) }),
  UntagRole: z.object({ roleName, tagKeys: cosmetic(z.array(z.string())) }),
  DeleteRole: z.object({ roleName }),
  CreatePolicyVersion: z.object({ policyArn, policyDocument: cosmetic(z.string()), setAsDefault: cosmetic(flag) }),
  SetDefaultPolicyVersion: versionRequest,
  DeletePolicyVersion: versionRequest,
  CreateEnvironment: environmentRequest,
  UpdateEnvironment: environmentRequest,
  DeleteEnvironment: z.object({ Name: environmentName }),
  PutBucketPolicy: z.object({ bucketName }),
  DeleteBucketPolicy: z.object({ bucketName }),
  PutKeyPolicy: z.object({ keyId }),
  DisableKey: z.object({ keyId }),
  ScheduleKeyDeletion: z.object({ keyId }),
  EnableKey: z.object({ keyId }),
  CancelKeyDeletion: z.object({ keyId }),
  ModifyVpcEndpoint: modifyVpcEndpoint,
  AttachPolicy: z.object({ policyId: organizationPolicyId, targetId: cosmetic(organizationTarget) }),
  DetachPolicy: z.object({ policyId: organizationPolicyId, targetId: cosmetic(organizationTarget) }),
  UpdatePolicy: z.object({ policyId: organizationPolicyId }),
  DisablePolicyType: z.object({ policyType: cosmetic(z.string()) }),
} satisfies Record<WatchedEventName, z.ZodType>

export type RequestOf<N extends WatchedEventName> = z.output<(typeof requestSchemas)[N]>
export type EnvironmentRequest = z.output<typeof environmentRequest>

const userIdentity = z.object({
  type: z.string(),
  arn: cosmetic(z.string()),
  accountId: cosmetic(z.string()),
  invokedBy: cosmetic(z.string()),
  sessionContext: cosmetic(
    z.object({
      sessionIssuer: cosmetic(z.object({ type: cosmetic(z.string()), arn: cosmetic(z.string()) })),
      attributes: cosmetic(z.object({ mfaAuthenticated: cosmetic(flag) })),
    }),
  ),
})

/**
 * An event id (CloudTrail's eventID, EventBridge's id): 1 to 128 letters, digits, `-` and `_`, as CloudTrail Lake
 * states its event ids (https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_AuditEventResultEntry.html).
 * It travels into the run's summary, which the idempotency record stores as DynamoDB text (UTF-8: a lone surrogate
 * cannot be stored, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
 */
const eventId = z.string().regex(/^[-\w]{1,128}$/)

const detail = z.object({
  eventName: z.string(),
  eventSource: z.string(),
  // When the call was made (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html):
  // it tells a stale read from a superseded event, so an unreadable one would make every read look stale.
  eventTime: z
    .string()
    .refine((t) => toIsoTime(t) !== undefined, 'expected an ISO-8601 time such as 2026-11-28T10:01:07Z'),
  // Checked before anything uses it: it names the Region an MWAA request is signed for and sent to.
  awsRegion: z.string().regex(REGION_NAME, 'expected a region name such as us-east-1'),
  eventID: cosmetic(eventId),
  recipientAccountId: cosmetic(z.string()),
  // present only for a failed call; parseEvent tells a real error name from an empty (malformed) one
  errorCode: z.unknown().optional(),
  sourceIPAddress: cosmetic(z.string()),
  userAgent: cosmetic(z.string()),
  // a top-level field, present (as the string "true") only for calls made from a console session
  sessionCredentialFromConsole: cosmetic(flag),
  userIdentity,
  // checked per eventName with requestSchemas
  requestParameters: z.unknown(),
})

/** The EventBridge envelope: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html */
export const envelopeSchema = z.object({
  'detail-type': z.string(),
  source: z.string(),
  id: cosmetic(eventId),
  account: cosmetic(z.string()),
  region: cosmetic(z.string()),
  time: cosmetic(z.string()),
  detail,
})
