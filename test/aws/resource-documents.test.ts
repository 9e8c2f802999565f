/**
 * Error paths of the four document adapters: what is "none", what is "unreadable" (reported, not thrown), what is
 * retried and what is thrown (the Lambda retries the event). All four are hand-signed (lib/aws/signed-http.ts), so
 * they run over a scripted wire, which drives the real signing, retries and error parsing (aws-sdk-client-mock
 * replaces an SDK client's send, and there is none).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html#API_GetKeyPolicy_Errors
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html#API_ListParents_Errors
 */
import { describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createEc2Adapter } from '../../lib/aws/ec2'
import { createKmsAdapter, keyIdOf } from '../../lib/aws/kms'
import { createOrganizationsAdapter } from '../../lib/aws/organizations'
import { createS3Adapter } from '../../lib/aws/s3'
import { AwsHttpError } from '../../lib/aws/signed-http'

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' }
const clock = () => 0
const env = { AWS_ENDPOINT_URL: 'http://aws.test' }
type Answer = { status: number; body: string }

/** A fetch that answers from a script (the last answer repeats) and records each request. */
function scripted(answers: Answer[]) {
  const seen: Array<{ url: string; method: string; body: string; authorization: string }> = []
  const fetch = async (url: URL | string, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>
    seen.push({
      url: String(url),
      method: init?.method ?? 'GET',
      body: String(init?.body ?? ''),
      authorization: headers.authorization ?? '',
    })
    const next = answers.length > 1 ? answers.shift()! : answers[0]!
    return new Response(next.body, { status: next.status })
  }
  return { seen, fetch: fetch as typeof globalThis.fetch }
}

const s3Error = (code: string) => `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`
const ec2Error = (code: string) =>
  `<Response><Errors><Error><Code>${code}</Code><Message>no</Message></Error></Errors><RequestID>r</RequestID></Response>`
const policy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
}

describe('S3 GetBucketPolicy', () => {
  const adapter = (answers: Answer[]) => {
    const wire = scripted(answers)
    const counter = new ApiCallCounter()
    return { wire, counter, s3: createS3Adapter({ env, clock, credentials, counter, fetch: wire.fetch }) }
  }

  it.each([
    ['NoSuchBucketPolicy: the bucket has no policy', 404, 'NoSuchBucketPolicy', { kind: 'none' }],
    [
      'AccessDenied: a Deny in the policy itself, say',
      403,
      'AccessDenied',
      { kind: 'unreadable', reason: 's3:GetBucketPolicy answered AccessDenied' },
    ],
    ['NoSuchBucket', 404, 'NoSuchBucket', { kind: 'unreadable', reason: 's3:GetBucketPolicy answered NoSuchBucket' }],
  ])('%s', async (_why, status, code, expected) => {
    const { s3, wire } = adapter([{ status, body: s3Error(code) }])
    expect(await s3.bucketPolicy('sales-dags', 'eu-west-1')).toEqual(expected)
    expect(wire.seen).toHaveLength(1)
    expect(wire.seen[0]!.url).toBe('http://aws.test/sales-dags?policy=')
    expect(wire.seen[0]!.authorization).toMatch(/Credential=testing\/\d{8}\/eu-west-1\/s3\/aws4_request/)
  })

  it('retries SlowDown and 500 as the SDK does, counting one call and each attempt', async () => {
    const { s3, counter } = adapter([
      { status: 503, body: s3Error('SlowDown') },
      { status: 500, body: s3Error('InternalError') },
      { status: 200, body: JSON.stringify(policy) },
    ])
    expect(await s3.bucketPolicy('sales-dags', 'eu-west-1')).toEqual({ kind: 'found', value: policy })
    expect(counter.calls).toHaveLength(1)
    expect(counter.attempts).toHaveLength(3)
  }, 20_000)

  it('throws what S3 said once out of attempts (the event is retried by Lambda)', async () => {
    const { s3 } = adapter([{ status: 500, body: s3Error('InternalError') }])
    await expect(s3.bucketPolicy('sales-dags', 'eu-west-1')).rejects.toBeInstanceOf(AwsHttpError)
  }, 20_000)

  it('a policy that is not JSON is unreadable, named; a name that is not a bucket is never sent', async () => {
    const { s3, wire } = adapter([{ status: 200, body: '<html>proxy</html>' }])
    expect(await s3.bucketPolicy('sales-dags', 'eu-west-1')).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringContaining('bucket policy of sales-dags'),
    })
    expect(await s3.bucketPolicy('../x?y', 'eu-west-1')).toMatchObject({ kind: 'unreadable' })
    expect(wire.seen).toHaveLength(1)
  })
})

describe('EC2 DescribeSubnets / DescribeVpcEndpoints', () => {
  const item = (id: string, service: string, state = 'available', policyDocument?: string) =>
    `<item><vpcEndpointId>${id}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>vpc-0123456789abcdef0</vpcId><serviceName>${service}</serviceName><state>${state}</state>${policyDocument === undefined ? '' : `<policyDocument>${policyDocument.replaceAll('"', '&quot;')}</policyDocument>`}</item>`
  const page = (items: string, next?: string) =>
    `<DescribeVpcEndpointsResponse><requestId>r</requestId><vpcEndpointSet>${items}</vpcEndpointSet>${next ? `<nextToken>${next}</nextToken>` : ''}</DescribeVpcEndpointsResponse>`

  it('follows nextToken, keeps the available endpoints of the five services, a missing policy is full access', async () => {
    const wire = scripted([
      {
        status: 200,
        body: page(
          item('vpce-0000000000000000a', 'com.amazonaws.eu-west-1.sqs', 'available', JSON.stringify(policy)) +
            item('vpce-0000000000000000b', 'com.amazonaws.eu-west-1.ecr.api'),
          'page+2',
        ),
      },
      {
        status: 200,
        body: page(
          item('vpce-0000000000000000c', 'com.amazonaws.eu-west-1.logs') +
            item('vpce-0000000000000000d', 'com.amazonaws.eu-west-1.monitoring', 'pendingAcceptance'),
        ),
      },
    ])
    const ec2 = createEc2Adapter({ env, clock, credentials, fetch: wire.fetch })
    const read = await ec2.vpcEndpoints('vpc-0123456789abcdef0', 'eu-west-1')
    expect(read.kind === 'found' && read.value.endpoints.map((e) => [e.id, e.service])).toEqual([
      ['vpce-0000000000000000a', 'sqs'],
      ['vpce-0000000000000000c', 'logs'],
    ])
    expect(read.kind === 'found' && read.value.endpoints[1]!.policy.Statement).toEqual([
      { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
    ])
    expect(wire.seen.map((s) => new URLSearchParams(s.body).get('NextToken'))).toEqual([null, 'page+2'])
    expect(new URLSearchParams(wire.seen[0]!.body).get('Filter.1.Value.1')).toBe('vpc-0123456789abcdef0')
  })

  it.each([
    ['UnauthorizedOperation (no ec2:DescribeVpcEndpoints)', 403, 'UnauthorizedOperation'],
    ['InvalidVpcId.NotFound', 400, 'InvalidVpcId.NotFound'],
  ])('%s is unreadable, not thrown', async (_why, status, code) => {
    const ec2 = createEc2Adapter({ env, clock, credentials, fetch: scripted([{ status, body: ec2Error(code) }]).fetch })
    expect(await ec2.vpcEndpoints('vpc-0123456789abcdef0', 'eu-west-1')).toEqual({
      kind: 'unreadable',
      reason: `ec2 answered ${code}`,
    })
  })

  it('subnets in two VPCs, or ids that are not subnet ids, are unreadable', async () => {
    const wire = scripted([
      {
        status: 200,
        body: '<DescribeSubnetsResponse><subnetSet><item><vpcId>vpc-0000000000000000a</vpcId></item><item><vpcId>vpc-0000000000000000b</vpcId></item></subnetSet></DescribeSubnetsResponse>',
      },
    ])
    const ec2 = createEc2Adapter({ env, clock, credentials, fetch: wire.fetch })
    expect(await ec2.vpcOfSubnets(['subnet-0000000000000000a', 'subnet-0000000000000000b'], 'eu-west-1')).toEqual({
      kind: 'unreadable',
      reason: 'the subnets are in 2 VPCs',
    })
    expect(await ec2.vpcOfSubnets(['subnet-x&Action=RunInstances'], 'eu-west-1')).toMatchObject({ kind: 'unreadable' })
    expect(wire.seen).toHaveLength(1)
  })
})

/** The JSON 1.1 services' scripted answers: a body per x-amz-target, or an error. */
function jsonWire(answer: (target: string, body: Record<string, unknown>) => Answer) {
  const seen: Array<{ target: string; body: Record<string, unknown> }> = []
  const fetch = async (_url: URL | string, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>
    const target = headers['x-amz-target'] ?? ''
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>
    seen.push({ target, body })
    const next = answer(target, body)
    return new Response(next.body, { status: next.status })
  }
  return { seen, fetch: fetch as typeof globalThis.fetch }
}
const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) })
const jsonError = (type: string, status = 400): Answer => ({
  status,
  body: JSON.stringify({ __type: type, message: 'no' }),
})

describe('KMS DescribeKey / GetKeyPolicy (AWS JSON 1.1, TrentService)', () => {
  const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
  const ALIAS = 'arn:aws:kms:eu-west-1:111122223333:alias/mwaa'
  const setup = (answer: (target: string, body: Record<string, unknown>) => Answer) => {
    const wire = jsonWire(answer)
    return { wire, kms: createKmsAdapter({ env, clock, credentials, fetch: wire.fetch }) }
  }

  it('an alias is resolved by DescribeKey; GetKeyPolicy asks for the key ARN and the policy named default', async () => {
    const { wire, kms } = setup((target) =>
      target === 'TrentService.DescribeKey'
        ? ok({ KeyMetadata: { KeyId: 'k', Arn: KEY, KeyState: 'Disabled', KeyManager: 'CUSTOMER' } })
        : ok({ Policy: JSON.stringify(policy), PolicyName: 'default' }),
    )
    expect(await kms.key(ALIAS)).toEqual({
      kind: 'found',
      value: { arn: KEY, state: 'Disabled', awsManaged: false, policy },
    })
    expect(wire.seen).toEqual([
      { target: 'TrentService.DescribeKey', body: { KeyId: ALIAS } },
      { target: 'TrentService.GetKeyPolicy', body: { KeyId: KEY, PolicyName: 'default' } },
    ])
    // An event names the key by id: the alias's metadata is forgotten with it.
    kms.forget(keyIdOf(KEY))
    await kms.key(ALIAS)
    expect(wire.seen.filter((s) => s.target === 'TrentService.DescribeKey')).toHaveLength(2)
  })

  it.each(['AccessDeniedException', 'NotFoundException'])('%s (namespaced or not) is unreadable', async (name) => {
    const { kms } = setup(() => jsonError(`com.amazonaws.kms#${name}`))
    expect(await kms.key(KEY)).toEqual({ kind: 'unreadable', reason: `kms answered ${name}` })
  })

  it('ThrottlingException is retried as the SDK would, then the read goes on', async () => {
    let throttled = 0
    const { kms } = setup((target) => {
      if (target === 'TrentService.DescribeKey' && ++throttled < 3) return jsonError('ThrottlingException')
      return target === 'TrentService.DescribeKey'
        ? ok({ KeyMetadata: { Arn: KEY, KeyState: 'Enabled', KeyManager: 'CUSTOMER' } })
        : ok({ Policy: JSON.stringify(policy) })
    })
    expect(await kms.key(KEY)).toMatchObject({ kind: 'found', value: { state: 'Enabled' } })
    expect(throttled).toBe(3)
  }, 30_000)
})

describe('Organizations (AWS JSON 1.1, AWSOrganizationsV20161128)', () => {
  const T = (op: string) => `AWSOrganizationsV20161128.${op}`
  const scp = (sid: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }] })
  const setup = (answer: (target: string, body: Record<string, unknown>) => Answer) => {
    const wire = jsonWire(answer)
    return { wire, org: createOrganizationsAdapter({ env, clock, credentials, fetch: wire.fetch }) }
  }

  it('an account outside any organization has none; a member account that may not read them, unreadable', async () => {
    const outside = setup(() => jsonError('AWSOrganizationsNotInUseException'))
    expect(await outside.org.policiesFor('111122223333')).toEqual({ kind: 'none' })
    const member = setup((target) =>
      target === T('DescribeOrganization')
        ? ok({ Organization: { MasterAccountId: '999999999999' } })
        : jsonError('AccessDeniedException'),
    )
    expect(await member.org.policiesFor('111122223333')).toEqual({
      kind: 'unreadable',
      reason: 'organizations answered AccessDeniedException',
    })
  })

  it('pages through attached policies; RCPs not enabled means none apply; a policy is described once', async () => {
    const { wire, org } = setup((target, body) => {
      if (target === T('DescribeOrganization')) return ok({ Organization: { MasterAccountId: '999999999999' } })
      if (target === T('ListParents')) return ok({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] })
      if (target === T('DescribePolicy'))
        return ok({ Policy: { Content: scp(String(body.PolicyId).replace('-', '')) } })
      if (body.Filter === 'RESOURCE_CONTROL_POLICY') return jsonError('PolicyTypeNotEnabledException')
      if (body.TargetId === 'r-ab12' && body.NextToken === undefined)
        return ok({ Policies: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess' }], NextToken: 't2' })
      if (body.TargetId === 'r-ab12') return ok({ Policies: [{ Id: 'p-11111111', Name: 'guard' }] })
      return ok({ Policies: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess' }] })
    })
    const read = await org.policiesFor('111122223333')
    expect(read.kind === 'found' && read.value.scps.map((l) => [l.target, l.policies.map((p) => p.name)])).toEqual([
      ['r-ab12', ['FullAWSAccess', 'guard']],
      ['111122223333', ['FullAWSAccess']],
    ])
    expect(read.kind === 'found' && read.value.rcps).toEqual([])
    expect(read.kind === 'found' && read.value.managementAccount).toBe('999999999999')
    expect(wire.seen.filter((s) => s.target === T('DescribePolicy'))).toHaveLength(2)
  })
})
