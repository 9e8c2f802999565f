/**
 * `check --environment-file ... --bucket-policy / --key-policy / --endpoint-policy / --scp / --rcp`: the documents
 * beyond the role from files, in the shapes the AWS CLI prints them, each checked with a one-line error naming it.
 * https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-policy.html
 * https://docs.aws.amazon.com/cli/latest/reference/kms/get-key-policy.html
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html
 * https://docs.aws.amazon.com/cli/latest/reference/organizations/describe-policy.html
 */
import { afterAll, describe, expect, it } from 'vitest'
import { baselineOf, doc, roleOf } from '../drift/support'
import { authorizationDetails, environmentFile, run, scratch } from './support'

const files = scratch('check-documents')
afterAll(() => files.remove())

// custodian-3: a customer managed key, DAG bucket airflow-test-c7n
const NAME = 'custodian-3' as const
const b = baselineOf(NAME)
const env = b.environment
const bucket = env.bucketArn.split(':::')[1]!
const ENV = environmentFile(NAME)
const AUTH = files.file(authorizationDetails(roleOf(b)), 'auth.json')
const check = (...more: string[]) => run('check', '--environment-file', ENV, '--authorization-details', AUTH, ...more)

const denyNonVpc = doc({
  Sid: 'DenyNonVpc',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [env.bucketArn, `${env.bucketArn}/*`],
  Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
})
const endpoints = (policy?: object, id = 'vpce-0a1b2c3d4e5f60718') => ({
  VpcEndpoints: [
    {
      VpcEndpointId: id,
      VpcEndpointType: 'Gateway',
      VpcId: 'vpc-0123456789abcdef0',
      ServiceName: `com.amazonaws.${env.region}.s3`,
      State: 'available',
      ...(policy ? { PolicyDocument: JSON.stringify(policy) } : {}),
    },
    {
      VpcEndpointId: 'vpce-0000000000000000e',
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-0123456789abcdef0',
      ServiceName: `com.amazonaws.${env.region}.ecr.api`,
      State: 'available',
    },
  ],
})
const allowAll = doc({ Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' })

describe('check with documents beyond the role', () => {
  it('a bucket policy from get-bucket-policy output: the Deny is named by document and statement, exit 1', async () => {
    const result = await check('--bucket-policy', files.file({ Policy: JSON.stringify(denyNonVpc) }))
    expect(result.code).toBe(1)
    expect(result.out).toContain(`explicitly denied by bucket policy of ${bucket}, statement "DenyNonVpc"`)
    expect(result.out).toMatch(/changes a bucket policy, key policy, VPC endpoint policy, SCP or RCP \(alert only\)/)
  })

  it('the same bucket policy with the VPC S3 endpoint it names (describe-vpc-endpoints output): exit 0', async () => {
    const result = await check('--bucket-policy', files.file(denyNonVpc), '--endpoint-policy', files.file(endpoints()))
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
  })

  it('an endpoint policy that leaves out the bucket, and a key policy that does not let the account use the key', async () => {
    const narrow = doc({
      Sid: 'OtherBucket',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::other/*',
    })
    const keyPolicy = doc({
      Sid: 'AdminsOnly',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${env.accountId}:role/key-admin` },
      Action: 'kms:*',
      Resource: '*',
    })
    const result = await check(
      '--endpoint-policy',
      files.file(endpoints(narrow)),
      '--key-policy',
      files.file({ Policy: JSON.stringify(keyPolicy), PolicyName: 'default' }),
      '--json',
    )
    expect(result.code).toBe(1)
    const report = JSON.parse(result.out) as { findings: Array<{ kind: string; documents?: string[] }> }
    const blocking = new Set(report.findings.flatMap((f) => f.documents ?? []))
    expect([...blocking].sort()).toEqual([
      `key policy of ${env.kmsKey}`,
      `policy of VPC endpoint vpce-0a1b2c3d4e5f60718 (com.amazonaws.${env.region}.s3)`,
    ])
  })

  it('SCP levels, root first: a Deny at the second level names its file, level and statement', async () => {
    const denySqs = doc({ Sid: 'DenySqs', Effect: 'Deny', Action: 'sqs:*', Resource: '*' })
    const ou = files.file([allowAll, denySqs], 'scp-ou.json')
    const result = await check('--scp', files.file(allowAll), '--scp', ou, '--scp', files.file(allowAll))
    expect(result.code).toBe(1)
    expect(result.out).toContain(`explicitly denied by SCP ${ou}[1] attached to level 2, statement "DenySqs"`)
  })

  it('describe-policy output is a level too, named by its policy name and id', async () => {
    const described = {
      Policy: {
        PolicySummary: { Id: 'p-examplepolicyid111', Name: 'no-sqs', Type: 'SERVICE_CONTROL_POLICY' },
        Content: JSON.stringify(doc({ Sid: 'S3Only', Effect: 'Allow', Action: 's3:*', Resource: '*' })),
      },
    }
    const result = await check('--scp', files.file(allowAll), '--scp', files.file(described))
    expect(result.code).toBe(1)
    expect(result.out).toContain('not allowed by SCPs attached to level 2')
  })

  it.each([
    [
      '--bucket-policy',
      { Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] },
      /^mwaa-role-guard check: .*input-\d+\.json: Statement\[0\]\.Effect: Effect must be "Allow" or "Deny"$/,
    ],
    [
      '--key-policy',
      { Policy: '{"Version": "2012-10-17"}' },
      /^mwaa-role-guard check: .*input-\d+\.json: Policy: expected a policy document/,
    ],
    [
      '--endpoint-policy',
      { VpcEndpoints: [{ VpcEndpointId: 'x', VpcId: 'vpc-0123456789abcdef0', ServiceName: 's3' }] },
      /^mwaa-role-guard check: .*input-\d+\.json: VpcEndpoints\[0\]\.VpcEndpointId: expected a VPC endpoint id/,
    ],
    [
      '--scp',
      [allowAll, { Statement: { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' } }],
      /^mwaa-role-guard check: .*input-\d+\.json: \[1\]\.Version: a service control policy must say/,
    ],
    ['--rcp', 'not json', /^mwaa-role-guard check: .*input-\d+\.json: not valid JSON/],
  ])('%s with a file that is not one: exit 2, one line naming the file and field', async (flag, content, message) => {
    const result = await check(flag, files.file(content))
    expect(result.code).toBe(2)
    expect(result.err.split('\n')).toHaveLength(1)
    expect(result.err).toMatch(message)
  })

  it('--key-policy for an environment on an AWS owned key is a usage error', async () => {
    const result = await run(
      'check',
      '--environment-file',
      environmentFile('custodian-5'),
      '--authorization-details',
      files.file(authorizationDetails(roleOf(baselineOf('custodian-5')))),
      '--key-policy',
      files.file(allowAll),
    )
    expect(result.code).toBe(2)
    expect(result.err).toMatch(/--key-policy: environment .* uses an AWS owned key/)
  })
})
