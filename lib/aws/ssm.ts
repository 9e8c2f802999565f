/** The SSM adapter: reads a parameter (the Slack webhook URL, compiled extras) and keeps it for a few minutes. */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm'
import { TtlCache, type Clock } from './ttl-cache'

export type SsmAdapter = {
  /** The value of a String parameter, or the decrypted value of a SecureString one (cached for ttlMs). */
  getParameter(name: string): Promise<string>
}

/** Builds the SSM adapter; a TTL (default 5 min) lets a rotated secret or new extras take effect without a deploy. */
export function createSsmAdapter(client: SSMClient, options: { clock: Clock; ttlMs?: number }): SsmAdapter {
  const cache = new TtlCache<string>(options.ttlMs ?? 300_000, options.clock)
  return {
    getParameter: (name) =>
      cache.get(name, async () => {
        // WithDecryption: without it a SecureString comes back as KMS ciphertext; a String ignores it
        // (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html).
        const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
        const value = out.Parameter?.Value
        if (value === undefined) throw new Error(`SSM parameter ${name} has no value`)
        return value
      }),
  }
}
