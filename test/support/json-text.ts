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
  const extra = new Map<string, Duplicate[]>()
  for (const d of duplicates) {
    const at = pathKey(d.path)
    extra.set(at, [...(extra.get(at) ?? []), d])
  }
  // Paths are followed only towards a duplicate, so a deep value costs no path copies.
  const towards = (path: Array<string | number>) =>
    duplicates.some((d) => d.path.length >= path.length && path.every((k, i) => d.path[i] === k)) ? path : null
  const out: string[] = []
  // Work items: a value to write (with its path) or a literal piece of text.
  type Item = { text: string } | { value: unknown; path: Array<string | number> | null }
  const stack: Item[] = [{ value, path: [] }]
  while (stack.length > 0) {
    const item = stack.pop()!
    if ('text' in item) {
      out.push(item.text)
      continue
    }
    const v = item.value
    if (Array.isArray(v)) {
      const items: Item[] = [{ text: '[' }]
      v.forEach((element, i) => {
        if (i > 0) items.push({ text: ',' })
        items.push({ value: element === undefined ? null : element, path: item.path && towards([...item.path, i]) })
      })
      items.push({ text: ']' })
      stack.push(...items.reverse())
    } else if (typeof v === 'object' && v !== null) {
      const items: Item[] = [{ text: '{' }]
      const members: Array<[string, unknown, Array<string | number> | null]> = []
      for (const d of item.path ? (extra.get(pathKey(item.path)) ?? []) : []) members.push([d.key, d.earlier, null])
      for (const [k, element] of Object.entries(v)) {
        if (element !== undefined) members.push([k, element, item.path && towards([...item.path, k])])
      }
      members.forEach(([k, element, path], i) => {
        items.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` }, { value: element, path })
      })
      items.push({ text: '}' })
      stack.push(...items.reverse())
    } else {
      out.push(JSON.stringify(v) ?? 'null')
    }
  }
  return out.join('')
}

function pathKey(path: ReadonlyArray<string | number>): string {
  return JSON.stringify(path)
}
