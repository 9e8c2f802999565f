/**
 * Recognises the remediator's own calls, so their follow-up events can be skipped (a second pass would find
 * nothing to do anyway: this only saves work and noise).
 * An AssumedRole caller's ARN is `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, without the role's path, while
 * sessionContext.sessionIssuer.arn is the role's IAM ARN with its path
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 * Role names are unique per account regardless of case, so roles are compared by account and lower-cased name.
 */
import type { ParsedEvent } from './parse-event'

type RoleKey = { account: string; name: string }

/** True when the call was made by a session of one of `ownRoleArns` (IAM role ARNs, or assumed-role ARNs). */
export function isOwnCall(event: ParsedEvent, ownRoleArns: readonly string[]): boolean {
  const { identity } = event
  if (identity.type !== 'AssumedRole') return false
  const caller = roleKey(identity.sessionIssuerArn) ?? roleKey(identity.arn)
  if (!caller) return false
  return ownRoleArns.some((arn) => {
    const own = roleKey(arn)
    return own !== undefined && own.account === caller.account && own.name === caller.name
  })
}

/** Account and role name from `arn:P:iam::A:role/path/NAME` or `arn:P:sts::A:assumed-role/NAME/SESSION`. */
function roleKey(arn: string | undefined): RoleKey | undefined {
  const parts = arn?.split(':')
  if (!parts || parts.length < 6 || parts[0] !== 'arn') return undefined
  const [, , service, , account, ...rest] = parts
  const resource = rest.join(':').split('/')
  let name: string | undefined
  if (service === 'iam' && resource[0] === 'role') name = resource.at(-1)
  if (service === 'sts' && resource[0] === 'assumed-role') name = resource[1]
  return name && account ? { account, name: name.toLowerCase() } : undefined
}
