/** Semantic checks of one extras statement: Allow only, known actions, ARN resources, supported conditions. */
import type { Catalogue } from '../catalogue/types'
import type { PolicyStatement } from '../iam/types'
import { formatPath } from '../input-error'
import { ExtrasParseError } from './errors'
import type { ExtraStatement } from './extras-file'
import { GENERATED_SID, RESERVED_SIDS } from './sids'

/** Placeholders a resource or condition value may use; filled per environment by deriveBaseline. */
export const PLACEHOLDERS = ['${Partition}', '${Region}', '${Account}', '${EnvironmentName}'] as const
const SUPPORTED_OPERATORS = ['StringEquals', 'StringLike']
const ACTION = /^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/
const ARN = /^arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S+$/

type RawStatement = {
  Sid?: string
  Effect: string
  Action: string | string[]
  Resource: string | string[]
  Condition?: Record<string, Record<string, string | number | boolean | Array<string | number | boolean>>>
}
type Where = { source: string; path: Array<string | number>; catalogue: Catalogue; defaultSid: string }

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v])

function fail(where: Where, field: Array<string | number>, problem: string): never {
  throw new ExtrasParseError(where.source, formatPath([...where.path, ...field]), problem)
}

function checkAction(action: string, field: Array<string | number>, where: Where): string[] {
  const { catalogue } = where
  if (action === '*') fail(where, field, '"*" (every action) is not supported: name the actions your DAGs need')
  if (!ACTION.test(action)) fail(where, field, `expected SERVICE:Action, got "${action}"`)
  if (/[*?]/.test(action)) {
    const actions = catalogue.expand(action)
    if (actions.length === 0) fail(where, field, `"${action}" matches no action in the IAM catalogue`)
    return actions
  }
  const canonical = catalogue.canonical(action)
  if (canonical) return [canonical]
  const suggestion = catalogue.suggest(action)
  const hint = suggestion ? ` (did you mean ${suggestion}?)` : ''
  const service = action.slice(0, action.indexOf(':')).toLowerCase()
  if (!catalogue.services().includes(service)) fail(where, field, `unknown service "${service}" in "${action}"${hint}`)
  return fail(where, field, `unknown action "${action}"${hint}`)
}

function checkPlaceholders(value: string, field: Array<string | number>, where: Where): void {
  for (const [placeholder] of value.matchAll(/\$\{[^}]*\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(placeholder)) {
      fail(where, field, `unknown placeholder "${placeholder}" (supported: ${PLACEHOLDERS.join(', ')})`)
    }
  }
}

function checkResource(resource: string, field: Array<string | number>, where: Where): void {
  checkPlaceholders(resource, field, where)
  if (resource !== '*' && !ARN.test(resource)) {
    fail(where, field, `expected "*" or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), got "${resource}"`)
  }
}

/** Validates one statement and returns it with its expanded actions; throws ExtrasParseError. */
export function validateStatement(raw: RawStatement, where: Where): ExtraStatement {
  if (raw.Effect === 'Deny') {
    fail(
      where,
      ['Effect'],
      'Deny is not supported: extras list what the role must allow (keep Deny statements in the role itself)',
    )
  }
  if (raw.Effect !== 'Allow') fail(where, ['Effect'], `expected "Allow", got "${raw.Effect}"`)
  if (raw.Sid !== undefined) {
    if (!/^[A-Za-z0-9]+$/.test(raw.Sid)) fail(where, ['Sid'], 'expected letters and digits only (IAM Sid)')
    if (RESERVED_SIDS.has(raw.Sid) || GENERATED_SID.test(raw.Sid))
      fail(where, ['Sid'], `"${raw.Sid}" is reserved for the baseline`)
  }
  const indexed = (key: string, value: string | string[], i: number) => (Array.isArray(value) ? [key, i] : [key])
  const patterns = list(raw.Action)
  const actions = new Set<string>()
  for (const [i, a] of patterns.entries()) {
    for (const x of checkAction(a, indexed('Action', raw.Action, i), where)) actions.add(x)
  }
  for (const [i, r] of list(raw.Resource).entries()) checkResource(r, indexed('Resource', raw.Resource, i), where)
  for (const [operator, block] of Object.entries(raw.Condition ?? {})) {
    if (!SUPPORTED_OPERATORS.includes(operator)) {
      fail(
        where,
        ['Condition', operator],
        `unsupported condition operator (supported: ${SUPPORTED_OPERATORS.join(', ')})`,
      )
    }
    for (const [key, value] of Object.entries(block)) {
      for (const v of Array.isArray(value) ? value : [value])
        checkPlaceholders(String(v), ['Condition', operator, key], where)
    }
  }
  const sid = raw.Sid ?? where.defaultSid
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: 'Allow',
    Action: patterns.map((p) => where.catalogue.canonical(p) ?? p),
    Resource: list(raw.Resource),
  }
  if (raw.Condition) statement.Condition = raw.Condition
  const field = formatPath(where.path)
  return { sid, field, origin: `${where.source}: ${field}`, actions: [...actions], statement }
}
