/**
 * User extras: permissions an environment's DAGs need beyond the doc's baseline (e.g. Secrets Manager), in a small
 * YAML or JSON file. Format: docs/extras.md. MWAA cannot detect these itself:
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("How to add permission to use other AWS services")
 */
import { CST, Lexer, parseDocument } from 'yaml'
import type { Catalogue } from '../catalogue/types'
import { formatPath } from '../input-error'
import { tooDeepAt } from '../json-depth'
import { ExtrasParseError } from './errors'
import { validateExtrasData } from './extras-data'
import type { ExtrasFile } from './extras-file'

export { extrasFor, type ExtraStatement, type ExtrasFile } from './extras-file'

/** No extras file nests deeper than a statement's Condition values (environments > name > statement > ...). */
const MAX_EXTRAS_DEPTH = 64

/** Deeper indentation than any extras file needs (a Condition value sits about 14 columns in). */
const MAX_EXTRAS_INDENT = 128

/**
 * Nesting too deep for the YAML parser, found before it runs: it recurses per level, and a deep enough document
 * overflows the stack, sometimes inside V8's RegExp compiler, which then aborts the process instead of throwing.
 * yaml's Lexer is a state machine (no recursion), so it counts flow brackets as YAML reads them (not in quotes or
 * comments); block nesting shows as indentation.
 */
function nestingProblem(text: string): { field: string; problem: string } | undefined {
  const lines = text.split('\n')
  for (const [i, line] of lines.entries()) {
    const indent = line.length - line.trimStart().length
    if (indent > MAX_EXTRAS_INDENT && line.trim() !== '')
      return { field: `line ${i + 1}`, problem: `indented ${indent} columns, deeper than any extras file nests` }
  }
  let depth = 0
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token)
    if (type === 'flow-seq-start' || type === 'flow-map-start') depth++
    else if (type === 'flow-seq-end' || type === 'flow-map-end') depth--
    if (depth > MAX_EXTRAS_DEPTH) return { field: '', problem: `nested deeper than ${MAX_EXTRAS_DEPTH} levels` }
  }
  return undefined
}

function parseText(text: string, source: string): unknown {
  const nesting = nestingProblem(text)
  if (nesting) throw new ExtrasParseError(source, nesting.field, nesting.problem)
  const doc = parseDocument(text, { prettyErrors: false })
  const error = doc.errors[0]
  if (error) {
    const line = text.slice(0, error.pos[0]).split('\n').length
    // The parser reports its own stack overflow on deep nesting as an error of this code.
    const problem =
      error.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply' : (error.message.split('\n')[0] ?? 'invalid YAML')
    throw new ExtrasParseError(source, `line ${line}`, problem, { cause: error })
  }
  let value: unknown
  try {
    value = doc.toJS()
  } catch (cause) {
    // yaml refuses alias expansion that grows too large ("billion laughs"), as a ReferenceError.
    const problem =
      cause instanceof ReferenceError ? 'too many aliases (YAML alias expansion is limited)' : 'nested too deeply'
    if (cause instanceof ReferenceError || cause instanceof RangeError)
      throw new ExtrasParseError(source, '', problem, { cause })
    throw cause
  }
  const deep = tooDeepAt(value, MAX_EXTRAS_DEPTH)
  if (deep)
    throw new ExtrasParseError(source, formatPath(deep.slice(0, 6)), `nested deeper than ${MAX_EXTRAS_DEPTH} levels`)
  return value
}

/** Parses and validates an extras file (YAML or JSON); throws ExtrasParseError, one line naming file and field. */
export function parseExtras(text: string, source: string, catalogue: Catalogue): ExtrasFile {
  return validateExtrasData(parseText(text, source), source, catalogue)
}
