/**
 * One Region default for the Lambda's config, the SDK clients and the CLI: AWS_REGION, then AWS_DEFAULT_REGION (the
 * AWS CLI's variable), then us-east-1. https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { regionFor } from '../../lib/aws/clients'
import type { Io } from '../../lib/cli/io'
import { main } from '../../lib/cli/main'
import { loadConfig } from '../../lib/config'
import { regionFromEnv } from '../../lib/region'
import { motoCredentials } from '../support/moto'
import { startMwaaServer, type MwaaServer } from '../support/mwaa-server'

const ENV_VARS = 'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html'
const SDK_REGION = 'https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html'

const cases = [
  { doc: SDK_REGION, env: { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' }, want: 'ap-south-1' },
  { doc: ENV_VARS, env: { AWS_DEFAULT_REGION: 'eu-west-1' }, want: 'eu-west-1' },
  { doc: ENV_VARS, env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }, want: 'eu-west-1' },
  { doc: SDK_REGION, env: {}, want: 'us-east-1' },
]

describe('one function decides the Region', () => {
  it.each(cases)('$doc: $env -> $want in lib/region, the config and the SDK clients alike', ({ env, want }) => {
    expect([regionFromEnv(env), loadConfig(env).region, regionFor({ env })]).toEqual([want, want, want])
  })
})

describe('check --env asks MWAA in that Region', () => {
  let server: MwaaServer
  beforeAll(async () => {
    server = await startMwaaServer({ secretAccessKey: motoCredentials.secretAccessKey })
  })
  afterAll(() => server?.stop())

  it.each([
    { env: { AWS_DEFAULT_REGION: 'eu-west-1' }, argv: [], want: 'eu-west-1' },
    { env: { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' }, argv: [], want: 'ap-south-1' },
    { env: { AWS_DEFAULT_REGION: 'eu-west-1' }, argv: ['--region', 'us-west-2'], want: 'us-west-2' },
  ])(`${ENV_VARS}: $env $argv -> GetEnvironment signed for $want`, async ({ env, argv, want }) => {
    const err: string[] = []
    const io: Io = {
      out: () => undefined,
      err: (text) => void err.push(text),
      env: {
        ...env,
        AWS_ENDPOINT_URL_MWAA: server.endpoint,
        AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey,
      },
    }
    const before = server.requests.length
    const code = await main(['check', '--env', 'my-env', ...argv], io)
    expect(code).toBe(2)
    expect(err.join('\n')).toBe(`mwaa-role-guard check: --env: no MWAA environment named my-env in ${want}`)
    const scopes = server.requests.slice(before).map((r) => r.authorization?.split('/')[2])
    expect(scopes).toEqual([want])
  })
})
