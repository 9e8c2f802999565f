/**
 * The S3 adapter: a bucket's policy (GetBucketPolicy, https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html),
 * cached per bucket until a PutBucketPolicy/DeleteBucketPolicy event forgets it, or for DOCUMENT_TTL_MS at most.
 * A bucket without a policy answers NoSuchBucketPolicy: that is "none", not an error. A policy we may not read
 * (a Deny in it, a missing permission) is "unreadable" with the reason, so the check says what it could not see.
 * Path-style requests on the bucket's regional endpoint: a DAG bucket is in its environment's region
 * (https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-s3-bucket.html), and path style works for names with dots.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import type { DocumentRead } from '../drift/resource-documents'
import type { PolicyDocument } from '../iam/types'
import { ServiceId, serviceEndpoint } from './clients'
import { DOCUMENT_TTL_MS } from './document-ttl'
import { type DocumentAdapterBuildOptions, type ReadErrors, readDocument } from './document-read'
import { decodePolicyDocument } from './policy-document'
import { createSignedHttpClient, type SignedHttpClient } from './signed-http'
import { TtlCache } from './ttl-cache'

export type S3Adapter = {
  /** The bucket's policy; `none` when it has none. */
  bucketPolicy(bucket: string, region: string): Promise<DocumentRead<PolicyDocument>>
  /** Forgets what is cached about a bucket (after an event about its policy). */
  forget(bucket: string): void
}

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
/** Errors that say "this document cannot be read by us", not "try again". */
const READ_ERRORS: ReadErrors = {
  service: 's3:GetBucketPolicy',
  unreadable: new Set(['AccessDenied', 'NoSuchBucket', 'AllAccessDisabled', 'MethodNotAllowed']),
  none: 'NoSuchBucketPolicy',
}

/** Builds the S3 adapter; one per process, so its cache outlives an invocation. */
export function createS3Adapter(options: DocumentAdapterBuildOptions): S3Adapter {
  const credentials = options.credentials ?? defaultProvider()
  const clients = new Map<string, SignedHttpClient>()
  const clientFor = (region: string) => {
    let client = clients.get(region)
    if (!client) {
      client = createSignedHttpClient({
        service: 's3',
        region,
        endpoint: serviceEndpoint(ServiceId.s3, 's3', region, options.env),
        credentials,
        counter: options.counter,
        maxAttempts: options.maxAttempts,
        uriEscapePath: false,
        fetch: options.fetch,
      })
      clients.set(region, client)
    }
    return client
  }
  const cache = new TtlCache<DocumentRead<PolicyDocument>>(options.ttlMs ?? DOCUMENT_TTL_MS, options.clock)
  const read = async (bucket: string, region: string): Promise<DocumentRead<PolicyDocument>> => {
    if (!BUCKET.test(bucket)) return { kind: 'unreadable', reason: `${JSON.stringify(bucket)} is not a bucket name` }
    return readDocument(async () => {
      const text = await clientFor(region).send({
        operation: 'GetBucketPolicy',
        method: 'GET',
        path: `/${bucket}`,
        query: { policy: '' },
      })
      return { kind: 'found', value: decodePolicyDocument(text, `bucket policy of ${bucket}`) }
    }, READ_ERRORS)
  }
  return {
    bucketPolicy: (bucket, region) => cache.get(bucket, () => read(bucket, region)),
    forget: (bucket) => cache.delete(bucket),
  }
}
