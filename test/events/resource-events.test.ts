/**
 * Events about the documents beyond the role: what each real or reference-written record targets, where it must come
 * from (S3, KMS and EC2 in the resource's own region, Organizations in us-east-1), and which environments it affects.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { describe, expect, it } from 'vitest'
import { affectedEnvironments, type EnvironmentResources, type ResourceTarget } from '../../lib/events/affected'
import { changeOf } from '../../lib/events/change'
import { originProblem } from '../../lib/events/origin'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { type Target, targetsOf } from '../../lib/events/targets'
import { corpusEvent, withDetail } from './corpus'

const DOC = {
  s3: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html',
  kms: 'https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html',
  ec2: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html',
  organizations: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_security_incident-response.html',
} as const
const KEY_ID = '5b8f0c2e-41d7-4a39-9e6b-2f7d3c1a8e94'

function parsed(file: string): ParsedEvent {
  const result = parseEvent(corpusEvent(file))
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}

const rows: Array<[file: string, target: Target, description: RegExp, doc: string]> = [
  [
    's3-PutBucketPolicy-invictus-1.json',
    { kind: 'bucket', bucket: 'stratus-red-team-bdbp-lhfzvgcamn', region: 'us-east-1' },
    /^replaced the bucket policy of stratus-red-team-bdbp-lhfzvgcamn$/,
    DOC.s3,
  ],
  [
    's3-DeleteBucketPolicy-invictus-1.json',
    { kind: 'bucket', bucket: 'stratus-red-team-bdbp-lhfzvgcamn', region: 'us-east-1' },
    /^deleted the bucket policy of/,
    DOC.s3,
  ],
  // A key ARN or a bare key id in the request: both name the key by its id.
  [
    'kms-PutKeyPolicy-project-1.json',
    { kind: 'kms-key', keyId: KEY_ID, region: 'eu-west-1' },
    /^replaced the key policy/,
    DOC.kms,
  ],
  [
    'kms-DisableKey-project-1.json',
    { kind: 'kms-key', keyId: KEY_ID, region: 'eu-west-1' },
    /^disabled KMS key/,
    DOC.kms,
  ],
  [
    'kms-ScheduleKeyDeletion-project-1.json',
    { kind: 'kms-key', keyId: KEY_ID, region: 'eu-west-1' },
    /^scheduled KMS key .* for deletion$/,
    DOC.kms,
  ],
  [
    'kms-EnableKey-project-1.json',
    { kind: 'kms-key', keyId: KEY_ID, region: 'eu-west-1' },
    /^enabled KMS key/,
    DOC.kms,
  ],
  [
    'kms-CancelKeyDeletion-project-1.json',
    { kind: 'kms-key', keyId: KEY_ID, region: 'eu-west-1' },
    /^cancelled the deletion/,
    DOC.kms,
  ],
  [
    'ec2-ModifyVpcEndpoint-project-1.json',
    { kind: 'vpc-endpoint', endpointId: 'vpce-0c4d8e2f1a3b5c7d9', region: 'eu-west-1' },
    /^modified VPC endpoint vpce-0c4d8e2f1a3b5c7d9$/,
    DOC.ec2,
  ],
  [
    'organizations-AttachPolicy-project-1.json',
    { kind: 'organization', policyId: 'p-9k2m4x7q' },
    /^attached organization policy p-9k2m4x7q to ou-h3k1-7zq2m9xd$/,
    DOC.organizations,
  ],
  [
    'organizations-DetachPolicy-project-1.json',
    { kind: 'organization', policyId: 'p-FullAWSAccess' },
    /^detached organization policy p-FullAWSAccess from/,
    DOC.organizations,
  ],
  [
    'organizations-UpdatePolicy-project-1.json',
    { kind: 'organization', policyId: 'p-9k2m4x7q' },
    /^updated/,
    DOC.organizations,
  ],
  [
    'organizations-DisablePolicyType-project-1.json',
    { kind: 'organization' },
    /^disabled the policy type RESOURCE_CONTROL_POLICY/,
    DOC.organizations,
  ],
]

describe('targets of the events beyond the role', () => {
  it.each(rows)('%s -> %j (%s, %s)', (file, target, description) => {
    const event = parsed(file)
    expect(targetsOf(event)).toEqual([target])
    expect(changeOf(event).description).toMatch(description)
  })

  it("EC2's older flat request shape is read too", () => {
    const event = withDetail(corpusEvent('ec2-ModifyVpcEndpoint-project-1.json'), (d) => {
      d.requestParameters = { vpcEndpointId: 'vpce-0c4d8e2f1a3b5c7d9' }
    })
    const result = parseEvent(event)
    expect(!isIgnored(result) && targetsOf(result)).toEqual([
      { kind: 'vpc-endpoint', endpointId: 'vpce-0c4d8e2f1a3b5c7d9', region: 'eu-west-1' },
    ])
  })

  it.each([
    [
      'a bucket name with a path',
      's3-PutBucketPolicy-invictus-1.json',
      { bucketName: '../x' },
      /bucketName: expected an S3 bucket name/,
    ],
    [
      'a key alias',
      'kms-DisableKey-project-1.json',
      { keyId: 'alias/mwaa' },
      /keyId: expected a KMS key id or key ARN/,
    ],
    [
      'an endpoint id with a query',
      'ec2-ModifyVpcEndpoint-project-1.json',
      { vpcEndpointId: 'vpce-1&x=y' },
      /vpcEndpointId|ModifyVpcEndpointRequest/,
    ],
    [
      'a policy id that is not one',
      'organizations-UpdatePolicy-project-1.json',
      { policyId: 'FullAWSAccess' },
      /policyId: expected an Organizations policy id/,
    ],
  ])('%s is dropped with a reason naming the field', (_why, file, requestParameters, reason) => {
    const result = parseEvent(
      withDetail(corpusEvent(file), (d) => {
        d.requestParameters = requestParameters
      }),
    )
    expect(isIgnored(result) && result.reason).toMatch(reason)
  })
})

describe('where they must come from', () => {
  const deployment = (regions: string[]) => ({ partition: 'aws', accountId: '742180356914', regions })

  it.each([
    ['kms-DisableKey-project-1.json', ['us-east-1', 'eu-west-1'], undefined],
    ['kms-DisableKey-project-1.json', ['us-east-1'], /^detail\.awsRegion: 'eu-west-1' is not one of MWAA_REGIONS/],
    ['ec2-ModifyVpcEndpoint-project-1.json', ['us-east-1'], /is not one of MWAA_REGIONS/],
    // Organizations records every call in us-east-1, whatever regions are watched.
    ['organizations-AttachPolicy-project-1.json', ['eu-west-1'], undefined],
  ])('%s with MWAA_REGIONS %j: %s', (file, regions, problem) => {
    const result = originProblem(parsed(file), deployment(regions))
    if (problem === undefined) expect(result).toBeUndefined()
    else expect(result).toMatch(problem)
  })

  it('an Organizations call claiming another region is refused', () => {
    const event = parseEvent(
      withDetail(corpusEvent('organizations-AttachPolicy-project-1.json'), (d) => {
        d.awsRegion = 'eu-west-1'
      }),
    )
    expect(!isIgnored(event) && originProblem(event, deployment(['eu-west-1']))).toBe(
      "detail.awsRegion: 'eu-west-1' is not us-east-1, where Organizations records its events",
    )
  })
})

describe('affectedEnvironments', () => {
  const env = (name: string, over: Partial<EnvironmentResources>): EnvironmentResources => ({
    name,
    region: 'eu-west-1',
    roleArn: `arn:aws:iam::742180356914:role/${name}-exec`,
    bucket: `${name}-dags`,
    ...over,
  })
  const environments = [
    env('sales', { keyId: KEY_ID, vpcId: 'vpc-0000000000000000a' }),
    env('ops', { bucket: 'sales-dags', vpcId: 'vpc-0000000000000000b' }),
    env('eu2', { region: 'eu-central-1', keyId: KEY_ID, vpcId: 'vpc-0000000000000000a' }),
  ]
  const names = (target: ResourceTarget, vpc?: string) =>
    affectedEnvironments(target, environments, vpc).map((e) => e.name)

  it.each([
    [
      'the bucket shared by two environments',
      { kind: 'bucket', bucket: 'sales-dags', region: 'eu-west-1' },
      undefined,
      ['sales', 'ops'],
    ],
    ['a bucket no environment uses', { kind: 'bucket', bucket: 'other', region: 'eu-west-1' }, undefined, []],
    ['a key id, in its own region only', { kind: 'kms-key', keyId: KEY_ID, region: 'eu-west-1' }, undefined, ['sales']],
    [
      'an endpoint of a VPC',
      { kind: 'vpc-endpoint', endpointId: 'vpce-0c4d8e2f1a3b5c7d9', region: 'eu-west-1' },
      'vpc-0000000000000000a',
      ['sales'],
    ],
    [
      'an endpoint whose VPC is unknown (deleted)',
      { kind: 'vpc-endpoint', endpointId: 'vpce-0c4d8e2f1a3b5c7d9', region: 'eu-west-1' },
      undefined,
      [],
    ],
    [
      'an organization policy: every environment',
      { kind: 'organization', policyId: 'p-9k2m4x7q' },
      undefined,
      ['sales', 'ops', 'eu2'],
    ],
  ] as Array<[string, ResourceTarget, string | undefined, string[]]>)('%s', (_why, target, vpc, expected) => {
    expect(names(target, vpc)).toEqual(expected)
  })
})
