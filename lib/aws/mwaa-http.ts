/**
 * A signed REST-JSON GET for the two read-only MWAA operations we need, built from the SDK pieces the other
 * clients already bundle (SigV4 signer, Sha256, standard retry strategy, default credential chain).
 *
 * Why not @aws-sdk/client-mwaa: the newest version on our registry (3.523.0) depends on an older SDK core
 * and brings a second copy of it (credential chain, STS/SSO clients, signer, HTTP handler): +339 KB minified
 * for two GET calls (`node scripts/measure-mwaa-client.mjs`; docs/adr/0001-hand-signed-mwaa-client.md says when to
 * replace this). Wire format taken from that client's serializer:
 * GetEnvironment = GET /environments/{Name}, ListEnvironments = GET /environments?NextToken=&MaxResults=,
 * host `api.airflow.{region}.amazonaws.com` (https://docs.aws.amazon.com/mwaa/latest/API/Welcome.html),
 * signing name `airflow`.
 */
import { Sha256 } from '@smithy/core/checksum'
import { buildQueryString } from '@smithy/core/protocols'
import { AdaptiveRetryStrategy } from '@smithy/core/retry'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, StandardRetryToken } from '@smithy/types'
import { REGION_NAME } from '../baseline/deployment'
import type { ApiCallCounter } from './call-counter'
import { endpointFor, RETRY, ServiceId, type AwsEnv } from './clients'
import { AwsHttpError, retryErrorType } from './signed-http'

export type MwaaHttpOptions = {
  region: string
  env: AwsEnv
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider
  counter?: ApiCallCounter
  /** adaptive retry mode, like the SDK clients (RETRY) */
  maxAttempts?: number
  /** per attempt */
  timeoutMs?: number
}

/** An error answer from MWAA (or a response we could not read); `code` is MWAA's error type. */
export class MwaaServiceError extends AwsHttpError {
  override name = 'MwaaServiceError'
  constructor(
    code: string,
    statusCode: number,
    message: string,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(code, statusCode, message, options)
  }
}

export type MwaaHttpClient = {
  get(operation: string, path: string, query?: Record<string, string | undefined>): Promise<unknown>
}

/** The default endpoint, or the one from AWS_ENDPOINT_URL_MWAA / AWS_ENDPOINT_URL used as is (no `api.` prefix). */
export function mwaaEndpoint(region: string, env: AwsEnv): URL {
  // The region becomes part of the host name (and the signing scope): never from a string that is not a region name.
  if (!REGION_NAME.test(region))
    throw new Error(`MWAA endpoint: ${JSON.stringify(region.slice(0, 40))} is not a region name`)
  const configured = endpointFor(ServiceId.mwaa, env)
  if (configured) return new URL(configured)
  // The SDK's rule set: the aws-cn partition ends in amazonaws.com.cn, the others MWAA runs in in amazonaws.com.
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return new URL(`https://api.airflow.${region}.${suffix}`)
}

/** Builds a signed, retrying GET client for one region. */
export function createMwaaHttpClient(options: MwaaHttpOptions): MwaaHttpClient {
  const endpoint = mwaaEndpoint(options.region, options.env)
  const signer = new SignatureV4({
    service: 'airflow',
    region: options.region,
    sha256: Sha256,
    credentials: options.credentials,
  })
  const retry = new AdaptiveRetryStrategy(options.maxAttempts ?? RETRY.maxAttempts)
  const timeoutMs = options.timeoutMs ?? 5_000
  const basePath = endpoint.pathname.replace(/\/$/, '')

  const attempt = async (path: string, query: Record<string, string>) => {
    // Sign exactly the Host header fetch will send: host[:port], the port only when it is not the default.
    const signed = await signer.sign({
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: basePath + path,
      query,
      headers: { host: endpoint.host, accept: 'application/json' },
    })
    const { host: _host, ...headers } = signed.headers
    // RFC 3986 query encoding, as the signer canonicalises it (URLSearchParams would turn a space into '+').
    const url = new URL(basePath + path, endpoint)
    url.search = buildQueryString(query)
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) })
    const text = await response.text()
    if (response.ok) return text ? (JSON.parse(text) as unknown) : {}
    throw errorFrom(response, text)
  }

  return {
    async get(operation, path, query = {}) {
      options.counter?.record({ service: 'mwaa', operation })
      const definedQuery = Object.fromEntries(
        Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
      )
      // The strategy hands out StandardRetryTokens (AdaptiveRetryStrategy wraps the standard one); its signature says less.
      let token = (await retry.acquireInitialRetryToken('mwaa')) as StandardRetryToken
      for (;;) {
        options.counter?.recordAttempt({ service: 'mwaa', operation })
        try {
          const out = await attempt(path, definedQuery)
          retry.recordSuccess(token)
          return out
        } catch (error) {
          const errorType = retryErrorType(error)
          if (errorType === 'THROTTLING') options.counter?.recordThrottled({ service: 'mwaa', operation })
          if (errorType === 'CLIENT_ERROR') throw error
          try {
            token = (await retry.refreshRetryTokenForRetry(token, {
              errorType,
              error: error as never,
            })) as StandardRetryToken
          } catch {
            throw error // out of attempts or retry capacity: report what MWAA said, not the strategy's refusal
          }
        }
      }
    },
  }
}

/** REST-JSON errors name their type in `x-amzn-errortype` or the body's `code`/`__type`, maybe namespaced. */
function errorFrom(response: Response, text: string): MwaaServiceError {
  let body: Record<string, unknown> = {}
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  } catch {
    // not JSON (a proxy's HTML page, say): keep the status code
  }
  const raw = response.headers.get('x-amzn-errortype') ?? str(body.code) ?? str(body.__type) ?? `Http${response.status}`
  const code = raw.split(':')[0]!.split('#').pop()!
  const message = str(body.message) ?? str(body.Message) ?? response.statusText
  return new MwaaServiceError(code, response.status, message, response.headers.get('x-amzn-requestid') ?? undefined)
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
