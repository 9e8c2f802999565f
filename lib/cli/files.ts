/** Reading the CLI's input files: every failure is a one-line InputError naming the file. */
import { readFileSync } from 'node:fs'
import { InputError } from '../input-error'

/** Reads a UTF-8 text file, or throws InputError (missing file, a directory, unreadable). */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const problem =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : `cannot read (${code ?? String(cause)})`
    throw new InputError(path, '', problem, { cause })
  }
}

/** Reads and parses a JSON file; a syntax error names the line and column. */
export function readJson(path: string): unknown {
  const text = readText(path)
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new InputError(path, '', `not valid JSON (${describeSyntaxError(text, cause)})`, { cause })
  }
}

function describeSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const at = /position (\d+)/.exec(message)
  if (!at?.[1]) return message
  const offset = Number(at[1])
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  return `${message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`
}
