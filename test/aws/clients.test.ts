import { ListRolePoliciesCommand } from '@aws-sdk/client-iam'
import { describe, expect, it } from 'vitest'
import {
  createIamClient,
  createSnsClient,
  createSsmClient,
  endpointFor,
  regionFor,
  ServiceId,
} from '../../lib/aws/clients'
import { mwaaEndpoint } from '../../lib/aws/mwaa'
import { listRolePoliciesXml, scriptedHandler } from '../support/scripted-http-handler'

const ENDPOINTS_DOC = 'https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html'

describe('endpointFor', () => {
  it.each([
    { doc: ENDPOINTS_DOC, service: ServiceId.iam, env: { AWS_ENDPOINT_URL_IAM: 'http://iam:1' }, want: 'http://iam:1' },
    { doc: ENDPOINTS_DOC, service: ServiceId.mwaa, env: { AWS_ENDPOINT_URL: 'http://all:1' }, want: 'http://all:1' },
    {
      doc: `${ENDPOINTS_DOC} (service-specific wins over global)`,
      service: ServiceId.mwaa,
      env: { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_MWAA: 'http://127.0.0.1:9' },
      want: 'http://127.0.0.1:9',
    },
    {
      doc: `${ENDPOINTS_DOC} (another service's variable does not apply)`,
      service: ServiceId.sns,
      env: { AWS_ENDPOINT_URL_SSM: 'http://ssm:1' },
      want: undefined,
    },
    {
      doc: `${ENDPOINTS_DOC} (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)`,
      service: ServiceId.ssm,
      env: { AWS_ENDPOINT_URL_SSM: 'http://ssm:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      want: undefined,
    },
    {
      doc: `${ENDPOINTS_DOC} (empty means unset)`,
      service: ServiceId.sns,
      env: { AWS_ENDPOINT_URL_SNS: '' },
      want: undefined,
    },
  ])('$service with $env -> $want ($doc)', ({ service, env, want }) => {
    expect(endpointFor(service, env)).toBe(want)
  })
})

describe('mwaaEndpoint', () => {
  const doc = 'https://docs.aws.amazon.com/mwaa/latest/API/Welcome.html'
  it.each([
    { doc, region: 'eu-west-1', env: {}, want: 'https://api.airflow.eu-west-1.amazonaws.com/' },
    {
      doc: `${doc} (aws-cn partition suffix)`,
      region: 'cn-north-1',
      env: {},
      want: 'https://api.airflow.cn-north-1.amazonaws.com.cn/',
    },
    {
      doc: `${doc} (a configured endpoint is used as is: no api. host prefix)`,
      region: 'eu-west-1',
      env: { AWS_ENDPOINT_URL_MWAA: 'http://127.0.0.1:4510' },
      want: 'http://127.0.0.1:4510/',
    },
  ])('$region -> $want', ({ region, env, want }) => {
    expect(mwaaEndpoint(region, env).href).toBe(want)
  })
})

describe('createIamClient', () => {
  it('takes the endpoint from the map it is given, not from process.env', async () => {
    const client = createIamClient({ env: { AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:4566' }, region: 'eu-west-1' })
    const endpoint = await client.config.endpoint?.()
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:4566')
  })

  it('does not use an endpoint variable that is only in process.env', async () => {
    const handler = scriptedHandler([{ status: 200, body: listRolePoliciesXml([]) }])
    const before = process.env.AWS_ENDPOINT_URL_IAM
    process.env.AWS_ENDPOINT_URL_IAM = 'http://127.0.0.1:1'
    try {
      const iam = createIamClient({
        env: {},
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        requestHandler: handler,
      })
      await iam.send(new ListRolePoliciesCommand({ RoleName: 'exec' }))
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_IAM
      else process.env.AWS_ENDPOINT_URL_IAM = before
    }
    expect(handler.seen[0]?.hostname).toBe('iam.amazonaws.com')
  })

  it.each([
    ['IAM', createIamClient],
    ['SNS', createSnsClient],
    ['SSM', createSsmClient],
  ])(
    '%s: adaptive retries (client-side rate limiting after throttling), 5 attempts (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)',
    async (_service, create) => {
      const client = create({ env: {} })
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' })
      expect(await client.config.maxAttempts()).toBe(5)
    },
  )

  it('AWS_RETRY_MODE and AWS_MAX_ATTEMPTS from the map, as the SDK reads them (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html)', async () => {
    const client = createIamClient({ env: { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '2' } })
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' })
    expect(await client.config.maxAttempts()).toBe(2)
    expect(() => createIamClient({ env: { AWS_RETRY_MODE: 'legacy' } })).toThrow(/^AWS_RETRY_MODE: expected standard/)
    expect(() => createIamClient({ env: { AWS_MAX_ATTEMPTS: '0' } })).toThrow(/^AWS_MAX_ATTEMPTS: expected a whole/)
  })

  it('takes the region from AWS_REGION when none is given', () => {
    expect(regionFor({ env: { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' } })).toBe('ap-south-1')
  })
})
