/** What an event says may have drifted. The shell re-reads each target; the event's contents are only a hint. */
import type { EnvironmentRequest } from './cloudtrail-schema'
import type { ParsedEvent } from './parse-event'

export type EnvironmentTarget = {
  kind: 'environment'
  operation: 'create' | 'update'
  name: string
  region: string
  /** the role named in the request: always for a create, only when an update changes it */
  executionRoleArn?: string
  request: EnvironmentRequest
}

export type Target =
  /** a role by name (IAM APIs take the name; the path is not in the event) */
  | { kind: 'role'; roleName: string }
  | { kind: 'role-deleted'; roleName: string }
  /** a managed policy changed: the shell looks up the roles it is attached to */
  | { kind: 'policy'; policyArn: string }
  | EnvironmentTarget
  | { kind: 'environment-deleted'; name: string; region: string }
  /** a bucket's policy changed: the environments whose DAG bucket it is */
  | { kind: 'bucket'; bucket: string; region: string }
  /** a key's policy or state changed: the environments encrypted with it (by key id) */
  | { kind: 'kms-key'; keyId: string; region: string }
  /** an endpoint's policy changed: the environments in its VPC */
  | { kind: 'vpc-endpoint'; endpointId: string; region: string }
  /** an SCP or RCP changed, or where one applies: every environment (they all share the account's organization) */
  | { kind: 'organization'; policyId?: string }

/** The key id of a key id or key ARN (`...:key/ID`). */
export function keyIdOf(keyRef: string): string {
  return keyRef.includes(':key/') ? keyRef.slice(keyRef.lastIndexOf(':key/') + 5) : keyRef
}

/** The roles, policies and environments the event may have changed. */
export function targetsOf(event: ParsedEvent): Target[] {
  switch (event.name) {
    case 'DeleteRole':
      return [{ kind: 'role-deleted', roleName: event.request.roleName }]
    case 'CreatePolicyVersion':
    case 'SetDefaultPolicyVersion':
    case 'DeletePolicyVersion':
      return [{ kind: 'policy', policyArn: event.request.policyArn }]
    case 'CreateEnvironment':
    case 'UpdateEnvironment': {
      const { request } = event
      const target: EnvironmentTarget = {
        kind: 'environment',
        operation: event.name === 'CreateEnvironment' ? 'create' : 'update',
        name: request.Name,
        // MWAA is regional: the call's region is the environment's region.
        region: event.region,
        request,
      }
      if (request.ExecutionRoleArn) target.executionRoleArn = request.ExecutionRoleArn
      return [target]
    }
    case 'DeleteEnvironment':
      return [{ kind: 'environment-deleted', name: event.request.Name, region: event.region }]
    // S3, KMS and EC2 record a call in the region of the resource it changed.
    case 'PutBucketPolicy':
    case 'DeleteBucketPolicy':
      return [{ kind: 'bucket', bucket: event.request.bucketName, region: event.region }]
    case 'PutKeyPolicy':
    case 'DisableKey':
    case 'ScheduleKeyDeletion':
    case 'EnableKey':
    case 'CancelKeyDeletion':
      return [{ kind: 'kms-key', keyId: keyIdOf(event.request.keyId), region: event.region }]
    case 'ModifyVpcEndpoint':
      return [{ kind: 'vpc-endpoint', endpointId: event.request.vpcEndpointId, region: event.region }]
    case 'AttachPolicy':
    case 'DetachPolicy':
    case 'UpdatePolicy':
      return [{ kind: 'organization', policyId: event.request.policyId }]
    case 'DisablePolicyType':
      return [{ kind: 'organization' }]
    default:
      return [{ kind: 'role', roleName: event.request.roleName }]
  }
}
