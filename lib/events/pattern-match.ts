/**
 * EventBridge content filtering, evaluated locally so tests can prove our rule patterns (moto's
 * TestEventPattern is a stub). Semantics:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 *
 * A pattern is matched against the event's leaf values: a field whose value is an object (or an empty array)
 * has no leaf, so `exists: false` matches it ("exists matching only works on leaf nodes"). Arrays in the event
 * match when any element matches; objects inside an array are matched one element at a time.
 * Known gap: EventBridge compares numbers by their JSON text (300 and 300.0 differ); after JSON.parse they cannot.
 */
import { type CompiledPattern, compilePattern, type Exclusion, type Matcher, type Scalar } from './compile-pattern'
import { inCidr } from './cidr'

export { compilePattern, EventPatternError } from './compile-pattern'
export type { CompiledPattern } from './compile-pattern'

/** True when `event` matches the EventBridge `pattern` (validated first: an invalid pattern throws EventPatternError). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return matchesCompiled(compilePattern(pattern), event)
}

/** True when `event` matches an already compiled pattern. */
export function matchesCompiled(pattern: CompiledPattern, event: unknown): boolean {
  return matchNode(pattern, event)
}

function matchNode(pattern: CompiledPattern, node: unknown): boolean {
  if (Array.isArray(node)) {
    const objects = flatten(node).filter(isObject)
    // Each element is matched on its own, so two fields never match from different elements.
    return objects.length === 0 ? matchObject(pattern, undefined) : objects.some((o) => matchObject(pattern, o))
  }
  return matchObject(pattern, isObject(node) ? node : undefined)
}

function matchObject(pattern: CompiledPattern, object: Record<string, unknown> | undefined): boolean {
  for (const { key, match } of pattern.fields) {
    const child = object && Object.hasOwn(object, key) ? object[key] : undefined
    const ok = Array.isArray(match) ? matchLeaf(match, leafValues(child)) : matchNode(match, child)
    if (!ok) return false
  }
  return pattern.ors.every((alternatives) => alternatives.some((alt) => matchObject(alt, object)))
}

function matchLeaf(matchers: Matcher[], leaves: Scalar[]): boolean {
  return matchers.some((m) => {
    if (m.kind === 'exists') return m.value === leaves.length > 0
    // anything-but needs the field: a missing field has no value to be "anything but".
    if (m.kind === 'anything-but') return leaves.some((v) => !excludes(m.exclude, v))
    return leaves.some((v) => test(m, v))
  })
}

function test(m: Exclude<Matcher, { kind: 'exists' | 'anything-but' }>, v: Scalar): boolean {
  switch (m.kind) {
    case 'exact':
      return v === m.value
    case 'numeric':
      // Numeric matching "works with values that are JSON numbers": the string "5" is not 5.
      return typeof v === 'number' && m.bounds.every((b) => compare(v, b.op, b.value))
    case 'cidr':
      return typeof v === 'string' && inCidr(m.block, v)
  }
  if (typeof v !== 'string') return false // the string operators only apply to string values
  switch (m.kind) {
    case 'prefix':
      return m.ignoreCase ? fold(v).startsWith(fold(m.value)) : v.startsWith(m.value)
    case 'suffix':
      return m.ignoreCase ? fold(v).endsWith(fold(m.value)) : v.endsWith(m.value)
    case 'equals-ignore-case':
      return fold(v) === fold(m.value)
    case 'wildcard':
      return m.pattern.test(v)
  }
}

function excludes(e: Exclusion, v: Scalar): boolean {
  // null, booleans and (for string exclusions) numbers are never excluded, so they pass anything-but.
  if (e.kind === 'values') return e.values.includes(v as string | number)
  if (typeof v !== 'string') return false
  switch (e.kind) {
    case 'prefix':
      return v.startsWith(e.value)
    case 'suffix':
      return v.endsWith(e.value)
    case 'equals-ignore-case':
      return e.values.some((x) => fold(x) === fold(v))
    case 'wildcard':
      return e.patterns.some((p) => p.test(v))
  }
}

function compare(v: number, op: string, bound: number): boolean {
  if (op === '=') return v === bound
  if (op === '<') return v < bound
  if (op === '<=') return v <= bound
  if (op === '>') return v > bound
  return v >= bound
}

/** The scalar values at a field: none for a missing field, an object or an empty array; null is a value. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined) return []
  if (Array.isArray(value)) return flatten(value).filter((v): v is Scalar => !isObject(v))
  return isObject(value) ? [] : [value as Scalar]
}

/** Elements of nested arrays, in order; iterative, since an event may nest arrays thousands deep. */
function flatten(values: unknown[]): unknown[] {
  const out: unknown[] = []
  const stack: unknown[] = [values]
  while (stack.length > 0) {
    const v = stack.pop()
    if (!Array.isArray(v)) out.push(v)
    else for (let i = v.length - 1; i >= 0; i--) stack.push(v[i])
  }
  return out
}

function fold(text: string): string {
  return text.toLowerCase()
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
