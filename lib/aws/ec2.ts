/**
 * The EC2 adapter: the VPC of an environment's subnets (DescribeSubnets) and the VPC endpoints of a VPC that serve
 * S3, SQS, CloudWatch Logs, KMS and CloudWatch metrics, with their policies (DescribeVpcEndpoints filtered by vpc-id).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html
 * A subnet never changes VPC (cached an hour); a VPC's endpoints are cached until a ModifyVpcEndpoint event about one
 * of them forgets the VPC, or DOCUMENT_TTL_MS at most. EC2 Query protocol, version 2016-11-15.
 */
import { parseXML } from '@aws-sdk/xml-builder'
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import { type DocumentRead, EndpointService, type VpcEndpointDocument } from '../drift/resource-documents'
import type { PolicyDocument } from '../iam/types'
import { ServiceId, serviceEndpoint } from './clients'
import { DOCUMENT_TTL_MS, METADATA_TTL_MS } from './document-ttl'
import { type DocumentAdapterBuildOptions, type ReadErrors, readDocument } from './document-read'
import { decodePolicyDocument } from './policy-document'
import { AwsHttpError, createSignedHttpClient, type SignedHttpClient } from './signed-http'
import { TtlCache } from './ttl-cache'

export type VpcEndpoints = { id: string; endpoints: VpcEndpointDocument[] }

export type Ec2Adapter = {
  /** The VPC the subnets are in (an MWAA environment's subnets share one VPC), or unreadable. */
  vpcOfSubnets(subnetIds: readonly string[], region: string): Promise<DocumentRead<string>>
  /** The VPC's available endpoints for the services MWAA uses, each with its policy. */
  vpcEndpoints(vpcId: string, region: string): Promise<DocumentRead<VpcEndpoints>>
  /** The VPC of an endpoint (from what was read, else DescribeVpcEndpoints by id); undefined when it is gone. */
  vpcOfEndpoint(endpointId: string, region: string): Promise<string | undefined>
  /** Forgets the cached endpoints of the endpoint's VPC (after a ModifyVpcEndpoint event). */
  forgetEndpoint(endpointId: string): void
}

const VERSION = '2016-11-15'
const SUBNET = /^subnet-[0-9a-f]{8,17}$/
const VPC = /^vpc-[0-9a-f]{8,17}$/
const ENDPOINT = /^vpce-[0-9a-f]{8,17}$/
/** Errors that say "we cannot read this", not "try again". */
const READ_ERRORS: ReadErrors = {
  service: 'ec2',
  unreadable: new Set(['UnauthorizedOperation', 'AuthFailure', 'InvalidSubnetID.NotFound', 'InvalidVpcId.NotFound']),
}
/** The default endpoint policy: full access (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). */
const FULL_ACCESS: PolicyDocument = {
  Version: '2008-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
}

/** Builds the EC2 adapter; one per process, so its caches outlive an invocation. */
export function createEc2Adapter(options: DocumentAdapterBuildOptions): Ec2Adapter {
  const credentials = options.credentials ?? defaultProvider()
  const clients = new Map<string, SignedHttpClient>()
  const call = (region: string, operation: string, params: Record<string, string>) => {
    let client = clients.get(region)
    if (!client) {
      client = createSignedHttpClient({
        service: 'ec2',
        region,
        endpoint: serviceEndpoint(ServiceId.ec2, 'ec2', region, options.env),
        credentials,
        counter: options.counter,
        maxAttempts: options.maxAttempts,
        fetch: options.fetch,
      })
      clients.set(region, client)
    }
    return client
      .send({ operation, method: 'POST', path: '/', form: { Action: operation, Version: VERSION, ...params } })
      .then((xml) => Object.values(parseXML(xml))[0] as Record<string, unknown>)
  }
  const subnets = new TtlCache<DocumentRead<string>>(METADATA_TTL_MS, options.clock)
  const endpoints = new TtlCache<DocumentRead<VpcEndpoints>>(options.ttlMs ?? DOCUMENT_TTL_MS, options.clock)
  const vpcByEndpoint = new Map<string, string>()

  const describeEndpoints = async (region: string, filter: Record<string, string>) => {
    const items: Record<string, unknown>[] = []
    let next: string | undefined
    do {
      const out = await call(region, 'DescribeVpcEndpoints', { ...filter, ...(next ? { NextToken: next } : {}) })
      items.push(...itemsOf(out.vpcEndpointSet))
      next = text(out.nextToken) || undefined
    } while (next)
    return items
  }

  return {
    vpcOfSubnets: (subnetIds, region) => {
      const ids = [...new Set(subnetIds)].sort()
      if (ids.length === 0 || !ids.every((id) => SUBNET.test(id)))
        return Promise.resolve({ kind: 'unreadable', reason: `not subnet ids: ${JSON.stringify(ids).slice(0, 100)}` })
      return subnets.get(`${region}/${ids.join(',')}`, () =>
        readDocument(async () => {
          const params = Object.fromEntries(ids.map((id, i) => [`SubnetId.${i + 1}`, id]))
          const vpcs = new Set(
            itemsOf((await call(region, 'DescribeSubnets', params)).subnetSet).map((s) => text(s.vpcId)),
          )
          const [vpc] = vpcs
          if (vpcs.size !== 1 || !vpc || !VPC.test(vpc))
            return { kind: 'unreadable', reason: `the subnets are in ${vpcs.size} VPCs` } as const
          return { kind: 'found', value: vpc } as const
        }, READ_ERRORS),
      )
    },
    vpcEndpoints: (vpcId, region) => {
      if (!VPC.test(vpcId))
        return Promise.resolve({ kind: 'unreadable', reason: `${JSON.stringify(vpcId)} is not a VPC id` })
      return endpoints.get(`${region}/${vpcId}`, () =>
        readDocument(async () => {
          const items = await describeEndpoints(region, { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId })
          const found: VpcEndpointDocument[] = []
          for (const item of items) {
            const id = text(item.vpcEndpointId)
            vpcByEndpoint.set(id, `${region}/${vpcId}`)
            const service = serviceOf(text(item.serviceName), region)
            // Only an available endpoint carries traffic (State: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html).
            if (!service || text(item.state).toLowerCase() !== 'available') continue
            const raw = text(item.policyDocument)
            found.push({
              id,
              serviceName: text(item.serviceName),
              service,
              type: text(item.vpcEndpointType),
              policy: raw === '' ? FULL_ACCESS : decodePolicyDocument(raw, `policy of VPC endpoint ${id}`),
            })
          }
          return { kind: 'found', value: { id: vpcId, endpoints: found } } as const
        }, READ_ERRORS),
      )
    },
    async vpcOfEndpoint(endpointId, region) {
      if (!ENDPOINT.test(endpointId)) return undefined
      const known = vpcByEndpoint.get(endpointId)
      if (known) return known.split('/')[1]
      const [item] = await describeEndpoints(region, { 'VpcEndpointId.1': endpointId }).catch((error: unknown) => {
        if (error instanceof AwsHttpError && error.code.startsWith('InvalidVpcEndpointId')) return []
        throw error
      })
      return item ? text(item.vpcId) : undefined
    },
    forgetEndpoint(endpointId) {
      const key = vpcByEndpoint.get(endpointId)
      if (key) endpoints.delete(key)
    },
  }
}

/** `com.amazonaws.REGION.SERVICE` (aws-cn: `cn.com.amazonaws.REGION.SERVICE`) -> the service, if one MWAA uses. */
function serviceOf(serviceName: string, region: string): EndpointService | undefined {
  const suffix = serviceName.startsWith(`com.amazonaws.${region}.`)
    ? serviceName.slice(`com.amazonaws.${region}.`.length)
    : serviceName.startsWith(`cn.com.amazonaws.${region}.`)
      ? serviceName.slice(`cn.com.amazonaws.${region}.`.length)
      : undefined
  return suffix !== undefined && Object.hasOwn(EndpointService, suffix) ? (suffix as EndpointService) : undefined
}

/** An XML list (`<set><item>...</item></set>`) as an array of objects: absent, one item, or several. */
function itemsOf(set: unknown): Record<string, unknown>[] {
  if (set === null || typeof set !== 'object') return []
  const item = (set as { item?: unknown }).item
  const list = Array.isArray(item) ? item : item === undefined ? [] : [item]
  return list.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object')
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
