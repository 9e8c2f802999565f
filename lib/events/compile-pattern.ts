/**
 * Validates an EventBridge event pattern and compiles it into matchers.
 * Syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * Operators: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import { type CidrBlock, parseCidr } from './cidr'
import { compileWildcard } from './wildcard'

export class EventPatternError extends Error {
  override name = 'EventPatternError'
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path || '(top level)'}: ${problem}`, options)
  }
}

export type Scalar = string | number | boolean | null

/** What an anything-but excludes: literal values, or strings by prefix / suffix / case / wildcard. */
export type Exclusion =
  | { kind: 'values'; values: Array<string | number> }
  | { kind: 'prefix' | 'suffix'; value: string }
  | { kind: 'equals-ignore-case'; values: string[] }
  | { kind: 'wildcard'; patterns: RegExp[] }

export type Matcher =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; pattern: RegExp }
  | { kind: 'anything-but'; exclude: Exclusion }
  | { kind: 'numeric'; bounds: Array<{ op: NumericOp; value: number }> }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; block: CidrBlock }

export type NumericOp = '=' | '<' | '<=' | '>' | '>='

export type CompiledPattern = {
  /** every field must match (AND); a field is either a list of matchers (OR) or a nested pattern */
  fields: Array<{ key: string; match: Matcher[] | CompiledPattern }>
  /** each `$or` group needs one of its alternatives to match */
  ors: CompiledPattern[][]
}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr']

/** Validates `pattern` and compiles it; throws EventPatternError naming the offending path. */
export function compilePattern(pattern: unknown): CompiledPattern {
  if (!isObject(pattern)) throw new EventPatternError('', 'an event pattern must be a JSON object')
  return compileObject(pattern, '')
}

function compileObject(pattern: Record<string, unknown>, path: string): CompiledPattern {
  const keys = Object.keys(pattern)
  if (keys.length === 0) throw new EventPatternError(path, 'empty objects are not allowed')
  const compiled: CompiledPattern = { fields: [], ors: [] }
  for (const key of keys) {
    const value = pattern[key]
    const at = path ? `${path}.${key}` : key
    if (key === '$or' && isOrGroup(value)) {
      if (value.length < 2) throw new EventPatternError(at, '$or needs at least two alternatives')
      compiled.ors.push(value.map((alt, i) => compileObject(alt, `${at}[${i}]`)))
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError(at, 'empty arrays are not allowed')
      compiled.fields.push({ key, match: value.map((v, i) => compileMatcher(v, `${at}[${i}]`)) })
    } else if (isObject(value)) {
      compiled.fields.push({ key, match: compileObject(value, at) })
    } else {
      throw new EventPatternError(at, `match values must be in an array, e.g. [${JSON.stringify(value)}]`)
    }
  }
  return compiled
}

/** `$or` is the OR primitive only for an array of objects that are not operators (else it is a field name). */
function isOrGroup(value: unknown): value is Array<Record<string, unknown>> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => isObject(v) && !Object.keys(v).some((k) => OPERATORS.includes(k)))
  )
}

function compileMatcher(value: unknown, path: string): Matcher {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return { kind: 'exact', value: value as Scalar }
  }
  if (!isObject(value)) throw new EventPatternError(path, 'expected a string, number, boolean, null or operator object')
  const keys = Object.keys(value)
  const [op] = keys
  if (keys.length !== 1 || op === undefined) {
    throw new EventPatternError(path, `an operator object has exactly one key, got ${JSON.stringify(keys)}`)
  }
  const operand = value[op]
  const at = `${path}.${op}`
  switch (op) {
    case 'prefix':
    case 'suffix':
      return compileAffix(op, operand, at)
    case 'equals-ignore-case':
      return { kind: op, value: requireString(operand, at) }
    case 'wildcard':
      return { kind: op, pattern: requireWildcard(operand, at) }
    case 'anything-but':
      return { kind: op, exclude: compileExclusion(operand, at) }
    case 'numeric':
      return { kind: op, bounds: compileNumeric(operand, at) }
    case 'exists':
      if (typeof operand !== 'boolean') throw new EventPatternError(at, 'exists must be true or false (a JSON boolean)')
      return { kind: op, value: operand }
    case 'cidr': {
      const block = parseCidr(requireString(operand, at))
      if (typeof block === 'string') throw new EventPatternError(at, block)
      return { kind: op, block }
    }
    default:
      throw new EventPatternError(path, `unknown operator '${op}' (expected one of ${OPERATORS.join(', ')})`)
  }
}

function compileAffix(op: 'prefix' | 'suffix', operand: unknown, at: string): Matcher {
  if (isObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    return {
      kind: op,
      value: requireString(operand['equals-ignore-case'], `${at}.equals-ignore-case`),
      ignoreCase: true,
    }
  }
  return { kind: op, value: requireString(operand, at), ignoreCase: false }
}

function compileExclusion(operand: unknown, at: string): Exclusion {
  if (typeof operand === 'string' || typeof operand === 'number') return { kind: 'values', values: [operand] }
  if (Array.isArray(operand)) {
    const allStrings = operand.every((v) => typeof v === 'string')
    const allNumbers = operand.every((v) => typeof v === 'number')
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new EventPatternError(at, 'anything-but lists must be non-empty and contain only strings or only numbers')
    }
    return { kind: 'values', values: operand as Array<string | number> }
  }
  if (isObject(operand) && Object.keys(operand).length === 1) {
    const [op] = Object.keys(operand) as [string]
    const inner = operand[op]
    const innerAt = `${at}.${op}`
    // The doc: anything-but "only works with a single prefix, not a list" (same for suffix).
    if (op === 'prefix' || op === 'suffix') return { kind: op, value: requireString(inner, innerAt) }
    if (op === 'equals-ignore-case') return { kind: op, values: requireStrings(inner, innerAt) }
    if (op === 'wildcard')
      return { kind: op, patterns: requireStrings(inner, innerAt).map((w) => requireWildcard(w, innerAt)) }
  }
  throw new EventPatternError(
    at,
    'anything-but takes a string, a number, a list of either, or one of {prefix|suffix|equals-ignore-case|wildcard}',
  )
}

const LOWER: readonly NumericOp[] = ['>', '>=']
const UPPER: readonly NumericOp[] = ['<', '<=']

function compileNumeric(operand: unknown, at: string): Array<{ op: NumericOp; value: number }> {
  const shape = 'numeric takes [op, number] or [lower-op, number, upper-op, number]'
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) throw new EventPatternError(at, shape)
  const bounds: Array<{ op: NumericOp; value: number }> = []
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i]
    const value = operand[i + 1]
    if (!['=', ...LOWER, ...UPPER].includes(op) || typeof value !== 'number' || !Number.isFinite(value)) {
      throw new EventPatternError(at, shape)
    }
    bounds.push({ op: op as NumericOp, value })
  }
  const [low, high] = bounds
  if (high && low && !(LOWER.includes(low.op) && UPPER.includes(high.op) && low.value < high.value)) {
    throw new EventPatternError(at, 'a numeric range is [">" or ">=", low, "<" or "<=", high] with low < high')
  }
  return bounds
}

function requireString(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new EventPatternError(at, 'expected a string')
  return value
}

function requireStrings(value: unknown, at: string): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value
  throw new EventPatternError(at, 'expected a string or a non-empty list of strings')
}

function requireWildcard(value: unknown, at: string): RegExp {
  const compiled = compileWildcard(requireString(value, at))
  if (typeof compiled === 'string') throw new EventPatternError(at, compiled)
  return compiled
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
