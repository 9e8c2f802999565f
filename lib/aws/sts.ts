/**
 * The STS adapter: who the credentials belong to, for a deployment that was not told its account (AWS_ACCOUNT_ID
 * unset: the CLI's `handle` and `check --env`). GetCallerIdentity needs no permission
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'

export type CallerIdentity = { accountId: string; partition: string }

export type StsAdapter = { callerIdentity(): Promise<CallerIdentity> }

/** Builds the STS adapter over a client from `createStsClient`. */
export function createStsAdapter(client: STSClient): StsAdapter {
  return {
    async callerIdentity() {
      const out = await client.send(new GetCallerIdentityCommand({}))
      const partition = out.Arn?.split(':')[1]
      if (!out.Account || !/^\d{12}$/.test(out.Account) || !partition)
        throw new Error(`STS GetCallerIdentity returned no account (Account ${out.Account}, Arn ${out.Arn})`)
      return { accountId: out.Account, partition }
    },
  }
}
