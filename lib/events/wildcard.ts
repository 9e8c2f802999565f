/**
 * EventBridge `wildcard` operand: `*` matches any run of characters; `\*` is a literal star and `\\` a literal
 * backslash; any other escape, and two consecutive `*`, are rejected when the rule is created.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
 */

/** Compiles a wildcard operand into an anchored RegExp, or returns the reason it is invalid. */
export function compileWildcard(operand: string): RegExp | string {
  let source = ''
  for (let i = 0; i < operand.length; i++) {
    const c = operand[i] as string
    if (c === '\\') {
      const next = operand[i + 1]
      if (next !== '*' && next !== '\\') return `'\\' may only escape '*' or '\\' (at position ${i})`
      source += escapeRegExp(next)
      i++
    } else if (c === '*') {
      if (operand[i + 1] === '*') return `consecutive '*' characters are not allowed (at position ${i})`
      source += '.*'
    } else {
      source += escapeRegExp(c)
    }
  }
  // 's' so that '*' also spans newlines inside a value.
  return new RegExp(`^${source}$`, 's')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}
