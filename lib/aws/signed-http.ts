/**
 * A signed, retrying HTTP call for the read calls of the documents beyond the role: S3 GetBucketPolicy, EC2
 * DescribeSubnets and DescribeVpcEndpoints, KMS DescribeKey and GetKeyPolicy, and Organizations' four reads, built from
 * the SDK pieces the other clients already bundle (SigV4 signer, Sha256, the retry strategy). Their SDK clients
 * (3.11xx) would add 37, 138, 5 and 6 KB deflated to every Lambda zip (client-ec2's schema module cannot be
 * tree-shaken: 552 KB minified for one command), which the 400 KiB budget cannot hold next to memory's DynamoDB and SQS
 * clients; see docs/adr/0007-hand-signed-document-reads.md.
 * Same shape as mwaa-http.ts: one logical call counted once, each attempt counted, SDK retry classification.
 */
import { Sha256 } from '@smithy/core/checksum'
import { buildQueryString } from '@smithy/core/protocols'
import { AdaptiveRetryStrategy, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, StandardRetryToken } from '@smithy/types'
import type { ApiCallCounter } from './call-counter'
import { RETRY } from './clients'

/** An error answer from the service (or a response we could not read); `code` is the service's error code. */
export class AwsHttpError extends Error {
  override name = 'AwsHttpError'
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code} (${statusCode}): ${message}`, options)
  }
}

export type SignedRequest = {
  /** the operation's name, for the call counter and errors */
  operation: string
  method: 'GET' | 'POST'
  path: string
  query?: Record<string, string>
  /** a form-encoded body (EC2's query protocol) */
  form?: Record<string, string>
  /** a JSON body for the AWS JSON 1.1 protocol (KMS, Organizations): the target names the operation */
  json?: { target: string; body: unknown }
}

export type SignedHttpOptions = {
  /** the service's name in the counter ('s3', 'ec2') and its signing name */
  service: string
  region: string
  endpoint: URL
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider
  counter?: ApiCallCounter
  maxAttempts?: number
  timeoutMs?: number
  /** S3 signs the path as sent; other services escape it again (SigV4's rule for S3) */
  uriEscapePath?: boolean
  /** tests answer from a script */
  fetch?: typeof fetch
}

export type SignedHttpClient = { send(request: SignedRequest): Promise<string> }

/** Builds a client for one service and region; `send` returns the response body of a 2xx answer. */
export function createSignedHttpClient(options: SignedHttpOptions): SignedHttpClient {
  const { endpoint } = options
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    sha256: Sha256,
    credentials: options.credentials,
    uriEscapePath: options.uriEscapePath ?? true,
  })
  // Adaptive retries, like the SDK clients and the MWAA client (RETRY in clients.ts says why).
  const retry = new AdaptiveRetryStrategy(options.maxAttempts ?? RETRY.maxAttempts)
  const timeoutMs = options.timeoutMs ?? 5_000
  const basePath = endpoint.pathname.replace(/\/$/, '')
  const send = options.fetch ?? fetch

  const attempt = async (request: SignedRequest) => {
    const body = request.form
      ? buildQueryString(request.form)
      : request.json
        ? JSON.stringify(request.json.body)
        : undefined
    const contentType: Record<string, string> = request.form
      ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }
      : request.json
        ? { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': request.json.target }
        : {}
    const query = request.query ?? {}
    const signed = await signer.sign({
      method: request.method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: basePath + request.path,
      query,
      headers: { host: endpoint.host, ...contentType },
      ...(body === undefined ? {} : { body }),
    })
    const { host: _host, ...headers } = signed.headers
    const url = new URL(basePath + request.path, endpoint)
    // RFC 3986 query encoding, as the signer canonicalises it (URLSearchParams would turn a space into '+').
    url.search = buildQueryString(query)
    const response = await send(url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await response.text()
    if (response.ok) return text
    throw errorFrom(response.status, text)
  }

  return {
    async send(request) {
      options.counter?.record({ service: options.service, operation: request.operation })
      const call = { service: options.service, operation: request.operation }
      // AdaptiveRetryStrategy hands out StandardRetryTokens; its signature says less.
      let token = (await retry.acquireInitialRetryToken(options.service)) as StandardRetryToken
      for (;;) {
        options.counter?.recordAttempt(call)
        try {
          const out = await attempt(request)
          retry.recordSuccess(token)
          return out
        } catch (error) {
          const errorType = retryErrorType(error)
          if (errorType === 'THROTTLING') options.counter?.recordThrottled(call)
          if (errorType === 'CLIENT_ERROR') throw error
          try {
            token = (await retry.refreshRetryTokenForRetry(token, {
              errorType,
              error: error as never,
            })) as StandardRetryToken
          } catch {
            throw error // out of attempts or retry capacity: report what the service said
          }
        }
      }
    },
  }
}

/**
 * S3 and EC2 answer errors in XML with a `<Code>` and a `<Message>`: S3 as `<Error>` at the top
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), EC2 inside `<Response><Errors>`
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html). The JSON 1.1 services name the error
 * in `__type`, maybe namespaced (`com.amazonaws.kms#NotFoundException`), with a `message`.
 */
function errorFrom(status: number, text: string): AwsHttpError {
  if (text.trimStart().startsWith('{')) {
    let body: Record<string, unknown> = {}
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      // not JSON after all: keep the status code
    }
    const type = typeof body.__type === 'string' ? body.__type : typeof body.code === 'string' ? body.code : ''
    const code = type.split('#').pop()?.split(':')[0] || `Http${status}`
    const message =
      typeof body.message === 'string'
        ? body.message
        : typeof body.Message === 'string'
          ? body.Message
          : `HTTP ${status}`
    return new AwsHttpError(code, status, message.slice(0, 500))
  }
  const code = /<Code>([^<]{1,200})<\/Code>/.exec(text)?.[1] ?? `Http${status}`
  const message = /<Message>([^<]{0,500})<\/Message>/.exec(text)?.[1] ?? `HTTP ${status}`
  return new AwsHttpError(code, status, message)
}

/** The error as the SDK's retry rules read it: an AwsHttpError's code and status in the SDK's fields. */
export function sdkErrorShape(error: object): never {
  if (error instanceof AwsHttpError)
    return { name: error.code, message: error.message, $metadata: { httpStatusCode: error.statusCode } } as never
  return error as never
}

/** Classifies with the SDK's own rules, so the hand-signed clients retry exactly what the SDK clients retry. */
export function retryErrorType(error: unknown): 'THROTTLING' | 'TRANSIENT' | 'CLIENT_ERROR' {
  const probe = typeof error === 'object' && error !== null ? sdkErrorShape(error) : (error as never)
  if (isThrottlingError(probe)) return 'THROTTLING'
  if (isTransientError(probe)) return 'TRANSIENT'
  return 'CLIENT_ERROR'
}
