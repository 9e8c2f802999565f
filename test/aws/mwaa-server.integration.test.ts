/**
 * Keeps the MWAA stand-in honest: the official client (@aws-sdk/client-mwaa, dev/test only) must read its answers
 * the way it reads AWS's. If this fails, the adapter tests above it prove nothing.
 */
import { join } from 'node:path'
import {
  GetEnvironmentCommand,
  ListEnvironmentsCommand,
  MWAAClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-mwaa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadWireEnvironments, startMwaaServer, type MwaaServer } from '../support/mwaa-server'
import { motoCredentials } from '../support/moto'

let server: MwaaServer
let sdk: MWAAClient

beforeAll(async () => {
  server = await startMwaaServer({
    environments: loadWireEnvironments(join(import.meta.dirname, 'fixtures/mwaa')),
    secretAccessKey: motoCredentials.secretAccessKey,
  })
  // With a custom endpoint the SDK would still prepend the `api.` host prefix (api.127.0.0.1): turn it off.
  sdk = new MWAAClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    disableHostPrefix: true,
    credentials: motoCredentials,
    maxAttempts: 1,
  })
})
afterAll(async () => {
  sdk?.destroy()
  await server?.stop()
})

describe('mwaa-server speaks the SDK wire format', () => {
  it('GetEnvironment: epoch-second timestamps parse as dates, strings pass through', async () => {
    const out = await sdk.send(new GetEnvironmentCommand({ Name: 'TestStack-MwaaEnvironment' }))
    expect(out.Environment?.CreatedAt).toEqual(new Date('2023-09-13T06:43:40Z'))
    expect(out.Environment?.ExecutionRoleArn).toBe(
      'arn:aws:iam::644160558196:role/service-role/TestStack-MwaaExecutionRole-J13JXICOSM01',
    )
  })

  it('GetEnvironment of an unknown name: ResourceNotFoundException', async () => {
    await expect(sdk.send(new GetEnvironmentCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    )
  })

  it('ListEnvironments pages with NextToken', async () => {
    const first = await sdk.send(new ListEnvironmentsCommand({ MaxResults: 2 }))
    expect(first.Environments).toHaveLength(2)
    const second = await sdk.send(new ListEnvironmentsCommand({ MaxResults: 2, NextToken: first.NextToken }))
    expect(second.Environments).toHaveLength(1)
    expect(second.NextToken).toBeUndefined()
  })

  it('accepts the SDK signature (the server checks SigV4)', async () => {
    // A signature the server did not accept would be an InvalidSignatureException here.
    await expect(sdk.send(new GetEnvironmentCommand({ Name: 'testEnvironment' }))).resolves.toMatchObject({
      Environment: { Name: 'testEnvironment' },
    })
  })
})
