/**
 * The functions' stand-in for the SDK's default credential chain (lib/aws/lambda-credentials.ts): Lambda's runtime
 * sets the role's credentials as environment variables
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { defaultProvider } from '../../lib/aws/lambda-credentials'

const saved = { ...process.env }
afterEach(() => {
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    if (saved[key] === undefined) delete process.env[key]
    else process.env[key] = saved[key]
  }
})

describe('defaultProvider (Lambda bundles)', () => {
  it("resolves the role session's credentials from the environment, session token included", async () => {
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLEEXAMPLE00'
    process.env.AWS_SECRET_ACCESS_KEY = 'secret'
    process.env.AWS_SESSION_TOKEN = 'token'
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    })
  })

  it('fails, rather than looking elsewhere, when the environment has none', async () => {
    delete process.env.AWS_ACCESS_KEY_ID
    delete process.env.AWS_SECRET_ACCESS_KEY
    await expect(defaultProvider()()).rejects.toThrow()
  })
})
