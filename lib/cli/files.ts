/**
 * Reading the CLI's input files: every failure is a one-line InputError naming the file (exit 2), whatever the file
 * holds: too big, an encoding that is not UTF-8 or UTF-16, JSON that does not parse, or nests deeper than any input
 * of this tool does.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { InputError, formatPath } from '../input-error'
import { tooDeepAt } from '../json-depth'
import { jsonErrorOffset, lineAndColumn } from './json-error'

/**
 * The largest file read by default. V8 cannot hold a string much over 512 MiB, and JSON.parse needs several times a
 * file's size in memory; 256 MiB still holds `aws iam get-account-authorization-details` for an account at IAM's
 * role and policy quotas.
 */
export const MAX_FILE_BYTES = 256 * 1024 * 1024
/**
 * The largest event a Lambda function can receive: a synchronous invocation's 6 MB payload (an asynchronous one, as
 * from EventBridge, takes 1 MB; https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html).
 */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024
/**
 * A JSON Lines file of events (`handle --events`): each line at most MAX_EVENT_BYTES, the whole at most this. A
 * CloudTrail event is a few KB: 64 MiB holds tens of thousands, more than one process should replay in a row.
 */
export const MAX_EVENTS_FILE_BYTES = 64 * 1024 * 1024
/** Extras files are written by hand; their statements end up in a role's inline policies (10,240 characters). */
export const MAX_EXTRAS_BYTES = 1024 * 1024
/**
 * No input of this tool nests deeper than about 12 levels (an authorization-details file: RoleDetailList, a role, its
 * RolePolicyList, a policy, its document, Statement, a statement, Condition, an operator, a key, its values).
 */
export const MAX_JSON_DEPTH = 64

export type ReadOptions = { maxBytes?: number; what?: string }

/** Reads a text file (UTF-8, or UTF-16 with or without a byte order mark), or throws InputError naming it. */
export function readText(path: string, options: ReadOptions = {}): string {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES
  let bytes: Buffer
  try {
    // Checked before reading: a 3 GB file must not be read to be refused.
    const size = statSync(path).size
    if (size > maxBytes) {
      throw new InputError(
        path,
        '',
        `is ${megabytes(size)}, more than the ${megabytes(maxBytes)} ${options.what ?? 'a file'} may be`,
      )
    }
    bytes = readFileSync(path)
  } catch (cause) {
    if (cause instanceof InputError) throw cause
    const code = (cause as NodeJS.ErrnoException).code
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, expected a file'
          : `cannot read (${code ?? String(cause)})`
    throw new InputError(path, '', problem, { cause })
  }
  return decodeText(bytes, path)
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

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * UTF-8, with or without a byte order mark, or UTF-16 with one: Windows PowerShell 5.1 writes redirected output
 * (`aws iam get-account-authorization-details > auth.json`) as UTF-16LE. UTF-16 without a byte order mark is told
 * by its zero bytes, as RFC 4627 did (JSON text starts with two ASCII characters); UTF-32 and other encodings are
 * refused, with where the first byte that is not UTF-8 is.
 */
function decodeText(bytes: Buffer, path: string): string {
  const [b0, b1, b2, b3] = bytes
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff))
    throw new InputError(path, '', 'is UTF-32 text: save it as UTF-8')
  if (b0 === 0xff && b1 === 0xfe) return bytes.subarray(2).toString('utf16le')
  if (b0 === 0xfe && b1 === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
  if (bytes.length >= 4 && bytes.length % 2 === 0) {
    if (b0 === 0 && b1 === 0) throw new InputError(path, '', 'is UTF-32 text: save it as UTF-8')
    if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return bytes.toString('utf16le')
    if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return Buffer.from(bytes).swap16().toString('utf16le')
  }
  try {
    const text = UTF8.decode(bytes)
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } catch (cause) {
    const at = firstInvalidUtf8(bytes)
    const before = UTF8.decode(bytes.subarray(0, at))
    const where = lineAndColumn(before, before.length)
    throw new InputError(
      path,
      '',
      `is not UTF-8 text (byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at ${where}): save it as UTF-8`,
      { cause },
    )
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  // Binary search on the longest valid prefix would need a decoder per step; a plain scan is as fast and exact.
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    if (length === 0) return i
    try {
      UTF8.decode(bytes.subarray(i, i + length))
    } catch {
      return i
    }
    i += length
  }
  return i
}

/** Reads an extras file (YAML or JSON) as text, at most MAX_EXTRAS_BYTES. */
export function readExtrasText(path: string): string {
  return readText(path, { maxBytes: MAX_EXTRAS_BYTES, what: 'an extras file' })
}

/** Reads and parses a JSON file; a syntax error names the line and column, too deep a value its path. */
export function readJson(path: string, options: ReadOptions = {}): unknown {
  const text = readText(path, options)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new InputError(path, '', `not valid JSON (${describeSyntaxError(text, cause)})`, { cause })
  }
  const deep = tooDeepAt(value, MAX_JSON_DEPTH)
  if (deep) throw new InputError(path, shortPath(deep), `nested deeper than ${MAX_JSON_DEPTH} levels`)
  return value
}

/**
 * Parses one JSON text (a line of a JSON Lines file) with the checks readJson makes: the value, or what is wrong in
 * one line (where the text breaks the grammar, the path of too deep a value).
 */
export function parseJsonText(text: string): { value: unknown } | { problem: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    return { problem: `not valid JSON (${describeSyntaxError(text, cause)})` }
  }
  const deep = tooDeepAt(value, MAX_JSON_DEPTH)
  if (deep) return { problem: `${shortPath(deep)}: nested deeper than ${MAX_JSON_DEPTH} levels` }
  return { value }
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

/** The first few keys of a path, each cut short: keys are file contents too. */
function shortPath(path: ReadonlyArray<string | number>): string {
  const keys = path.slice(0, 6).map((k) => (typeof k === 'string' && k.length > 40 ? `${k.slice(0, 37)}...` : k))
  return `${formatPath(keys)}${path.length > 6 ? '...' : ''}`
}

/** A size for a message: "6.2 MiB". */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`
}
