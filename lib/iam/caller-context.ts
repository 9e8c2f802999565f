/**
 * The global condition keys AWS derives from the caller and the resource's account. The evaluator consults them when
 * the request's context does not set a key itself (key names are not case-sensitive).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { type Caller, CallerType } from './caller'
import type { ContextValue, RequestContext } from './types'

/** The keys AWS would put in the request context for this caller and resource account. */
export function callerContext(caller: Caller, resourceAccount: string | undefined): RequestContext {
  const keys: RequestContext = {}
  if (caller.type === CallerType.anonymous) {
    // aws:PrincipalAccount is "anonymous" and aws:PrincipalType "Anonymous" for anonymous requests
    keys['aws:PrincipalAccount'] = 'anonymous'
    keys['aws:PrincipalType'] = 'Anonymous'
  } else if (caller.type === CallerType.service) {
    keys['aws:PrincipalIsAWSService'] = 'true'
    if (caller.id !== undefined) keys['aws:PrincipalServiceName'] = caller.id
  } else {
    // signed requests of IAM principals; for a role's session aws:PrincipalArn is the role's ARN
    keys['aws:PrincipalIsAWSService'] = 'false'
    keys['aws:PrincipalType'] = caller.type === CallerType.user ? 'User' : 'AssumedRole'
    if (caller.account !== undefined) keys['aws:PrincipalAccount'] = caller.account
    if (caller.principalArn !== undefined) keys['aws:PrincipalArn'] = caller.principalArn
    if (caller.type === CallerType.user && caller.id !== undefined) {
      keys['aws:username'] = caller.id.slice(caller.id.lastIndexOf('/') + 1)
    }
  }
  if (resourceAccount !== undefined) keys['aws:ResourceAccount'] = resourceAccount
  return keys
}

const memo = new WeakMap<Caller, Map<string, ReadonlyMap<string, ContextValue>>>()

/** callerContext by lowercase key name, computed once per caller and resource account. */
export function callerKeys(caller: Caller, resourceAccount: string | undefined): ReadonlyMap<string, ContextValue> {
  let byAccount = memo.get(caller)
  if (byAccount === undefined) {
    byAccount = new Map()
    memo.set(caller, byAccount)
  }
  const account = resourceAccount ?? ''
  let keys = byAccount.get(account)
  if (keys === undefined) {
    const context = callerContext(caller, resourceAccount)
    keys = new Map(Object.keys(context).map((k) => [k.toLowerCase(), context[k]!]))
    byAccount.set(account, keys)
  }
  return keys
}
