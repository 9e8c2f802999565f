/**
 * An AWS account of its own on a (possibly shared) moto server. moto maps the credentials sts:AssumeRole hands out
 * to the account in the role ARN, so every call signed with them lands in that account
 * (https://docs.getmoto.org/en/latest/docs/multi_account.html). Each world gets one: test files sharing CI's moto
 * never see each other's roles, and account-wide listings stay small (moto's ListEntitiesForPolicy only looks at
 * the first 100 roles of the account).
 */
import { randomInt } from 'node:crypto'

export type MotoAccount = { accountId: string; accessKeyId: string; secretAccessKey: string; sessionToken: string }

/** A fresh random account (or `account`, e.g. one an organization created), and credentials that act in it. */
export async function openMotoAccount(endpoint: string, account?: string): Promise<MotoAccount> {
  // Not moto's default account (123456789012), which other suites use.
  const accountId = account ?? `3${String(randomInt(0, 1e11)).padStart(11, '0')}`
  const body = new URLSearchParams({
    Action: 'AssumeRole',
    Version: '2011-06-15',
    RoleArn: `arn:aws:iam::${accountId}:role/mwaa-role-guard-integration`,
    RoleSessionName: 'world',
  })
  // STS's query protocol; moto routes by the credential scope and does not check the signature.
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body,
  })
  const xml = await response.text()
  if (!response.ok) throw new Error(`sts:AssumeRole on moto answered ${response.status}: ${xml.slice(0, 300)}`)
  const field = (name: string) => {
    const value = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1]
    if (!value) throw new Error(`sts:AssumeRole on moto: no ${name} in ${xml.slice(0, 300)}`)
    return value
  }
  return {
    accountId,
    accessKeyId: field('AccessKeyId'),
    secretAccessKey: field('SecretAccessKey'),
    sessionToken: field('SessionToken'),
  }
}
