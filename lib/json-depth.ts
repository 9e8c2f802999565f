/**
 * How deep parsed JSON nests, found without recursion: JSON.parse is iterative in V8, but any code that walks a value
 * recursively (JSON.stringify, structuredClone, a naive canonicaliser) throws `RangeError: Maximum call stack size
 * exceeded` a few thousand levels down. Edges (events, files) refuse values nested deeper than their format allows.
 */

/** The path to the first container nested deeper than `max` levels (the root is level 1), or undefined. */
export function tooDeepAt(value: unknown, max: number): Array<string | number> | undefined {
  // Depth-first with an explicit stack; each entry knows its parent, so a path is rebuilt only once, when found.
  type Entry = { value: unknown; depth: number; key: string | number | undefined; parent: Entry | undefined }
  const stack: Entry[] = [{ value, depth: 1, key: undefined, parent: undefined }]
  while (stack.length > 0) {
    const entry = stack.pop()!
    const v = entry.value
    if (typeof v !== 'object' || v === null) continue
    if (entry.depth > max) return pathOf(entry)
    const children: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((c, i) => [i, c]) : Object.entries(v)
    for (const [key, child] of children) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: entry.depth + 1, key, parent: entry })
    }
  }
  return undefined

  function pathOf(entry: Entry): Array<string | number> {
    const path: Array<string | number> = []
    for (let e: Entry | undefined = entry; e?.key !== undefined; e = e.parent) path.unshift(e.key)
    return path
  }
}
