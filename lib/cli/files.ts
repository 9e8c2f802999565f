/** Reading the CLI's input files: every failure is a one-line InputError naming the file. */
import { readFileSync, writeFileSync } from 'node:fs'
import { InputError } from '../input-error'
import { jsonErrorOffset, lineAndColumn } from './json-error'

/** Reads a UTF-8 text file, or throws InputError (missing file, a directory, unreadable). */
export function readText(path: string): string {
  try {
    return decodeText(readFileSync(path))
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, expected a file'
          : `cannot read (${code ?? String(cause)})`
    throw new InputError(path, '', problem, { cause })
  }
}

/** Writes a UTF-8 text file, or throws InputError naming it (missing folder, not writable). */
export function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text)
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const problem =
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'EISDIR'
          ? 'is a directory, expected a file'
          : `cannot write (${code ?? String(cause)})`
    throw new InputError(path, '', problem, { cause })
  }
}

/**
 * UTF-8, with or without a byte order mark, or UTF-16 with one: Windows PowerShell 5.1 writes redirected output
 * (`aws iam get-account-authorization-details > auth.json`) as UTF-16LE.
 */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
  const text = bytes.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
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

/** One line: V8's message without its quoted slice of the text, and where the text breaks the grammar. */
function describeSyntaxError(text: string, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/ (?:in JSON )?at position \d+.*$/s, '')
    .replace(/, (?:\.\.\.)?".*$/s, '')
    .replace(/\s+/g, ' ')
  const offset = jsonErrorOffset(text)
  return offset === undefined ? message : `${message} at ${lineAndColumn(text, offset)}`
}
