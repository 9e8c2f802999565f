import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeOf } from '../../lib/events/change'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { type Target, targetsOf } from '../../lib/events/targets'
import { readJson, SAMPLES } from './corpus'

const IAM_API = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_'
const MWAA_API = 'https://docs.aws.amazon.com/mwaa/latest/API/API_'
const ROLE = 'mwaa-demo-execution-role'
const POLICY = 'arn:aws:iam::111122223333:policy/service-role/MWAA-Execution-Policy-mwaa-demo'
const role: Target = { kind: 'role', roleName: ROLE }
const policy: Target = { kind: 'policy', policyArn: POLICY }

function load(file: string): ParsedEvent {
  const result = parseEvent(readJson(join(SAMPLES, file)))
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}

// sample -> targets the shell must reconcile, and the line an alert shows
const samples: Array<[file: string, targets: Target[], description: string, doc: string]> = [
  [
    'iam-put-role-policy.json',
    [role],
    `put inline policy mwaa-demo-extras on role ${ROLE}`,
    `${IAM_API}PutRolePolicy.html`,
  ],
  [
    'iam-delete-role-policy.json',
    [role],
    `deleted inline policy mwaa-demo-extras from role ${ROLE}`,
    `${IAM_API}DeleteRolePolicy.html`,
  ],
  [
    'iam-attach-role-policy.json',
    [role],
    `attached arn:aws:iam::aws:policy/AWSDenyAll to role ${ROLE}`,
    `${IAM_API}AttachRolePolicy.html`,
  ],
  ['iam-detach-role-policy.json', [role], `detached ${POLICY} from role ${ROLE}`, `${IAM_API}DetachRolePolicy.html`],
  [
    'iam-update-assume-role-policy.json',
    [role],
    `replaced the trust policy of role ${ROLE}`,
    `${IAM_API}UpdateAssumeRolePolicy.html`,
  ],
  [
    'iam-put-role-permissions-boundary.json',
    [role],
    `set the permissions boundary of role ${ROLE} to arn:aws:iam::111122223333:policy/developer-boundary`,
    `${IAM_API}PutRolePermissionsBoundary.html`,
  ],
  [
    'iam-delete-role-permissions-boundary.json',
    [role],
    `removed the permissions boundary of role ${ROLE}`,
    `${IAM_API}DeleteRolePermissionsBoundary.html`,
  ],
  [
    'iam-create-policy-version.json',
    [policy],
    `created a new version of ${POLICY} and made it the default`,
    `${IAM_API}CreatePolicyVersion.html`,
  ],
  [
    'iam-set-default-policy-version.json',
    [policy],
    `made version v1 the default of ${POLICY}`,
    `${IAM_API}SetDefaultPolicyVersion.html`,
  ],
  ['iam-delete-policy-version.json', [policy], `deleted version v2 of ${POLICY}`, `${IAM_API}DeletePolicyVersion.html`],
  ['iam-tag-role.json', [role], `tagged role ${ROLE} with owner=data-platform`, `${IAM_API}TagRole.html`],
  ['iam-untag-role.json', [role], `removed tags owner from role ${ROLE}`, `${IAM_API}UntagRole.html`],
  [
    'iam-delete-role.json',
    [{ kind: 'role-deleted', roleName: ROLE }],
    `deleted role ${ROLE}`,
    `${IAM_API}DeleteRole.html`,
  ],
  [
    's3-put-bucket-policy.json',
    [{ kind: 'bucket', bucket: 'mwaa-demo-dags-111122223333', region: 'us-east-1' }],
    'replaced the bucket policy of mwaa-demo-dags-111122223333',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html',
  ],
  [
    'kms-disable-key.json',
    [{ kind: 'kms-key', keyId: '0b5c3a4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d', region: 'us-east-1' }],
    'disabled KMS key 0b5c3a4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d',
    'https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html',
  ],
  [
    'ec2-modify-vpc-endpoint.json',
    [{ kind: 'vpc-endpoint', endpointId: 'vpce-0a1b2c3d4e5f60718', region: 'us-east-1' }],
    'modified VPC endpoint vpce-0a1b2c3d4e5f60718',
    'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html',
  ],
  [
    'organizations-attach-policy.json',
    [{ kind: 'organization', policyId: 'p-5d8r2kq9' }],
    'attached organization policy p-5d8r2kq9 to 111122223333',
    'https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html',
  ],
  [
    'mwaa-delete-environment.json',
    [{ kind: 'environment-deleted', name: 'mwaa-demo', region: 'us-east-1' }],
    'deleted MWAA environment mwaa-demo',
    `${MWAA_API}DeleteEnvironment.html`,
  ],
]

describe('sample events', () => {
  it.each(samples)('%s', (file, targets, description) => {
    const event = load(file)
    expect(targetsOf(event)).toEqual(targets)
    expect(changeOf(event).description).toBe(description)
  })

  it('mwaa-create-environment.json names the environment, its region and its execution role', () => {
    const [target] = targetsOf(load('mwaa-create-environment.json'))
    expect(target).toMatchObject({
      kind: 'environment',
      operation: 'create',
      name: 'mwaa-demo',
      region: 'us-east-1',
      executionRoleArn: `arn:aws:iam::111122223333:role/service-role/${ROLE}`,
      request: { SourceBucketArn: 'arn:aws:s3:::mwaa-demo-dags-111122223333', DagS3Path: 'dags' },
    })
  })

  it('mwaa-update-environment.json carries the new execution role', () => {
    const event = load('mwaa-update-environment.json')
    expect(targetsOf(event)).toMatchObject([
      {
        kind: 'environment',
        operation: 'update',
        executionRoleArn: `arn:aws:iam::111122223333:role/service-role/${ROLE}-v2`,
      },
    ])
    expect(changeOf(event).description).toBe(
      `updated MWAA environment mwaa-demo, execution role now arn:aws:iam::111122223333:role/service-role/${ROLE}-v2`,
    )
  })
})
