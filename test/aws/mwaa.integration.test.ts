/** The MWAA adapter over HTTP, against the MWAA stand-in (moto has no MWAA), reached via AWS_ENDPOINT_URL_MWAA. */
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createMwaaAdapter, MwaaServiceError, type MwaaAdapterOptions } from '../../lib/aws/mwaa'
import { loadWireEnvironments, startMwaaServer, type MwaaServer, type WireEnvironment } from '../support/mwaa-server'
import { motoCredentials } from '../support/moto'

const fixtures = loadWireEnvironments(join(import.meta.dirname, 'fixtures/mwaa'))
const REGION = 'us-east-1'

let server: MwaaServer
let now: number
let counter: ApiCallCounter

function adapter(overrides: Partial<MwaaAdapterOptions> = {}) {
  return createMwaaAdapter({
    env: { AWS_ENDPOINT_URL_MWAA: server.endpoint },
    clock: () => now,
    credentials: motoCredentials,
    counter,
    ...overrides,
  })
}

beforeAll(async () => {
  server = await startMwaaServer({ environments: fixtures, secretAccessKey: motoCredentials.secretAccessKey })
})
afterAll(async () => {
  await server?.stop()
})
beforeEach(() => {
  now = 1_700_000_000_000
  counter = new ApiCallCounter()
  server.requests.length = 0
})

describe('getEnvironment', () => {
  it('maps the fields the baseline reads (https://docs.aws.amazon.com/mwaa/latest/API/API_GetEnvironment.html)', async () => {
    const result = await adapter().getEnvironment('testEnvironment', REGION)
    if (result.kind !== 'found') throw new Error('expected the environment')
    expect(result.environment).toMatchObject({
      Name: 'testEnvironment',
      ExecutionRoleArn: 'arn:aws:iam::644160558196:role/service-role/AmazonMWAA-testEnvironment-8hhxpU',
      SourceBucketArn: 'arn:aws:s3:::airflow-test-c7n',
      KmsKey: 'arn:aws:kms:us-east-1:644160558196:key/f9ee2a11-fe4a-4d98-a611-3621e71fd212',
      DagS3Path: 'DAGs',
    })
    expect(result.environment.LoggingConfiguration?.TaskLogs).toEqual({ Enabled: false, LogLevel: 'INFO' })
  })

  it('carries the queue and log group ARNs of a newer environment', async () => {
    const result = await adapter().getEnvironment('mwaa-2-8-1-public-primary', REGION)
    if (result.kind !== 'found') throw new Error('expected the environment')
    expect(result.environment.CeleryExecutorQueue).toMatch(/^arn:aws:sqs:us-east-1:123456789888:airflow-celery-/)
    expect(result.environment.LoggingConfiguration?.WorkerLogs?.CloudWatchLogGroupArn).toBe(
      'arn:aws:logs:us-east-1:123456789999:log-group:airflow-mwaa-2-8-1-public-primary-Worker',
    )
    expect(result.environment.Tags).toEqual({ Department: 'DataEngineering' })
  })

  it('signs for service airflow in the requested region, with a signature AWS would accept', async () => {
    await adapter().getEnvironment('testEnvironment', 'eu-west-1')
    expect(server.requests[0]?.authorization).toMatch(/Credential=testing\/\d{8}\/eu-west-1\/airflow\/aws4_request/)
  })

  it('is refused when signed with another secret (so the check above is live), without retrying', async () => {
    const wrong = adapter({ credentials: { accessKeyId: 'testing', secretAccessKey: 'not-the-secret' } })
    await expect(wrong.getEnvironment('testEnvironment', REGION)).rejects.toMatchObject({
      name: 'MwaaServiceError',
      code: 'InvalidSignatureException',
      statusCode: 403,
    })
    expect(server.requests).toHaveLength(1)
  })

  it('reports a deleted environment as not-found, and sees it again once it exists', async () => {
    const mwaa = adapter()
    expect(await mwaa.getEnvironment('gone', REGION)).toEqual({ kind: 'not-found', name: 'gone', region: REGION })
    server.put({ ...(fixtures[0] as WireEnvironment), Name: 'gone' })
    expect((await mwaa.getEnvironment('gone', REGION)).kind).toBe('found')
    server.delete('gone')
  })

  it('describes an environment once per minute per region, and shares one call between concurrent lookups', async () => {
    const mwaa = adapter()
    await Promise.all([mwaa.getEnvironment('testEnvironment', REGION), mwaa.getEnvironment('testEnvironment', REGION)])
    now += 59_000
    await mwaa.getEnvironment('testEnvironment', REGION)
    expect(counter.count({ operation: 'GetEnvironment' })).toBe(1)
    await mwaa.getEnvironment('testEnvironment', 'eu-west-1')
    expect(counter.count({ operation: 'GetEnvironment' })).toBe(2)
    now += 1_000
    await mwaa.getEnvironment('testEnvironment', REGION)
    expect(counter.count({ operation: 'GetEnvironment' })).toBe(3)
  })
})

describe('listEnvironments', () => {
  it('follows NextToken with MaxResults 25 (https://docs.aws.amazon.com/mwaa/latest/API/API_ListEnvironments.html)', async () => {
    const extra = Array.from({ length: 30 }, (_, i) => `env-${String(i).padStart(2, '0')}`)
    for (const name of extra) server.put({ ...(fixtures[0] as WireEnvironment), Name: name })
    try {
      const names = await adapter().listEnvironments(REGION)
      expect(names).toHaveLength(30 + fixtures.length)
      expect(names).toEqual(expect.arrayContaining([...extra, 'testEnvironment']))
      expect(server.requests.map((r) => r.url)).toEqual([
        '/environments?MaxResults=25',
        '/environments?MaxResults=25&NextToken=page%2F25%2B%3D',
      ])
    } finally {
      for (const name of extra) server.delete(name)
    }
  })
})

describe('errors and retries (adaptive mode, as the SDK clients)', () => {
  it('retries throttling and succeeds: one call, two attempts', async () => {
    server.failNext(1, { status: 429, code: 'ThrottlingException', message: 'Rate exceeded' })
    const result = await adapter().getEnvironment('testEnvironment', REGION)
    expect(result.kind).toBe('found')
    expect(counter.count({ operation: 'GetEnvironment' })).toBe(1)
    expect(counter.attempts).toHaveLength(2)
    expect(counter.throttled).toEqual([{ service: 'mwaa', operation: 'GetEnvironment' }])
  })

  it('gives up after 5 attempts of a 500 and reports what MWAA said', async () => {
    server.failNext(5, { status: 500, code: 'InternalServerException', message: 'try later' })
    const error = await adapter()
      .getEnvironment('testEnvironment', REGION)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MwaaServiceError)
    expect(error).toMatchObject({ code: 'InternalServerException', statusCode: 500 })
    expect(server.requests).toHaveLength(5)
  })

  it('does not retry a validation error', async () => {
    server.failNext(1, { status: 400, code: 'ValidationException', message: 'bad name' })
    await expect(adapter().getEnvironment('testEnvironment', REGION)).rejects.toMatchObject({
      code: 'ValidationException',
    })
    expect(server.requests).toHaveLength(1)
  })
})

describe('endpoint variables', () => {
  it('falls back to AWS_ENDPOINT_URL', async () => {
    const mwaa = adapter({ env: { AWS_ENDPOINT_URL: server.endpoint } })
    expect((await mwaa.getEnvironment('testEnvironment', REGION)).kind).toBe('found')
  })

  it('prefers AWS_ENDPOINT_URL_MWAA over AWS_ENDPOINT_URL', async () => {
    const mwaa = adapter({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_MWAA: server.endpoint } })
    expect((await mwaa.getEnvironment('testEnvironment', REGION)).kind).toBe('found')
  })
})

describe('forget: a Create/Update/DeleteEnvironment event drops the cached list and description', () => {
  it('an environment created while the list is cached is seen once forgotten (https://docs.aws.amazon.com/mwaa/latest/API/API_ListEnvironments.html)', async () => {
    const mwaa = adapter()
    const before = await mwaa.listEnvironments(REGION)
    const fresh = { ...fixtures[0]!, Name: 'created-just-now' }
    server.put(fresh)
    try {
      expect(await mwaa.listEnvironments(REGION)).toEqual(before) // still cached
      mwaa.forget('created-just-now', REGION)
      expect(await mwaa.listEnvironments(REGION)).toContain('created-just-now')
    } finally {
      server.delete('created-just-now')
    }
  })
})
