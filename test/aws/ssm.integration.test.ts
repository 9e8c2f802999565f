/** SSM parameters read over the real wire, against moto: the value and the Type (String or SecureString). */
import { PutParameterCommand } from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createSsmClient } from '../../lib/aws/clients'
import { createSsmAdapter } from '../../lib/aws/ssm'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'

let moto: Moto
beforeAll(async () => {
  moto = await startMoto()
})
afterAll(async () => {
  await moto?.stop()
})

describe('getParameter', () => {
  it('returns the decrypted value, then serves it from cache until the TTL passes', async () => {
    // WithDecryption: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
    const counter = new ApiCallCounter()
    const client = createSsmClient({
      env: { AWS_ENDPOINT_URL_SSM: moto.endpoint },
      region: 'us-east-1',
      credentials: motoCredentials,
      counter,
    })
    const name = `/mwaa-role-guard/${uniqueName('slack')}`
    const url = 'https://hooks.slack.com/services/T000/B000/XXXX'
    await client.send(new PutParameterCommand({ Name: name, Value: url, Type: 'SecureString' }))
    counter.reset()

    let now = 0
    const ssm = createSsmAdapter(client, { clock: () => now, ttlMs: 300_000 })
    expect(await ssm.getParameter(name)).toEqual({ value: url, type: 'SecureString' })
    now = 299_999
    expect(await ssm.getParameter(name)).toEqual({ value: url, type: 'SecureString' })
    expect(counter.count({ operation: 'GetParameter' })).toBe(1)

    await client.send(
      new PutParameterCommand({ Name: name, Value: `${url}-rotated`, Type: 'SecureString', Overwrite: true }),
    )
    now = 300_000
    expect(await ssm.getParameter(name)).toEqual({ value: `${url}-rotated`, type: 'SecureString' })
  })

  it('says when a parameter is a plain String, so callers that need a SecureString can refuse it', async () => {
    const client = createSsmClient({
      env: { AWS_ENDPOINT_URL_SSM: moto.endpoint },
      region: 'us-east-1',
      credentials: motoCredentials,
    })
    const name = `/mwaa-role-guard/${uniqueName('plain')}`
    await client.send(new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' }))
    const ssm = createSsmAdapter(client, { clock: () => 0 })
    expect(await ssm.getParameter(name)).toEqual({ value: 'v', type: 'String' })
  })
})
