/**
 * STS for the CLI: a run outside the stack may not be told its account (AWS_ACCOUNT_ID unset); it asks STS whose the
 * credentials are. Apart from wireDeps so the functions' bundles carry no STS client.
 */
import { createStsClient, credentialsFromEnv, type AwsEnv } from '../aws/clients'
import type { ApiCallCounter } from '../aws/call-counter'
import { createStsAdapter, type StsAdapter } from '../aws/sts'
import { regionFromEnv } from '../region'

/** A factory of the STS adapter over the environment's credentials (built only if asked). */
export function stsFor(env: AwsEnv, options: { counter?: ApiCallCounter } = {}): () => StsAdapter {
  return () =>
    createStsAdapter(
      createStsClient({
        env,
        counter: options.counter,
        credentials: credentialsFromEnv(env),
        region: regionFromEnv(env),
      }),
    )
}
