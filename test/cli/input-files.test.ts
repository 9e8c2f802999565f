/**
 * Every command's input file, whatever it holds: exit 2 and one line naming the file, never exit 3, a stack trace or
 * a RangeError. Deep nesting, unclosed brackets, files over the size a command reads, encodings that are not UTF-8,
 * binary data, an empty file, a directory, YAML alias bombs.
 */
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_EVENT_BYTES, MAX_EXTRAS_BYTES, MAX_FILE_BYTES } from '../../lib/cli/files'
import { baselineOf, roleOf } from '../drift/support'
import { authorizationDetails, environmentFile, isOneLineInputError, run, scratch } from './support'

const RFC = 'https://www.rfc-editor.org/rfc/rfc8259'
const INVOKE = 'https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html'
const YAML_ALIASES = 'https://yaml.org/spec/1.2.2/#71-alias-nodes'

const files = scratch('input-files')
afterAll(() => files.remove())

const NAME = 'custodian-3' as const
const ENV = environmentFile(NAME)
const AUTH = files.file(authorizationDetails(roleOf(baselineOf(NAME))), 'auth.json')
const EXTRAS = files.file('version: 1\nenvironments: {}\n', 'extras.yaml')

/** Where each command reads a file: argv with the bad file in it. */
const readers: Array<[command: string, argv: (file: string) => string[], limit: number]> = [
  ['baseline --environment-file', (f) => ['baseline', '--environment-file', f], MAX_FILE_BYTES],
  ['baseline --extras', (f) => ['baseline', '--environment-file', ENV, '--extras', f], MAX_EXTRAS_BYTES],
  [
    'check --environment-file',
    (f) => ['check', '--environment-file', f, '--authorization-details', AUTH],
    MAX_FILE_BYTES,
  ],
  [
    'check --authorization-details',
    (f) => ['check', '--environment-file', ENV, '--authorization-details', f],
    MAX_FILE_BYTES,
  ],
  [
    'check --extras',
    (f) => ['check', '--environment-file', ENV, '--authorization-details', AUTH, '--extras', f],
    MAX_EXTRAS_BYTES,
  ],
  ['simulate --input', (f) => ['simulate', '--input', f], MAX_FILE_BYTES],
  ['extras --extras', (f) => ['extras', '--extras', f], MAX_EXTRAS_BYTES],
  ['handle --event', (f) => ['handle', '--event', f], MAX_EVENT_BYTES],
]

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`

/** Bad files: a name, how to write it, what the one line must say (besides the file's path). */
const badFiles: Array<[name: string, write: (path: string, limit: number) => void, says: RegExp, doc: string]> = [
  ['100,000 nested arrays', (p) => writeFileSync(p, deep(100_000)), /nested (deeper than \d+ levels|too deeply)/, RFC],
  [
    '100,000 nested objects',
    (p) => writeFileSync(p, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`),
    /nested (deeper than \d+ levels|too deeply)/,
    RFC,
  ],
  ['5,000 unclosed [', (p) => writeFileSync(p, '['.repeat(5_000)), /line 1|nested deeper than \d+ levels/, RFC],
  [
    'one byte over the size the command reads',
    (p, limit) => {
      writeFileSync(p, '')
      truncateSync(p, limit + 1) // sparse: nothing written, the size is what counts
    },
    /is \d+(\.\d)? MiB, more than the \d+(\.\d)? MiB (a file|an event|an extras file) may be/,
    INVOKE,
  ],
  [
    'UTF-32 with a byte order mark',
    (p) => writeFileSync(p, utf32('{"a": 1}')),
    /is UTF-32 text: save it as UTF-8/,
    RFC,
  ],
  [
    'Latin-1 (not UTF-8)',
    (p) => writeFileSync(p, Buffer.from('{"Name": "caf\u00e9"}', 'latin1')),
    /is not UTF-8 text \(byte 0xe9 at line 1, column 14\): save it as UTF-8/,
    RFC,
  ],
  [
    'binary data',
    (p) => writeFileSync(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])),
    /is not UTF-8 text \(byte 0x89 at line 1, column 1\)/,
    RFC,
  ],
  ['an empty file', (p) => writeFileSync(p, ''), /(not valid JSON|expected|required|missing)/, RFC],
  [
    'a directory',
    (p) => mkdirSync(p, { recursive: true }),
    /is a directory, expected a file/,
    'https://nodejs.org/api/errors.html#common-system-errors',
  ],
]

function utf32(text: string): Buffer {
  const out = Buffer.alloc(4 + text.length * 4)
  out.writeUInt32LE(0xfeff, 0)
  for (let i = 0; i < text.length; i++) out.writeUInt32LE(text.charCodeAt(i), 4 + i * 4)
  return out
}

let n = 0
describe('every command, every bad input file: exit 2, one line naming the file', () => {
  const cases = readers.flatMap(([command, argv, limit]) =>
    badFiles.map(([name, write, says, doc]) => [command, name, argv, limit, write, says, doc] as const),
  )
  it.each(cases)('%s: %s', async (_command, _name, argv, limit, write, says) => {
    const path = join(files.dir, `bad-${++n}.json`)
    write(path, limit)
    const result = await run(...argv(path))
    expect(result.err).toContain(path)
    expect(result.err).toMatch(says)
    expect(isOneLineInputError(result)).toBe(true)
  })

  it(`${YAML_ALIASES}: an extras file whose aliases expand exponentially ("billion laughs") is refused`, async () => {
    const levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for (let i = 1; i < 9; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)]
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`)
    }
    const path = files.file(`${levels.join('\n')}\nversion: 1\nenvironments: {}\n`, 'bomb.yaml')
    for (const argv of [
      ['extras', '--extras', path],
      ['baseline', '--environment-file', ENV, '--extras', path],
    ]) {
      const result = await run(...argv)
      expect(isOneLineInputError(result)).toBe(true)
      expect(result.err).toMatch(/bomb\.yaml: too many aliases/)
    }
  })

  it('an extras resource of 100,000 characters is read without a RangeError (exit 0 for baseline)', async () => {
    const resource = `arn:aws:s3:::${'a*'.repeat(50_000)}`
    const path = files.file(
      `version: 1\nenvironments:\n  "*":\n    - Effect: Allow\n      Action: s3:GetObject\n      Resource: ${resource}\n`,
      'long.yaml',
    )
    const result = await run('baseline', '--environment-file', ENV, '--extras', path, '--part', 'policy')
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
  })

  it('the good files used above pass (so each bad case fails on its file alone)', async () => {
    expect(
      (await run('check', '--environment-file', ENV, '--authorization-details', AUTH, '--extras', EXTRAS)).code,
    ).toBe(0)
  })
})
