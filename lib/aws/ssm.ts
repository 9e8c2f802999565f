/** The SSM adapter: reads a parameter (the Slack webhook URL, compiled extras) and keeps it for a few minutes. */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm'
import { TtlCache, type Clock } from './ttl-cache'

/** A parameter's value (decrypted for a SecureString) and its Type: String, StringList or SecureString. */
export type SsmParameter = { value: string; type: string }

export type SsmAdapter = {
  /** The parameter's value and Type (cached for ttlMs): callers that need a SecureString check the Type. */
  getParameter(name: string): Promise<SsmParameter>
}

/** Builds the SSM adapter; a TTL (default 5 min) lets a rotated secret or new extras take effect without a deploy. */
export function createSsmAdapter(client: SSMClient, options: { clock: Clock; ttlMs?: number }): SsmAdapter {
  const cache = new TtlCache<SsmParameter>(options.ttlMs ?? 300_000, options.clock)
  return {
    getParameter: (name) =>
      cache.get(name, async (): Promise<SsmParameter> => {
        // WithDecryption: without it a SecureString comes back as KMS ciphertext; a String ignores it
        // (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html).
        const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
        const value = out.Parameter?.Value
        if (value === undefined) throw new Error(`SSM parameter ${name} has no value`)
        return { value, type: out.Parameter?.Type ?? 'unknown' }
      }),
  }
}
