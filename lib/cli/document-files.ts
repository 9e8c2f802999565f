/**
 * The offline `check`'s documents beyond the role, from files, each in the shape users have at hand:
 * - `--bucket-policy`: `aws s3api get-bucket-policy` output (`{"Policy": "..."}`) or the policy document;
 * - `--key-policy`: `aws kms get-key-policy` output (`{"Policy": "...", "PolicyName": "default"}`) or the document;
 * - `--endpoint-policy` (repeatable): `aws ec2 describe-vpc-endpoints` output, or one of its `VpcEndpoints` entries;
 * - `--scp` / `--rcp` (repeatable, one per level, root first, the account last): a policy document, an array of the
 *   documents attached at that level, or `aws organizations describe-policy` output.
 * Every document is compiled on the spot: a file that is not one is a one-line error naming it (exit 2).
 */
import * as z from 'zod'
import type { MwaaEnvironment } from '../baseline/types'
import {
  EndpointService,
  type OrganizationLevel,
  type ResourceDocuments,
  type VpcEndpointDocument,
} from '../drift/resource-documents'
import { compilePolicy, PolicyParseError } from '../iam'
import type { PolicyDocument, PolicyKind } from '../iam/types'
import { InputError, parseWith } from '../input-error'
import { decodePolicyDocument, PolicyDocumentError } from '../aws/policy-document'
import { UsageError } from './args'
import { readJson } from './files'

export type DocumentFiles = {
  bucketPolicy?: string
  keyPolicy?: string
  endpointPolicies: string[]
  scps: string[]
  rcps: string[]
}

/** Whether any document file was given (without one, the check is the role's alone). */
export function hasDocumentFiles(files: DocumentFiles): boolean {
  return (
    files.bucketPolicy !== undefined ||
    files.keyPolicy !== undefined ||
    files.endpointPolicies.length + files.scps.length + files.rcps.length > 0
  )
}

/** Reads and validates every file; the documents of one environment, as the live check would have read them. */
export function readDocumentFiles(files: DocumentFiles, environment: MwaaEnvironment): ResourceDocuments {
  const documents: ResourceDocuments = {}
  if (files.bucketPolicy !== undefined) {
    const bucket = environment.SourceBucketArn.slice(environment.SourceBucketArn.indexOf(':::') + 3)
    const value = policyFile(files.bucketPolicy, 'resource', `bucket policy of ${bucket}`)
    documents.bucket = { name: bucket, policy: { kind: 'found', value } }
  }
  if (files.keyPolicy !== undefined) {
    if (!environment.KmsKey)
      throw new UsageError(
        `--key-policy: environment ${environment.Name} uses an AWS owned key, which has no key policy to check`,
      )
    const policy = policyFile(files.keyPolicy, 'resource', `key policy of ${environment.KmsKey}`)
    // Offline, the key is taken to be enabled and customer managed (its policy could be read).
    documents.key = { kind: 'found', value: { arn: environment.KmsKey, policy, state: 'Enabled', awsManaged: false } }
  }
  if (files.endpointPolicies.length > 0) {
    const endpoints = files.endpointPolicies.flatMap((file) => endpointFile(file, regionOf(environment)))
    const vpcs = new Set(endpoints.map((e) => e.vpcId))
    if (vpcs.size > 1)
      throw new UsageError(
        `--endpoint-policy: the endpoints are in ${vpcs.size} VPCs; give those of the environment's VPC`,
      )
    documents.vpc = { kind: 'found', value: { id: [...vpcs][0] ?? '', endpoints: endpoints.map((e) => e.endpoint) } }
  }
  if (files.scps.length + files.rcps.length > 0) {
    const scps = files.scps.map((file, i) => levelFile(file, 'scp', i))
    const rcps = files.rcps.map((file, i) => levelFile(file, 'rcp', i))
    documents.organization = { kind: 'found', value: { scps, rcps } }
  }
  return documents
}

/** A policy document, or `{"Policy": "<document as JSON text>"}` as the get-*-policy commands print it. */
function policyFile(file: string, kind: PolicyKind, name: string): PolicyDocument {
  const json = readJson(file)
  const inner = isObject(json) && typeof json.Policy === 'string' ? json.Policy : json
  return documentOf(inner, file, kind, name, isObject(json) && 'Policy' in json ? 'Policy' : '')
}

function documentOf(raw: unknown, file: string, kind: PolicyKind, name: string, field: string): PolicyDocument {
  try {
    const document = decodePolicyDocument(raw, field || 'document')
    compilePolicy(document, name, kind)
    return document
  } catch (error) {
    if (error instanceof PolicyParseError)
      throw new InputError(
        file,
        [field, error.path].filter(Boolean).join('.'),
        error.message.replace(`${error.path}: `, ''),
        {
          cause: error,
        },
      )
    if (error instanceof PolicyDocumentError)
      throw new InputError(file, field, 'expected a policy document (an object with a Statement)', { cause: error })
    throw error
  }
}

const endpointSchema = z.object({
  VpcEndpointId: z.string().regex(/^vpce-[0-9a-f]{8,17}$/, 'expected a VPC endpoint id (vpce-...)'),
  VpcEndpointType: z.string().optional(),
  VpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'expected a VPC id (vpc-...)'),
  ServiceName: z.string(),
  State: z.string().optional(),
  PolicyDocument: z.string().optional(),
})
const endpointsSchema = z.union([z.object({ VpcEndpoints: z.array(endpointSchema) }), endpointSchema])

/** The endpoints of a describe-vpc-endpoints file that serve S3, SQS, Logs, KMS or CloudWatch, and are available. */
function endpointFile(file: string, region: string): Array<{ vpcId: string; endpoint: VpcEndpointDocument }> {
  const parsed = parseWith(endpointsSchema, readJson(file), file)
  const entries = 'VpcEndpoints' in parsed ? parsed.VpcEndpoints : [parsed]
  const out: Array<{ vpcId: string; endpoint: VpcEndpointDocument }> = []
  for (const [i, entry] of entries.entries()) {
    const service = entry.ServiceName.replace(/^(?:cn\.)?com\.amazonaws\./, '').replace(`${region}.`, '')
    if (!Object.hasOwn(EndpointService, service) || (entry.State ?? 'available').toLowerCase() !== 'available') continue
    const field = 'VpcEndpoints' in parsed ? `VpcEndpoints[${i}].PolicyDocument` : 'PolicyDocument'
    const name = `policy of VPC endpoint ${entry.VpcEndpointId} (${entry.ServiceName})`
    const policy = entry.PolicyDocument
      ? documentOf(entry.PolicyDocument, file, 'endpoint', name, field)
      : {
          Version: '2008-10-17',
          Statement: [{ Effect: 'Allow' as const, Principal: '*' as const, Action: '*', Resource: '*' }],
        }
    out.push({
      vpcId: entry.VpcId,
      endpoint: {
        id: entry.VpcEndpointId,
        serviceName: entry.ServiceName,
        service: service as EndpointService,
        type: entry.VpcEndpointType ?? 'Interface',
        policy,
      },
    })
  }
  return out
}

/** One SCP or RCP level: a document, an array of documents, or describe-policy output. */
function levelFile(file: string, kind: 'scp' | 'rcp', level: number): OrganizationLevel {
  const json = readJson(file)
  const label = kind === 'scp' ? 'SCP' : 'RCP'
  // Levels are counted from the root, as the flags are given: level 1 is the root.
  const target = `level ${level + 1}`
  const described = isObject(json) && isObject(json.Policy) ? json.Policy : undefined
  const list = described ? [described.Content] : Array.isArray(json) ? json : [json]
  return {
    target,
    policies: list.map((raw, i) => {
      const summary = described && isObject(described.PolicySummary) ? described.PolicySummary : undefined
      const id = typeof summary?.Id === 'string' ? summary.Id : ''
      const name = typeof summary?.Name === 'string' ? summary.Name : `${file}${Array.isArray(json) ? `[${i}]` : ''}`
      const field = described ? 'Policy.Content' : Array.isArray(json) ? `[${i}]` : ''
      return { id, name, document: documentOf(raw, file, kind, `${label} ${name}`, field) }
    }),
  }
}

function regionOf(environment: MwaaEnvironment): string {
  return environment.Arn.split(':')[3] ?? ''
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
