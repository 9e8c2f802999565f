/**
 * STS GetCallerIdentity over the real wire, against moto: the account the CLI acts for when AWS_ACCOUNT_ID is unset
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStsClient } from '../../lib/aws/clients'
import { createStsAdapter } from '../../lib/aws/sts'
import { openMotoAccount } from '../support/moto-account'
import { startMoto, type Moto } from '../support/moto'

let moto: Moto
beforeAll(async () => {
  moto = await startMoto()
})
afterAll(async () => {
  await moto?.stop()
})

describe('callerIdentity', () => {
  it("returns the account and partition of the credentials' principal", async () => {
    const account = await openMotoAccount(moto.endpoint)
    const client = createStsClient({
      env: { AWS_ENDPOINT_URL_STS: moto.endpoint },
      region: 'us-east-1',
      credentials: {
        accessKeyId: account.accessKeyId,
        secretAccessKey: account.secretAccessKey,
        sessionToken: account.sessionToken,
      },
    })
    expect(await createStsAdapter(client).callerIdentity()).toEqual({ accountId: account.accountId, partition: 'aws' })
  })
})
