/**
 * What a heal may never write, whatever the extras say: an action of an identity service (IAM, STS, Organizations,
 * IAM Identity Center, Identity Store), an action whose access level is Permissions management in any service (it
 * changes who may do what: s3:PutBucketPolicy, kms:CreateGrant, lambda:AddPermission...), an action the shipped
 * catalogue does not know, or a wildcard resource. Extras that need them are checked and alerted, never healed.
 * Access levels: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import type { ActionLevels } from '../catalogue/action-levels'

export const IDENTITY_SERVICES: ReadonlySet<string> = new Set(['iam', 'sts', 'organizations', 'sso', 'identitystore'])

const PERMISSIONS_MANAGEMENT = 'Permissions management'

/** Why a heal never writes this action, or undefined when it may. */
export function actionNeverHealed(action: string, levels: ActionLevels): string | undefined {
  const service = action.slice(0, action.indexOf(':')).toLowerCase()
  if (IDENTITY_SERVICES.has(service)) return `${action} is an action of an identity service (${service})`
  const level = levels.level(action)
  if (level === undefined)
    return `${action} is not in the IAM catalogue this function ships (iam-data ${levels.version})`
  if (level.includes(PERMISSIONS_MANAGEMENT)) return `${action} has the access level ${PERMISSIONS_MANAGEMENT}`
  return undefined
}

/**
 * Why a heal never writes this resource, or undefined when it may: `*`, and an ARN whose partition, service, Region or
 * account holds a wildcard, or whose resource part is nothing but wildcards (every resource of the service).
 */
export function resourceNeverHealed(resource: string): string | undefined {
  if (resource === '*') return 'the resource is "*"'
  const parts = resource.split(':')
  if (parts.length < 6 || parts[0] !== 'arn') return `${resource} is not an ARN`
  if (parts.slice(1, 5).some((p) => /[*?]/.test(p)))
    return `${resource} has a wildcard in its partition, service, Region or account`
  if (/^[*?/:]*$/.test(parts.slice(5).join(':'))) return `${resource} names every resource of the service`
  if (resource.includes('${')) return `${resource} holds a policy variable`
  return undefined
}

/** Why a heal never writes this (action, resource) pair of an extras statement, or undefined when it may. */
export function extraNeverHealed(action: string, resource: string, levels: ActionLevels): string | undefined {
  return actionNeverHealed(action, levels) ?? resourceNeverHealed(resource)
}
