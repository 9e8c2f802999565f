/** Builds RequiredCheck rows with their stable id. */
import type { RequestContext } from '../iam/types'
import type { Feature, RequiredCheck } from './types'

/** `${action} ${resource}`, plus ` [k=v ...]` when the check carries request context. */
export function checkId(action: string, resource: string, context: RequestContext): string {
  const keys = Object.keys(context).sort()
  if (keys.length === 0) return `${action} ${resource}`
  const values = keys.map((k) => {
    const v = context[k]!
    return `${k}=${Array.isArray(v) ? v.join(',') : v}`
  })
  return `${action} ${resource} [${values.join(' ')}]`
}

export type CheckInput = {
  feature: Feature
  statement: string
  action: string
  resource: string
  context?: RequestContext
  note?: string
}

/** One check; `note` explains a representative resource to whoever reads a finding about it. */
export function check(input: CheckInput): RequiredCheck {
  const context = input.context ?? {}
  const row: RequiredCheck = {
    id: checkId(input.action, input.resource, context),
    feature: input.feature,
    statement: input.statement,
    action: input.action,
    resource: input.resource,
    context,
  }
  if (input.note) row.note = input.note
  return row
}
