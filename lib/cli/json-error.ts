/**
 * Where a JSON text first breaks the grammar (RFC 8259), so a syntax error can name its line and column: V8's
 * "Unexpected token" messages carry no position, and quote a slice of the text that may span several lines.
 */

/** Offset of the first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0
  const stop = (): never => {
    throw new SyntaxAt(i)
  }
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const string = () => {
    i++ // the opening quote
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c) || c < 0x20) stop()
      if (c === 0x22) return void i++
      if (c !== 0x5c) {
        i++
        continue
      }
      const e = text[i + 1]
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6
      else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
      else (i++, stop())
    }
  }
  const container = (close: string, member: () => void) => {
    i++
    ws()
    if (text[i] === close) return void i++
    for (;;) {
      member()
      ws()
      if (text[i] === ',') (i++, ws())
      else if (text[i] === close) return void i++
      else stop()
    }
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{')
      return container('}', () => {
        if (text[i] !== '"') stop()
        string()
        ws()
        if (text[i] !== ':') stop()
        i++
        value()
      })
    if (c === '[') return container(']', value)
    if (c === '"') return string()
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    number.lastIndex = i
    if (number.test(text) && number.lastIndex > i && text[i] !== undefined) return void (i = number.lastIndex)
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length)
    stop()
  }
  try {
    value()
    ws()
    if (i < text.length) stop()
    return undefined
  } catch (error) {
    if (error instanceof SyntaxAt) return error.at
    throw error
  }
}

class SyntaxAt {
  constructor(readonly at: number) {}
}

/** `line L, column C` (both from 1) of an offset. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}
