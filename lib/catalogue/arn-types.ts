/**
 * Which resource types an ARN is, from the catalogue's ARN formats (`arn:${Partition}:s3:::${BucketName}`).
 * Resource ARNs may carry wildcards; they are representative resources, so a wildcard is first read literally
 * and then, like IAM's own matching, allowed to reach the more specific types it could cover
 * (`...:log-group:airflow-env-*` also covers that group's log streams; `arn:aws:s3:::bucket*` covers its objects).
 * ARN matching: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
import type { ArnFormats } from './types'

/** A character class: one literal, any character, or any character but ':' (ARN prefix fields never hold one). */
type CharClass = string | 'ANY' | 'NO_COLON'
type Token = { cls: CharClass; star: boolean }

const VARIABLE = /\$\{[^}]+\}/g
const ANY = 'ANY'
const NO_COLON = 'NO_COLON'
const isLiteral = (c: CharClass) => c !== ANY && c !== NO_COLON

function literalLength(format: string): number {
  return format.replace(VARIABLE, '').length
}

/** Splits a format into literal text and variables; a variable in the five prefix fields cannot contain ':'. */
function formatParts(format: string): Array<{ text: string } | { variable: 'prefix' | 'resource' }> {
  const parts: Array<{ text: string } | { variable: 'prefix' | 'resource' }> = []
  let colons = 0
  let last = 0
  for (const match of format.matchAll(VARIABLE)) {
    const text = format.slice(last, match.index)
    colons += text.split(':').length - 1
    parts.push({ text }, { variable: colons < 5 ? 'prefix' : 'resource' })
    last = match.index + match[0].length
  }
  parts.push({ text: format.slice(last) })
  return parts
}

function formatRegExp(format: string): RegExp {
  const body = formatParts(format)
    .map((p) =>
      'text' in p ? p.text.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&') : p.variable === 'prefix' ? '[^:]+' : '.+',
    )
    .join('')
  return new RegExp(`^${body}$`)
}

function formatTokens(format: string): Token[] {
  return formatParts(format).flatMap((p): Token[] => {
    if ('text' in p) return [...p.text].map((ch) => ({ cls: ch, star: false }))
    const cls = p.variable === 'prefix' ? NO_COLON : ANY
    return [
      { cls, star: false },
      { cls, star: true },
    ] // a variable is a non-empty run
  })
}

function patternTokens(pattern: string): Token[] {
  return [...pattern].map((ch) =>
    ch === '*' ? { cls: ANY, star: true } : ch === '?' ? { cls: ANY, star: false } : { cls: ch, star: false },
  )
}

function compatible(a: CharClass, b: CharClass): boolean {
  if (isLiteral(a) && isLiteral(b)) return a === b
  if (isLiteral(a)) return b === ANY || a !== ':'
  if (isLiteral(b)) return a === ANY || b !== ':'
  return true
}

/**
 * Whether some string matches both token patterns: a search for a path from (0, 0) to the ends through the pairs of
 * positions, depth-first with an explicit stack and a visited set (no recursion: a resource pattern from an extras
 * file may be thousands of characters long). A star may match nothing (move past it) or take the other side's token.
 */
function intersects(a: Token[], b: Token[]): boolean {
  const width = b.length + 1
  const visited = new Uint8Array((a.length + 1) * width)
  const stack = [0]
  while (stack.length > 0) {
    const state = stack.pop()!
    if (visited[state]) continue
    visited[state] = 1
    const i = Math.floor(state / width)
    const j = state % width
    const x = a[i]
    const y = b[j]
    if (!x && !y) return true
    // Pushed in reverse order of preference: the first alternative is tried first.
    if (x?.star) {
      if (y && (y.star || compatible(x.cls, y.cls))) stack.push(state + 1)
      stack.push(state + width)
    } else if (y?.star) {
      if (x && compatible(x.cls, y.cls)) stack.push(state + width)
      stack.push(state + 1)
    } else if (x && y && compatible(x.cls, y.cls)) stack.push(state + width + 1)
  }
  return false
}

/** Resource types of a service that `resource` is (or, through its wildcards, may reach). */
export function resourceTypesOfArn(formats: ArnFormats[string] | undefined, resource: string): string[] {
  if (!formats) return []
  const entries = Object.entries(formats)
  const literal = entries.filter(([, format]) => formatRegExp(format).test(resource))
  const best = Math.max(-1, ...literal.map(([, f]) => literalLength(f)))
  const types = new Set(literal.filter(([, f]) => literalLength(f) === best).map(([name]) => name))
  if (/[*?]/.test(resource)) {
    const tokens = patternTokens(resource)
    for (const [name, format] of entries) {
      if (literalLength(format) > best && intersects(tokens, formatTokens(format))) types.add(name)
    }
  }
  return [...types].sort()
}

/** Tokens of a resource whose `${...}` placeholders (extras: `${Region}`, `${Account}`, ...) hold any run without ':'. */
function templateTokens(resource: string): Token[] {
  const tokens: Token[] = []
  let last = 0
  for (const match of resource.matchAll(VARIABLE)) {
    tokens.push(...patternTokens(resource.slice(last, match.index)), { cls: NO_COLON, star: true })
    last = match.index + match[0].length
  }
  return [...tokens, ...patternTokens(resource.slice(last))]
}

/**
 * Resource types of a service whose format some filling of `resource` (placeholders: values without ':'; `*` and
 * `?` as wildcards) could match: every type `resourceTypesOfArn` could weigh for it, so a catalogue that keeps only
 * these gives the same answers for it.
 */
export function typesReachable(formats: ArnFormats[string], resource: string): string[] {
  const tokens = templateTokens(resource)
  return Object.entries(formats)
    .filter(([, format]) => intersects(tokens, formatTokens(format)))
    .map(([name]) => name)
    .sort()
}
