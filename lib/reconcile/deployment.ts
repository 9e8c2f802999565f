/**
 * The deployment this process reconciles for (partition, account, watched regions), resolved once per process:
 * AWS_ACCOUNT_ID (the stack sets it to AWS::AccountId), else the account of the credentials (STS GetCallerIdentity,
 * for the CLI run outside the stack). Nothing from an event or a description is trusted until compared with it.
 */
import { type Deployment, partitionOfRegion } from '../baseline/deployment'
import type { StsAdapter } from '../aws/sts'
import type { Config } from '../config'

/** A memoised resolver; `sts` is built only when AWS_ACCOUNT_ID is unset. A failed look-up is retried next time. */
export function deploymentResolver(
  config: Pick<Config, 'accountId' | 'region' | 'mwaaRegions'>,
  sts: () => StsAdapter,
): () => Promise<Deployment> {
  let resolved: Promise<Deployment> | undefined
  return () => {
    resolved ??= resolve(config, sts).catch((error: unknown) => {
      resolved = undefined
      throw error
    })
    return resolved
  }
}

async function resolve(
  config: Pick<Config, 'accountId' | 'region' | 'mwaaRegions'>,
  sts: () => StsAdapter,
): Promise<Deployment> {
  const regions = [...config.mwaaRegions]
  if (config.accountId) return { partition: partitionOfRegion(config.region), accountId: config.accountId, regions }
  const identity = await sts().callerIdentity()
  return { partition: identity.partition, accountId: identity.accountId, regions }
}
