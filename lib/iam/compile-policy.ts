/**
 * Validates a policy document and precompiles it once: lowercased action globs, resource globs or
 * variable templates, parsed conditions, principals, and statements bucketed by service prefix.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { compileCondition, type CompiledCondition } from './compile-condition'
import { isPlainObject } from './json'
import { PolicyParseError } from './errors'
import { encodeWildcards, Glob } from './glob'
import { compilePrincipal, type CompiledPrincipal } from './principal'
import { GRAMMARS, KIND_NAMES } from './policy-grammar'
import type { PolicyKind, StatementRef } from './types'
import { bucketByService, servicesOf } from './service-buckets'
import { parseText, type Template } from './variables'

export const ResourceMode = { any: 0, resource: 1, notResource: 2 } as const
export type ResourceMode = (typeof ResourceMode)[keyof typeof ResourceMode]

export type CompiledStatement = {
  readonly ref: StatementRef
  readonly allow: boolean
  readonly notAction: boolean
  /** lowercased: actions are not case-sensitive (reference_policies_elements_action.html) */
  readonly actions: readonly Glob[]
  readonly resourceMode: ResourceMode
  readonly resources: readonly (Glob | Template)[]
  readonly principal: CompiledPrincipal | null
  readonly notPrincipal: boolean
  readonly conditions: readonly CompiledCondition[]
  /** service prefixes the actions are limited to; undefined when any service may match */
  readonly services: ReadonlySet<string> | undefined
}

export type CompiledPolicy = {
  readonly name: string
  readonly kind: PolicyKind
  readonly version: '2012-10-17' | '2008-10-17'
  readonly statements: CompiledStatement[]
  /** statements that can apply to a service prefix, in document order */
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>
  /** statements for a service no Action names (NotAction, wildcard service prefixes) */
  readonly anyService: readonly CompiledStatement[]
}

const TOP_KEYS = new Set(['Version', 'Id', 'Statement'])
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
])
/** Validates and precompiles a policy document once (throws PolicyParseError naming the field). */
export function compilePolicy(doc: unknown, name: string, kind: PolicyKind): CompiledPolicy {
  if (!Object.hasOwn(GRAMMARS, kind)) throw new PolicyParseError(`unknown policy kind "${String(kind)}"`, '')
  const root = typeof doc === 'string' ? parseJson(doc) : doc
  if (!isPlainObject(root)) throw new PolicyParseError('a policy document must be a JSON object', '')
  for (const key of Object.keys(root)) {
    if (!TOP_KEYS.has(key)) throw new PolicyParseError(`unknown policy element "${key}"`, key)
  }
  const v = root.Version
  // without Version the language is 2008-10-17: no policy variables (reference_policies_elements_version.html)
  if (v !== undefined && v !== '2012-10-17' && v !== '2008-10-17') {
    throw new PolicyParseError('Version must be "2012-10-17" or "2008-10-17"', 'Version')
  }
  if (GRAMMARS[kind].version2012 && v !== '2012-10-17') {
    throw new PolicyParseError(`${KIND_NAMES[kind]} policy must say "Version": "2012-10-17"`, 'Version')
  }
  if (root.Id !== undefined && typeof root.Id !== 'string') throw new PolicyParseError('must be a string', 'Id')
  const version = v === '2012-10-17' ? '2012-10-17' : '2008-10-17'
  const raw = root.Statement
  if (raw === undefined) throw new PolicyParseError('a policy needs a Statement', 'Statement')
  const list = Array.isArray(raw) ? raw : [raw]
  const statements = list.map((s, i) =>
    compileStatement(s, Array.isArray(raw) ? `Statement[${i}]` : 'Statement', i, name, kind, version === '2012-10-17'),
  )
  return { name, kind, version, statements, ...bucketByService(statements) }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new PolicyParseError('not valid JSON', '', { cause })
  }
}

function compileStatement(
  s: unknown,
  sp: string,
  index: number,
  name: string,
  kind: PolicyKind,
  variables: boolean,
): CompiledStatement {
  if (!isPlainObject(s)) throw new PolicyParseError('a statement must be an object', sp)
  for (const key of Object.keys(s)) {
    if (!STATEMENT_KEYS.has(key)) throw new PolicyParseError(`unknown statement element "${key}"`, `${sp}.${key}`)
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    // Effect is case sensitive (reference_policies_elements_effect.html)
    throw new PolicyParseError('Effect must be "Allow" or "Deny"', `${sp}.Effect`)
  }
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyParseError('must be a string', `${sp}.Sid`)
  const allow = s.Effect === 'Allow'
  const action = exactlyOne(s, 'Action', 'NotAction', sp, true)
  const grammar = GRAMMARS[kind]
  if (!grammar.notAction && s.NotAction !== undefined) {
    throw new PolicyParseError(`NotAction is not allowed in ${KIND_NAMES[kind]} policy`, `${sp}.NotAction`)
  }
  const resource = exactlyOne(s, 'Resource', 'NotResource', sp, grammar.resourceRequired)
  const principal = principalOf(s, sp, kind, allow)
  const actionTexts = strings(s[action!], `${sp}.${action}`)
  const actions = actionTexts.map(({ text, path }) => {
    if (text !== '*' && text.indexOf(':') < 0) throw new PolicyParseError('an action is "service:name" or "*"', path)
    return new Glob(encodeWildcards(text.toLowerCase()))
  })
  const resources =
    resource === undefined
      ? []
      : strings(s[resource], `${sp}.${resource}`).map(({ text }) => {
          const t = parseText(text, variables, true)
          return typeof t === 'string' ? new Glob(t) : t
        })
  const ref: StatementRef = { policy: name, kind, index, effect: allow ? 'Allow' : 'Deny' }
  if (typeof s.Sid === 'string') ref.sid = s.Sid
  return {
    ref: Object.freeze(ref),
    allow,
    notAction: action === 'NotAction',
    actions,
    resourceMode:
      resource === undefined
        ? ResourceMode.any
        : resource === 'Resource'
          ? ResourceMode.resource
          : ResourceMode.notResource,
    resources,
    principal: principal?.compiled ?? null,
    notPrincipal: principal?.not ?? false,
    conditions: s.Condition === undefined ? [] : compileCondition(s.Condition, `${sp}.Condition`, variables),
    services: action === 'NotAction' ? undefined : servicesOf(actionTexts.map((a) => a.text)),
  }
}

/** Which of the two mutually exclusive elements is present; `required` demands one. */
function exactlyOne(
  s: Record<string, unknown>,
  a: string,
  notA: string,
  sp: string,
  required: boolean,
): string | undefined {
  const hasA = s[a] !== undefined
  const hasNot = s[notA] !== undefined
  if (hasA && hasNot) throw new PolicyParseError(`a statement cannot have both ${a} and ${notA}`, `${sp}.${notA}`)
  if (!hasA && !hasNot) {
    if (required) throw new PolicyParseError(`a statement needs ${a} or ${notA}`, `${sp}.${a}`)
    return undefined
  }
  return hasA ? a : notA
}

function principalOf(s: Record<string, unknown>, sp: string, kind: PolicyKind, allow: boolean) {
  const which = exactlyOne(s, 'Principal', 'NotPrincipal', sp, false)
  const grammar = GRAMMARS[kind].principal
  if (grammar === 'none') {
    // identity-based policies (and boundaries, session policies, SCPs) never name a principal
    if (which !== undefined) {
      throw new PolicyParseError(`${which} is not allowed in ${KIND_NAMES[kind]} policy`, `${sp}.${which}`)
    }
    return undefined
  }
  if (which === undefined) {
    throw new PolicyParseError(
      `${KIND_NAMES[kind]} policy statement needs Principal or NotPrincipal`,
      `${sp}.Principal`,
    )
  }
  if (grammar === 'star' && (which !== 'Principal' || s.Principal !== '*')) {
    throw new PolicyParseError(`${KIND_NAMES[kind]} policy only takes "Principal": "*"`, `${sp}.${which}`)
  }
  // NotPrincipal only works with Deny (reference_policies_elements_notprincipal.html)
  if (which === 'NotPrincipal' && allow)
    throw new PolicyParseError('NotPrincipal must be used with "Effect": "Deny"', `${sp}.NotPrincipal`)
  return { compiled: compilePrincipal(s[which], `${sp}.${which}`), not: which === 'NotPrincipal' }
}

function strings(v: unknown, path: string): Array<{ text: string; path: string }> {
  if (typeof v === 'string') return [{ text: v, path }]
  if (!Array.isArray(v)) throw new PolicyParseError('must be a string or an array of strings', path)
  return v.map((text, i) => {
    if (typeof text !== 'string') throw new PolicyParseError('must be a string', `${path}[${i}]`)
    return { text, path: `${path}[${i}]` }
  })
}
