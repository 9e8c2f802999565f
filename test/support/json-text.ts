/**
 * JSON text of any parsed value, however deep (JSON.stringify recurses and throws RangeError past a few thousand
 * levels), with optional duplicated keys: RFC 8259 says names SHOULD be unique but parsers differ; JSON.parse keeps
 * the last one (https://www.rfc-editor.org/rfc/rfc8259#section-4).
 */

export type Duplicate = {
  /** the object that gets the key twice, as a path of keys and indexes from the root */
  path: ReadonlyArray<string | number>
  key: string
  /** written before the real member, so JSON.parse keeps the real one */
  earlier: unknown
}

/** Serialises `value` without recursion; every `duplicates` entry adds an earlier member with the same key. */
export function toJsonText(value: unknown, duplicates: readonly Duplicate[] = []): string {
  // The same text as below when nothing is duplicated, as long as V8's recursion lasts (most values).
  if (duplicates.length === 0)
    try {
      return JSON.stringify(value)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
    }
  const extra = new Map<string, Duplicate[]>()
  for (const d of duplicates) {
    const at = pathKey(d.path)
    extra.set(at, [...(extra.get(at) ?? []), d])
  }
  // Paths are followed only towards a duplicate, so a deep value costs no path copies.
  const towards = (path: Array<string | number>) =>
    duplicates.some((d) => d.path.length >= path.length && path.every((k, i) => d.path[i] === k)) ? path : null
  // One small frame per open array or object: a 100,000-deep value costs 100,000 frames and no copies.
  type Frame = {
    value: Record<string, unknown> | unknown[]
    /** an object's keys (its duplicated keys' earlier members first); null for an array */
    keys: string[] | null
    earlier: Duplicate[]
    next: number
    path: Array<string | number> | null
  }
  let out = ''
  const stack: Frame[] = []
  const keyTexts = new Map<string, string>()
  const keyText = (key: string) => {
    const known = keyTexts.get(key)
    if (known !== undefined) return known
    const text = `${JSON.stringify(key)}:`
    keyTexts.set(key, text)
    return text
  }
  const write = (v: unknown, path: Array<string | number> | null) => {
    if (Array.isArray(v)) {
      out += '['
      stack.push({ value: v, keys: null, earlier: [], next: 0, path })
    } else if (typeof v === 'object' && v !== null) {
      out += '{'
      const earlier = path ? (extra.get(pathKey(path)) ?? []) : []
      const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      stack.push({ value: v as Record<string, unknown>, keys, earlier, next: 0, path })
    } else out += JSON.stringify(v) ?? 'null'
  }
  write(value, [])
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const { keys, earlier, next, path } = frame
    const size = keys === null ? (frame.value as unknown[]).length : earlier.length + keys.length
    if (next >= size) {
      out += keys === null ? ']' : '}'
      stack.pop()
      continue
    }
    frame.next++
    if (next > 0) out += ','
    if (keys === null) {
      const element = (frame.value as unknown[])[next]
      write(element === undefined ? null : element, path && towards([...path, next]))
    } else if (next < earlier.length) {
      out += keyText(earlier[next]!.key)
      write(earlier[next]!.earlier, null)
    } else {
      const key = keys[next - earlier.length]!
      out += keyText(key)
      write((frame.value as Record<string, unknown>)[key], path && towards([...path, key]))
    }
  }
  return out
}

function pathKey(path: ReadonlyArray<string | number>): string {
  return JSON.stringify(path)
}
