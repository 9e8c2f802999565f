/**
 * Set-up calls on moto for S3 buckets and EC2 VPCs, subnets and endpoints, sent as plain HTTP: the project ships no
 * S3 or EC2 SDK client (lib/aws/signed-http.ts says why). moto routes a call to the account of the access key in the
 * Authorization header and does not check the signature (https://docs.getmoto.org/en/latest/docs/multi_account.html).
 */
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

const REGION = 'us-east-1'

function headers(credentials: Credentials, service: string): Record<string, string> {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=00`,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  }
}

async function ok(response: Response, what: string): Promise<string> {
  const text = await response.text()
  if (!response.ok) throw new Error(`${what} on moto answered ${response.status}: ${text.slice(0, 300)}`)
  return text
}

/** S3 set-up: buckets and their policies (path-style). */
export function motoS3(endpoint: string, credentials: Credentials) {
  const url = (bucket: string, query = '') => `${endpoint}/${bucket}${query}`
  return {
    async createBucket(bucket: string) {
      await ok(
        await fetch(url(bucket), { method: 'PUT', headers: headers(credentials, 's3') }),
        `CreateBucket ${bucket}`,
      )
    },
    async putBucketPolicy(bucket: string, policy: object) {
      await ok(
        await fetch(url(bucket, '?policy'), {
          method: 'PUT',
          headers: headers(credentials, 's3'),
          body: JSON.stringify(policy),
        }),
        `PutBucketPolicy ${bucket}`,
      )
    },
    async deleteBucketPolicy(bucket: string) {
      await ok(
        await fetch(url(bucket, '?policy'), { method: 'DELETE', headers: headers(credentials, 's3') }),
        `DeleteBucketPolicy ${bucket}`,
      )
    },
  }
}

/** EC2 set-up: a VPC, a subnet, a VPC endpoint with a policy (Query protocol). */
export function motoEc2(endpoint: string, credentials: Credentials) {
  const call = async (action: string, params: Record<string, string>, id: string) => {
    const body = new URLSearchParams({ Action: action, Version: '2016-11-15', ...params })
    const xml = await ok(
      await fetch(endpoint, {
        method: 'POST',
        headers: { ...headers(credentials, 'ec2'), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
      action,
    )
    const value = new RegExp(`<${id}>([^<]+)</${id}>`).exec(xml)?.[1]
    if (!value) throw new Error(`${action} on moto: no ${id} in ${xml.slice(0, 300)}`)
    return value
  }
  return {
    createVpc: (cidr: string) => call('CreateVpc', { CidrBlock: cidr }, 'vpcId'),
    createSubnet: (vpcId: string, cidr: string) => call('CreateSubnet', { VpcId: vpcId, CidrBlock: cidr }, 'subnetId'),
    createGatewayEndpoint: (vpcId: string, serviceName: string, policy?: object) =>
      call(
        'CreateVpcEndpoint',
        {
          VpcId: vpcId,
          ServiceName: serviceName,
          VpcEndpointType: 'Gateway',
          ...(policy ? { PolicyDocument: JSON.stringify(policy) } : {}),
        },
        'vpcEndpointId',
      ),
    modifyEndpointPolicy: (endpointId: string, policy: object) =>
      call('ModifyVpcEndpoint', { VpcEndpointId: endpointId, PolicyDocument: JSON.stringify(policy) }, 'return'),
  }
}
