/**
 * Validates and precompiles a `Condition` block: operators decoded, keys lowercased, values parsed once.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
 */
import { Family, parseOperator, type OperatorInfo } from './condition-operators'
import { parseDate } from './dates'
import { PolicyParseError } from './errors'
import { isPlainObject } from './json'
import { Glob } from './glob'
import { parseCidr, type Cidr } from './ip'
import { decodeBase64 } from './base64'
import { parseText, type Template } from './variables'

/** One (operator, key) pair with its values; a statement's conditions are ANDed. */
export type CompiledCondition = {
  readonly op: OperatorInfo
  readonly key: string
  readonly keyLower: string
  /** String/ARN/Bool families: static text (a Glob for StringLike) or a template with variables */
  readonly texts: readonly (string | Glob | Template)[]
  /** Numeric, Date (ms), Null (1 = "true") */
  readonly numbers: readonly number[]
  /** BinaryEquals: decoded bytes as a binary string */
  readonly bytes: readonly string[]
  readonly cidrs: readonly Cidr[]
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/

/** Parses a decimal number the way Numeric operators read them; NaN when not a number. */
export function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : NaN
}

/** Compiles a Condition element; `variables` is true under Version 2012-10-17. */
export function compileCondition(block: unknown, path: string, variables: boolean): CompiledCondition[] {
  if (!isPlainObject(block)) throw new PolicyParseError('must be an object of condition operators', path)
  const out: CompiledCondition[] = []
  for (const [opName, keys] of Object.entries(block)) {
    const opPath = `${path}.${opName}`
    const op = parseOperator(opName)
    if (op === undefined) throw new PolicyParseError(`unknown condition operator "${opName}"`, opPath)
    if (!isPlainObject(keys)) throw new PolicyParseError('must be an object of condition keys', opPath)
    for (const [key, raw] of Object.entries(keys)) {
      const keyPath = `${opPath}.${key}`
      const values = conditionValues(raw, keyPath)
      out.push(compileValues(op, key, values, variables))
    }
  }
  return out
}

function conditionValues(raw: unknown, path: string): Array<{ text: string; path: string }> {
  const list = Array.isArray(raw) ? raw : [raw]
  return list.map((v, i) => {
    const at = Array.isArray(raw) ? `${path}[${i}]` : path
    if (typeof v === 'string') return { text: v, path: at }
    if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), path: at }
    throw new PolicyParseError('a condition value must be a string, number or boolean', at)
  })
}

function compileValues(
  op: OperatorInfo,
  key: string,
  values: Array<{ text: string; path: string }>,
  variables: boolean,
): CompiledCondition {
  const texts: (string | Glob | Template)[] = []
  const numbers: number[] = []
  const bytes: string[] = []
  const cidrs: Cidr[] = []
  for (const { text, path: at } of values) {
    switch (op.family) {
      case Family.stringEquals:
        texts.push(parseText(text, variables, false))
        break
      case Family.stringEqualsIgnoreCase:
      case Family.bool:
        // Bool takes policy variables too (reference_policies_elements_condition_operators.html#Conditions_Boolean)
        texts.push(parseText(text.toLowerCase(), variables, false))
        break
      case Family.stringLike: {
        const t = parseText(text, variables, true)
        texts.push(typeof t === 'string' ? new Glob(t) : t)
        break
      }
      case Family.arn:
        texts.push(parseText(text, variables, true))
        break
      case Family.numeric:
        numbers.push(must(parseNumber(text.trim()), at, 'not a number'))
        break
      case Family.date:
        numbers.push(must(parseDate(text), at, 'not an ISO 8601 date or epoch time'))
        break
      case Family.null: {
        const b = text.toLowerCase()
        if (b !== 'true' && b !== 'false') throw new PolicyParseError('Null takes "true" or "false"', at)
        numbers.push(b === 'true' ? 1 : 0)
        break
      }
      case Family.binary: {
        const d = decodeBase64(text)
        if (d === undefined) throw new PolicyParseError('not base-64', at)
        bytes.push(d)
        break
      }
      case Family.ip: {
        const c = parseCidr(text)
        if (c === undefined) throw new PolicyParseError('not an IPv4/IPv6 address or CIDR range', at)
        cidrs.push(c)
        break
      }
    }
  }
  return { op, key, keyLower: key.toLowerCase(), texts, numbers, bytes, cidrs }
}

function must(n: number, path: string, what: string): number {
  if (Number.isNaN(n)) throw new PolicyParseError(what, path)
  return n
}
