/**
 * Policy variables: `${key}`, `${key, 'default'}` and the fixed `${*}`, `${?}`, `${$}`.
 * Only Version 2012-10-17 has them; otherwise the text is literal.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import { encodeWildcards } from './glob'

/** One `${...}` whose value comes from the request context when the request is evaluated. */
export type VariableSlot = { readonly key: string; readonly keyLower: string; readonly fallback: string | undefined }
/** Literal text pieces (already wildcard-encoded when asked) and variable slots, in order. */
export type Template = readonly (string | VariableSlot)[]
/** Static text when there is no variable, else a template to resolve per request. */
export type TextValue = string | Template

/** Where variable values come from (the request scope). */
export type VariableSource = { variable(slot: VariableSlot): string | undefined }

const FIXED: Record<string, string> = { '*': '*', '?': '?', $: '$' }

/** Parses policy text; `wildcards` encodes `*`/`?` of the literal text as wildcards. */
export function parseText(text: string, variables: boolean, wildcards: boolean): TextValue {
  const enc = wildcards ? encodeWildcards : (t: string) => t
  if (!variables || text.indexOf('${') < 0) return enc(text)
  const parts: (string | VariableSlot)[] = []
  let buf = ''
  let i = 0
  while (i < text.length) {
    const j = text.indexOf('${', i)
    if (j < 0) {
      buf += enc(text.slice(i))
      break
    }
    buf += enc(text.slice(i, j))
    const v = parseVariable(text, j + 2)
    if (v === null) {
      // not a well-formed variable: the `$` is literal text
      buf += '$'
      i = j + 1
      continue
    }
    i = v.end
    const fixed = FIXED[v.key]
    if (fixed !== undefined) {
      // ${*} ${?} ${$} stand for the literal character, never a wildcard
      buf += fixed
      continue
    }
    if (buf !== '') parts.push(buf)
    buf = ''
    parts.push({ key: v.key, keyLower: v.key.toLowerCase(), fallback: v.fallback })
  }
  if (buf !== '') parts.push(buf)
  return parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : parts
}

function parseVariable(text: string, start: number): { key: string; fallback: string | undefined; end: number } | null {
  let m = start
  while (m < text.length && text[m] !== '}' && text[m] !== ',') m++
  if (m >= text.length) return null
  const key = text.slice(start, m).trim()
  if (key === '') return null
  if (text[m] === '}') return { key, fallback: undefined, end: m + 1 }
  // default value: `${key, 'value'}`, a doubled quote stands for one quote
  let k = skipSpaces(text, m + 1)
  if (text[k] !== "'") return null
  let fallback = ''
  k++
  for (;;) {
    const q = text.indexOf("'", k)
    if (q < 0) return null
    fallback += text.slice(k, q)
    if (text[q + 1] === "'") {
      fallback += "'"
      k = q + 2
      continue
    }
    k = skipSpaces(text, q + 1)
    break
  }
  if (text[k] !== '}') return null
  return { key, fallback, end: k + 1 }
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === ' ') at++
  return at
}

/** Substitutes the variables of a template; undefined when one has no value (the value then matches nothing). */
export function resolveTemplate(t: Template, source: VariableSource): string | undefined {
  let out = ''
  for (let i = 0; i < t.length; i++) {
    const part = t[i]!
    if (typeof part === 'string') {
      out += part
    } else {
      const v = source.variable(part)
      if (v === undefined) return undefined
      out += v
    }
  }
  return out
}
