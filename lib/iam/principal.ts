/**
 * Principal / NotPrincipal of resource-based policies (role trust policies).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import { type Caller, CallerType } from './caller'
import { isPlainObject } from './json'
import { PolicyParseError } from './errors'
import type { RequestPrincipal } from './types'

export type CompiledPrincipal = {
  /** "*" : every principal, anonymous included */
  readonly everyone: boolean
  /** {"AWS": "*"} : every AWS principal */
  readonly anyAws: boolean
  /** account IDs named by `123456789012` or `arn:aws:iam::123456789012:root` */
  readonly accounts: ReadonlySet<string>
  /** other AWS principals (user, role, session ARNs, unique IDs), compared exactly */
  readonly awsIds: ReadonlySet<string>
  /** `partition:account:role-name` of role ARNs, so the role's sessions match too */
  readonly roles: ReadonlySet<string>
  readonly services: ReadonlySet<string>
  readonly federated: ReadonlySet<string>
  readonly canonical: ReadonlySet<string>
}

const ACCOUNT_ID = /^\d{12}$/
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/
const SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/
const TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const

/** Validates and compiles a Principal or NotPrincipal value. */
export function compilePrincipal(value: unknown, path: string): CompiledPrincipal {
  const p = {
    everyone: false,
    anyAws: false,
    accounts: new Set<string>(),
    awsIds: new Set<string>(),
    roles: new Set<string>(),
    services: new Set<string>(),
    federated: new Set<string>(),
    canonical: new Set<string>(),
  }
  if (value === '*') return { ...p, everyone: true }
  if (!isPlainObject(value)) throw new PolicyParseError('must be "*" or an object of principal types', path)
  for (const [type, raw] of Object.entries(value)) {
    if (!(TYPES as readonly string[]).includes(type)) {
      throw new PolicyParseError(
        `unknown principal type "${type}" (AWS, Service, Federated, CanonicalUser)`,
        `${path}.${type}`,
      )
    }
    const ids = Array.isArray(raw) ? raw : [raw]
    ids.forEach((id, i) => {
      const at = Array.isArray(raw) ? `${path}.${type}[${i}]` : `${path}.${type}`
      if (typeof id !== 'string') throw new PolicyParseError('a principal must be a string', at)
      if (type === 'AWS') addAws(p, id)
      else if (type === 'Service') p.services.add(id.toLowerCase())
      else if (type === 'Federated') p.federated.add(id)
      else p.canonical.add(id)
    })
  }
  return p
}

function addAws(
  p: { anyAws: boolean; accounts: Set<string>; awsIds: Set<string>; roles: Set<string> },
  id: string,
): void {
  // a wildcard only means "everyone"; it never matches part of an ARN
  if (id === '*') {
    p.anyAws = true
    return
  }
  if (ACCOUNT_ID.test(id)) {
    p.accounts.add(id)
    return
  }
  const root = ROOT_ARN.exec(id)
  if (root !== null) {
    p.accounts.add(root[1]!)
    return
  }
  p.awsIds.add(id)
  const role = ROLE_ARN.exec(id)
  if (role !== null) p.roles.add(`${role[1]}:${role[2]}:${role[3]}`)
}

/** True when the request's principal is one the element names. No principal only matches "*". */
export function principalMatches(p: CompiledPrincipal, who: RequestPrincipal | undefined): boolean {
  if (p.everyone) return true
  if (who === undefined) return false
  switch (who.type.toLowerCase()) {
    case 'aws':
      return awsMatches(p, who.id)
    case 'service':
      return p.services.has(who.id.toLowerCase())
    case 'federated':
      return p.federated.has(who.id)
    case 'canonicaluser':
      return p.canonical.has(who.id)
    default:
      return false
  }
}

function awsMatches(p: CompiledPrincipal, id: string): boolean {
  if (p.anyAws || p.awsIds.has(id)) return true
  // an account principal delegates to every identity in the account, not only its root user
  const account = ACCOUNT_ID.test(id) ? id : id.startsWith('arn:') ? id.split(':')[4] : undefined
  if (account !== undefined && p.accounts.has(account)) return true
  // a role ARN also names the sessions of that role
  const session = SESSION_ARN.exec(id)
  return session !== null && p.roles.has(`${session[1]}:${session[2]}:${session[3]}`)
}

/**
 * How a Principal element names a caller, weakest first: not at all; by its account (which only delegates to the
 * account's identity-based policies); by its role's ARN (a grant limited by the role's boundary and session policy);
 * directly (its session or user ARN, "*", {"AWS": "*"}, its service principal).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
export const Match = { none: 0, account: 1, role: 2, direct: 3 } as const
export type Match = (typeof Match)[keyof typeof Match]

/** The strongest way the element names the caller. */
export function principalMatch(p: CompiledPrincipal, caller: Caller): Match {
  if (p.everyone) return Match.direct
  switch (caller.type) {
    case CallerType.anonymous:
      // for anonymous users "*" and {"AWS": "*"} are equivalent (reference_policies_elements_principal.html)
      return p.anyAws ? Match.direct : Match.none
    case CallerType.service:
      return caller.id !== undefined && p.services.has(caller.id) ? Match.direct : Match.none
    default:
      if (p.anyAws) return Match.direct
      if (caller.id !== undefined && p.awsIds.has(caller.id)) {
        return caller.type === CallerType.role ? Match.role : Match.direct
      }
      if (caller.roleKey !== undefined && p.roles.has(caller.roleKey)) return Match.role
      return caller.account !== undefined && p.accounts.has(caller.account) ? Match.account : Match.none
  }
}
