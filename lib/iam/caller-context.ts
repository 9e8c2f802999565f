/**
 * The global condition keys AWS derives from the caller and the resource, added to a request's context when the
 * caller is known and the context does not set them already (context key names are not case-sensitive).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { type Caller, CallerType } from './caller'
import type { RequestContext } from './types'

/** The request's context plus the keys AWS would put there for this caller and resource account. */
export function withCallerContext(
  given: RequestContext | undefined,
  caller: Caller,
  resourceAccount: string | undefined,
): RequestContext {
  const derived: RequestContext = {}
  if (caller.type === CallerType.anonymous) {
    // aws:PrincipalAccount is "anonymous" and aws:PrincipalType "Anonymous" for anonymous requests
    derived['aws:PrincipalAccount'] = 'anonymous'
    derived['aws:PrincipalType'] = 'Anonymous'
  } else if (caller.type === CallerType.service) {
    derived['aws:PrincipalIsAWSService'] = 'true'
    if (caller.id !== undefined) derived['aws:PrincipalServiceName'] = caller.id
  } else {
    // signed requests of IAM principals; for a role's session aws:PrincipalArn is the role's ARN
    derived['aws:PrincipalIsAWSService'] = 'false'
    derived['aws:PrincipalType'] = caller.type === CallerType.user ? 'User' : 'AssumedRole'
    if (caller.account !== undefined) derived['aws:PrincipalAccount'] = caller.account
    if (caller.principalArn !== undefined) derived['aws:PrincipalArn'] = caller.principalArn
    if (caller.type === CallerType.user && caller.id !== undefined) {
      derived['aws:username'] = caller.id.slice(caller.id.lastIndexOf('/') + 1)
    }
  }
  if (resourceAccount !== undefined) derived['aws:ResourceAccount'] = resourceAccount
  if (given === undefined) return derived
  const present = new Set(Object.keys(given).map((k) => k.toLowerCase()))
  const out: RequestContext = { ...given }
  for (const [key, value] of Object.entries(derived)) if (!present.has(key.toLowerCase())) out[key] = value
  return out
}
