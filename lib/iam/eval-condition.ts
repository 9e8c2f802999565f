/**
 * Condition evaluation: AND across operators and keys, OR across values (NOR for negated operators),
 * and the documented behaviour for absent keys, ...IfExists, Null and the set qualifiers.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { decodeBase64 } from './base64'
import type { CompiledCondition } from './compile-condition'
import { parseNumber } from './compile-condition'
import { Compare, Family, SetQualifier } from './condition-operators'
import { parseDate } from './dates'
import { arnMatch, Glob, globMatch } from './glob'
import { cidrContains, parseIp } from './ip'
import type { RequestScope } from './request-scope'
import { resolveTemplate, type Template } from './variables'

/** True when every condition of a statement holds for the request. */
export function conditionsHold(conditions: readonly CompiledCondition[], scope: RequestScope): boolean {
  for (let i = 0; i < conditions.length; i++) if (!conditionHolds(conditions[i]!, scope)) return false
  return true
}

function conditionHolds(c: CompiledCondition, scope: RequestScope): boolean {
  const op = c.op
  const raw = scope.get(c.key, c.keyLower)
  if (op.family === Family.null) {
    // "true": the key is absent (or empty); "false": it is present with a value
    const absent = raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)
    for (let i = 0; i < c.numbers.length; i++) if ((c.numbers[i] === 1) === absent) return true
    return false
  }
  if (op.set === SetQualifier.none) {
    if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
      // an absent key matches nothing: true for negated operators and ...IfExists, false otherwise
      return op.ifExists || op.negated
    }
    // a multivalued request value without a set qualifier matches when any of its values does
    let hit = false
    if (typeof raw === 'string') hit = valueMatches(c, raw, scope)
    else for (let i = 0; !hit && i < raw.length; i++) hit = valueMatches(c, raw[i]!, scope)
    return op.negated ? !hit : hit
  }
  if (raw === undefined || raw === '' || raw.length === 0) {
    // no values (or a null data set): ForAllValues is true, ForAnyValue is false unless IfExists and absent
    if (op.set === SetQualifier.forAllValues) return true
    return op.ifExists && (raw === undefined || Array.isArray(raw))
  }
  const all = op.set === SetQualifier.forAllValues
  if (typeof raw === 'string') return valueMatches(c, raw, scope) !== op.negated
  for (let i = 0; i < raw.length; i++) {
    const ok = valueMatches(c, raw[i]!, scope) !== op.negated
    if (all && !ok) return false
    if (!all && ok) return true
  }
  return all
}

/** Whether one request value matches at least one policy value (before negation). */
function valueMatches(c: CompiledCondition, v: string, scope: RequestScope): boolean {
  switch (c.op.family) {
    case Family.stringEquals:
      for (let i = 0; i < c.texts.length; i++) if (text(c.texts[i]!, scope) === v) return true
      return false
    case Family.stringEqualsIgnoreCase:
    case Family.bool: {
      const lv = v.toLowerCase()
      for (let i = 0; i < c.texts.length; i++) if (text(c.texts[i]!, scope, true) === lv) return true
      return false
    }
    case Family.stringLike:
      for (let i = 0; i < c.texts.length; i++) {
        const t = c.texts[i]!
        if (t instanceof Glob ? t.match(v) : likeTemplate(t as Template, v, scope)) return true
      }
      return false
    case Family.arn:
      for (let i = 0; i < c.texts.length; i++) {
        const t = text(c.texts[i]!, scope)
        if (t !== undefined && arnMatch(t, v)) return true
      }
      return false
    case Family.numeric:
      return compareAny(c, parseNumber(v.trim()))
    case Family.date:
      return compareAny(c, parseDate(v))
    case Family.binary: {
      const bytes = decodeBase64(v) ?? v
      return c.bytes.includes(bytes)
    }
    case Family.ip: {
      const ip = parseIp(v.trim())
      if (ip === undefined) return false
      for (let i = 0; i < c.cidrs.length; i++) if (cidrContains(c.cidrs[i]!, ip)) return true
      return false
    }
    default:
      return false
  }
}

/** Static text, or the template resolved; undefined when a variable has no value (matches nothing). */
function text(t: string | Glob | Template, scope: RequestScope, lower = false): string | undefined {
  if (typeof t === 'string') return t
  const r = resolveTemplate(t as Template, scope)
  return lower && r !== undefined ? r.toLowerCase() : r
}

function likeTemplate(t: Template, v: string, scope: RequestScope): boolean {
  const p = resolveTemplate(t, scope)
  return p !== undefined && globMatch(p, v)
}

/** Numeric and Date comparisons: request value OP policy value, for any policy value. */
function compareAny(c: CompiledCondition, n: number): boolean {
  if (Number.isNaN(n)) return false
  const cmp = c.op.compare
  for (let i = 0; i < c.numbers.length; i++) {
    const p = c.numbers[i]!
    if (
      cmp === Compare.eq
        ? n === p
        : cmp === Compare.lt
          ? n < p
          : cmp === Compare.lte
            ? n <= p
            : cmp === Compare.gt
              ? n > p
              : n >= p
    ) {
      return true
    }
  }
  return false
}
