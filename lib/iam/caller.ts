/**
 * Who makes a request: a role's session, an IAM user, an AWS service principal, or an anonymous caller. It decides
 * which policy types apply and how a resource policy's Principal matches.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */

export const CallerType = {
  /** a session of a role whose session name is not known (a role ARN, or "a role in the resource's account") */
  role: 'role',
  /** an assumed-role session: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  session: 'session',
  user: 'user',
  service: 'service',
  anonymous: 'anonymous',
} as const
export type CallerType = (typeof CallerType)[keyof typeof CallerType]

export type Caller = {
  readonly type: CallerType
  /** the ARN (role, session, user) or the service principal; undefined for anonymous and an unnamed role */
  readonly id: string | undefined
  readonly account: string | undefined
  readonly partition: string
  /** `partition:account:role-name` of a role or a session's role, to match role ARN principals */
  readonly roleKey: string | undefined
  /** a service-linked role (path /aws-service-role/), or a session of one */
  readonly serviceLinked: boolean
  /** what AWS puts in aws:PrincipalArn: the role ARN for a role or its sessions, the user ARN */
  readonly principalArn: string | undefined
}

const ROLE = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/((?:[^/]+\/)*)([^/]+)$/
const SESSION = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/
const USER = /^arn:(aws[a-z-]*):iam::(\d{12}):user\/(?:[^/]+\/)*[^/]+$/
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$/
// Service-linked roles live under /aws-service-role/ (using-service-linked-roles.html); a session ARN has no path,
// so a session's role counts as service-linked by the name every service-linked role starts with.
const SLR_PATH = 'aws-service-role/'
const SLR_NAME = 'AWSServiceRoleFor'

/** A caller from its text form (role, assumed-role or user ARN, service principal, "anonymous"); undefined if none. */
export function parseCaller(text: string): Caller | undefined {
  if (text === 'anonymous') return anonymousCaller
  if (SERVICE.test(text.toLowerCase())) {
    return { ...none, type: CallerType.service, id: text.toLowerCase() }
  }
  const role = ROLE.exec(text)
  if (role !== null) {
    const [, partition, account, path, name] = role as unknown as [string, string, string, string, string]
    return {
      type: CallerType.role,
      id: text,
      account,
      partition,
      roleKey: `${partition}:${account}:${name}`,
      serviceLinked: path.startsWith(SLR_PATH),
      principalArn: text,
    }
  }
  const session = SESSION.exec(text)
  if (session !== null) {
    const [, partition, account, name] = session as unknown as [string, string, string, string]
    return {
      type: CallerType.session,
      id: text,
      account,
      partition,
      roleKey: `${partition}:${account}:${name}`,
      serviceLinked: name.startsWith(SLR_NAME),
      // the session ARN carries no path: aws:PrincipalArn is the role ARN without it
      principalArn: `arn:${partition}:iam::${account}:role/${name}`,
    }
  }
  const user = USER.exec(text)
  if (user !== null) {
    return { ...none, type: CallerType.user, id: text, account: user[2]!, partition: user[1]!, principalArn: text }
  }
  return undefined
}

/** The default caller: a session of some role in `account` (undefined: the resource's account, not known). */
export function roleInAccount(account: string | undefined): Caller {
  return {
    type: CallerType.role,
    id: undefined,
    account,
    partition: 'aws',
    roleKey: undefined,
    serviceLinked: false,
    principalArn: undefined,
  }
}

/** Role sessions and users are IAM principals: identity-based policies, boundaries and SCPs apply to them. */
export function isIamPrincipal(caller: Caller): boolean {
  return caller.type === CallerType.role || caller.type === CallerType.session || caller.type === CallerType.user
}

const none = {
  id: undefined,
  account: undefined,
  partition: 'aws',
  roleKey: undefined,
  serviceLinked: false,
  principalArn: undefined,
} as const
const anonymousCaller: Caller = { ...none, type: CallerType.anonymous }
