/**
 * One place that builds SDK clients: region, adaptive retries, endpoints from the standard
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variables, and the optional call counter.
 * Endpoint variables: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { IAMClient } from '@aws-sdk/client-iam'
import { SNSClient } from '@aws-sdk/client-sns'
import { SQSClient } from '@aws-sdk/client-sqs'
import { SSMClient } from '@aws-sdk/client-ssm'
import { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { REGION_NAME } from '../baseline/deployment'
import { regionFromEnv } from '../region'
import type { ApiCallCounter } from './call-counter'

/** Environment variables as a plain map (in a Lambda: `process.env`, read once by the caller). */
export type AwsEnv = Readonly<Record<string, string | undefined>>

/**
 * SDK service ids; the variable suffix is the id upper-cased with spaces as underscores
 * (https://docs.aws.amazon.com/sdkref/latest/guide/ss-endpoints-table.html).
 */
export const ServiceId = {
  iam: 'IAM',
  sns: 'SNS',
  ssm: 'SSM',
  sts: 'STS',
  mwaa: 'MWAA',
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  s3: 'S3',
  ec2: 'EC2',
  kms: 'KMS',
  organizations: 'Organizations',
} as const
export type ServiceId = (typeof ServiceId)[keyof typeof ServiceId]

export type ClientOptions = {
  env: AwsEnv
  /** defaults to AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1 */
  region?: string
  /** defaults to the SDK's default provider chain */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  counter?: ApiCallCounter
  /** attempts per call, retries included (default RETRY.maxAttempts) */
  maxAttempts?: number
  /** a custom HTTP handler: tests use it to answer with throttling errors */
  requestHandler?: unknown
}

/**
 * The endpoint the SDK would take from the environment: the service-specific variable first, then the global
 * one, neither when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true.
 */
export function endpointFor(service: ServiceId, env: AwsEnv): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return undefined
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase().replaceAll(' ', '_')}`]
  return nonEmpty(specific) ?? nonEmpty(env.AWS_ENDPOINT_URL)
}

/** Region from the options, else the environment map's (lib/region.ts decides). */
export function regionFor(options: Pick<ClientOptions, 'env' | 'region'>): string {
  return options.region ?? regionFromEnv(options.env)
}

/** An IAM client (a global service: the SDK signs for us-east-1 whatever region it is given). */
export function createIamClient(options: ClientOptions): IAMClient {
  return withCounter(new IAMClient(sdkConfig(ServiceId.iam, options)), 'iam', options)
}

export function createSnsClient(options: ClientOptions): SNSClient {
  return withCounter(new SNSClient(sdkConfig(ServiceId.sns, options)), 'sns', options)
}

export function createSsmClient(options: ClientOptions): SSMClient {
  return withCounter(new SSMClient(sdkConfig(ServiceId.ssm, options)), 'ssm', options)
}

export function createStsClient(options: ClientOptions): STSClient {
  return withCounter(new STSClient(sdkConfig(ServiceId.sts, options)), 'sts', options)
}

/**
 * Adaptive retry mode: the standard mode's retries (throttling and transient errors, exponential back-off with jitter,
 * a longer base for throttling) plus a client-side rate limiter that slows the client down after a throttling
 * answer, so a sweep's concurrent reads back off together instead of each spending its own retries
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html: for throttling-heavy, latency-tolerant
 * work, with one client per scope the service throttles at; IAM throttles per account, and there is one IAM client
 * per process and one MWAA client per region). The budget is bounded twice: at most `maxAttempts` attempts per call,
 * and the client's retry quota (a token bucket each retry draws from and each success refills), which stops retrying
 * altogether while a service keeps failing.
 */
export const RETRY = {
  mode: 'adaptive',
  // 5, not the SDK's 3: at 30 % throttling a call fails 3 attempts in 4 % of cases (a 7-call role read in 26 %), 5
  // attempts in 0.5 % (3.6 %). Throttling back-off starts at 1 s, so a call gives up within ~15 s.
  maxAttempts: 5,
} as const
export function createDynamoDbClient(options: ClientOptions): DynamoDBClient {
  return withCounter(new DynamoDBClient(sdkConfig(ServiceId.dynamodb, options)), 'dynamodb', options)
}

export function createSqsClient(options: ClientOptions): SQSClient {
  return withCounter(new SQSClient(sdkConfig(ServiceId.sqs, options)), 'sqs', options)
}

/**
 * Credentials from the map when it carries them: the SDK's default chain reads process.env, so a map that is not
 * process.env (tests, the demo) would otherwise sign with whatever the shell exports. In the Lambda and the CLI the
 * map is process.env, where the chain's first provider reads these same variables
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html); without them, the default chain.
 */
export function credentialsFromEnv(env: AwsEnv): AwsCredentialIdentity | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim()
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim()
  if (!accessKeyId || !secretAccessKey) return undefined
  const sessionToken = env.AWS_SESSION_TOKEN?.trim()
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }
}

/**
 * The endpoint of a hand-signed client (S3, EC2, KMS, Organizations): the configured one, else the service's regional endpoint (the
 * aws-cn partition ends in amazonaws.com.cn). The region becomes part of a host name: only a region name is taken.
 */
export function serviceEndpoint(service: ServiceId, prefix: string, region: string, env: AwsEnv): URL {
  if (!REGION_NAME.test(region))
    throw new Error(`${service} endpoint: ${JSON.stringify(region.slice(0, 40))} is not a region name`)
  const configured = endpointFor(service, env)
  if (configured) return new URL(configured)
  return new URL(`https://${prefix}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`)
}

/**
 * The SDK's own retry settings, read from the map like the endpoints: AWS_RETRY_MODE (standard or adaptive) and
 * AWS_MAX_ATTEMPTS (1 to 20), defaults RETRY (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 * The stack sets neither; a test or an operator who must trade the rate limiter's politeness for speed may. A bad
 * value is an error naming the variable. The hand-signed readers (S3, KMS, EC2, Organizations, MWAA) stay adaptive.
 */
export function retryFor(env: AwsEnv): { retryMode: 'standard' | 'adaptive'; maxAttempts: number } {
  const mode = nonEmpty(env.AWS_RETRY_MODE)
  const attempts = nonEmpty(env.AWS_MAX_ATTEMPTS)
  if (mode !== undefined && mode !== 'standard' && mode !== 'adaptive')
    throw new Error(`AWS_RETRY_MODE: expected standard or adaptive, not ${JSON.stringify(mode.slice(0, 40))}`)
  if (attempts !== undefined && !/^(?:[1-9]|1\d|20)$/.test(attempts))
    throw new Error(
      `AWS_MAX_ATTEMPTS: expected a whole number from 1 to 20, not ${JSON.stringify(attempts.slice(0, 40))}`,
    )
  return { retryMode: mode ?? RETRY.mode, maxAttempts: attempts === undefined ? RETRY.maxAttempts : Number(attempts) }
}

function sdkConfig(service: ServiceId, options: ClientOptions) {
  // These clients (3.1169) read the endpoint variables natively, but from process.env. We resolve them from the
  // map we were given and tell the SDK to ignore its own lookup, so the map is the one source of truth
  // (a test's map is not overridden by a variable the shell happens to export). The price: a profile's
  // `endpoint_url` in ~/.aws/config is not honoured either.
  const endpoint = endpointFor(service, options.env)
  const retry = retryFor(options.env)
  return {
    region: regionFor(options),
    ...retry,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(endpoint ? { endpoint } : { ignoreConfiguredEndpointUrls: true }),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler as never } : {}),
  }
}

function withCounter<C extends { middlewareStack: { add(...args: never[]): unknown } }>(
  client: C,
  service: string,
  options: ClientOptions,
): C {
  options.counter?.attachTo(client as never, service)
  return client
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
