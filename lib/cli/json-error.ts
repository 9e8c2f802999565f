/**
 * Where a JSON text first breaks the grammar (RFC 8259), so a syntax error can name its line and column: V8's
 * "Unexpected token" messages carry no position, and quote a slice of the text that may span several lines.
 * Iterative, with an explicit stack: a file of thousands of unclosed `[` must give a position, not a RangeError.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPES = '"\\/bfnrt'

/** Offset of the first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++
  }
  /** Reads a string at `i` (its opening quote); false on a syntax error, with `i` at it. */
  const readString = (): boolean => {
    i++
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c) || c < 0x20) return false
      if (c === 0x22) {
        i++
        return true
      }
      if (c !== 0x5c) {
        i++
        continue
      }
      const e = text[i + 1]
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6
      else if (e !== undefined && ESCAPES.includes(e)) i += 2
      else {
        i++
        return false
      }
    }
  }
  /** Reads a scalar at `i`; false on a syntax error. */
  const readScalar = (): boolean => {
    if (text[i] === '"') return readString()
    NUMBER.lastIndex = i
    if (text[i] !== undefined && NUMBER.test(text) && NUMBER.lastIndex > i) {
      i = NUMBER.lastIndex
      return true
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length
        return true
      }
    }
    return false
  }

  // The closing brackets of the open containers, innermost last.
  const open: Array<'}' | ']'> = []
  // true: a value is expected next (start, after ':' or ','); false: a ',' or the closing bracket is.
  let expectValue = true
  for (;;) {
    skipWhitespace()
    if (expectValue) {
      const c = text[i]
      if (c === '{' || c === '[') {
        open.push(c === '{' ? '}' : ']')
        i++
        skipWhitespace()
        if (text[i] === open.at(-1)) {
          i++
          open.pop()
          expectValue = false
          if (open.length === 0) break
          continue
        }
        if (c === '{' && !readKey()) return i
        continue
      }
      if (!readScalar()) return i
      expectValue = false
      if (open.length === 0) break
      continue
    }
    const close = open.at(-1)
    if (text[i] === ',') {
      i++
      skipWhitespace()
      if (close === '}' && !readKey()) return i
      expectValue = true
      continue
    }
    if (text[i] === close) {
      i++
      open.pop()
      if (open.length === 0) break
      continue
    }
    return i
  }
  skipWhitespace()
  return i < text.length ? i : undefined

  /** An object member's `"key" :`; false on a syntax error. */
  function readKey(): boolean {
    if (text[i] !== '"' || !readString()) return false
    skipWhitespace()
    if (text[i] !== ':') return false
    i++
    return true
  }
}

/** `line L, column C` (both from 1) of an offset. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}
