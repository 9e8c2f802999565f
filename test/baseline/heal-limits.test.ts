/** What a heal never writes, whatever the extras say (issue 6). Access levels from the shipped catalogue. */
import { describe, expect, it } from 'vitest'
import { actionNeverHealed, resourceNeverHealed } from '../../lib/baseline/heal-limits'
import { actionLevels } from '../../lib/catalogue/action-levels'

const LEVELS =
  'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html'
const S3 = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html'
const KMS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html'
const RESOURCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html'
const levels = actionLevels()

describe('actionNeverHealed', () => {
  it.each<[string, string, RegExp | undefined]>([
    [LEVELS, 'iam:PassRole', /identity service \(iam\)/],
    [LEVELS, 'sts:AssumeRole', /identity service \(sts\)/],
    [LEVELS, 'organizations:LeaveOrganization', /identity service/],
    [LEVELS, 'sso:CreatePermissionSet', /identity service/],
    [LEVELS, 'identitystore:CreateUser', /identity service/],
    [S3, 's3:PutBucketPolicy', /Permissions management/],
    [KMS, 'kms:CreateGrant', /Permissions management/],
    [LEVELS, 's3:GetEverything', /not in the IAM catalogue/],
    [S3, 's3:GetObject', undefined],
    [LEVELS, 'secretsmanager:GetSecretValue', undefined],
  ])('%s: %s', (_doc, action, expected) => {
    const reason = actionNeverHealed(action, levels)
    if (expected) expect(reason).toMatch(expected)
    else expect(reason).toBeUndefined()
  })
})

describe('resourceNeverHealed', () => {
  it.each<[string, string, boolean]>([
    [RESOURCE, '*', true],
    [RESOURCE, 'arn:aws:s3:::*', true],
    [RESOURCE, 'arn:aws:s3:*:*:x', true],
    [RESOURCE, 'arn:*:secretsmanager:us-east-1:111122223333:secret:x', true],
    [RESOURCE, 'arn:aws:logs:us-east-1:111122223333:*', true],
    [RESOURCE, 'arn:aws:s3:::bucket/${aws:username}/*', true],
    [RESOURCE, 'not-an-arn', true],
    [RESOURCE, 'arn:aws:s3:::landing-*/*', false],
    [RESOURCE, 'arn:aws:secretsmanager:us-east-1:111122223333:secret:airflow/*', false],
  ])('%s: %s never healed: %s', (_doc, resource, never) => {
    expect(resourceNeverHealed(resource) !== undefined).toBe(never)
  })
})

describe('the shipped catalogue of every action and its access level', () => {
  it.each<[string, string, string]>([
    [S3, 's3:getobject', 'Read'],
    [S3, 's3:PutBucketPolicy', 'Permissions management, Write'],
    [KMS, 'kms:Decrypt', 'Write'],
  ])('%s: %s is %s', (_doc, action, level) => {
    expect(levels.level(action)).toBe(level)
  })

  it('knows every service iam-data knows, with canonical casing', () => {
    expect(levels.canonical('EC2:associatetransitgatewayroutetable')).toBe('ec2:AssociateTransitGatewayRouteTable')
    expect(levels.canonical('ec2:NoSuchAction')).toBeUndefined()
  })
})
