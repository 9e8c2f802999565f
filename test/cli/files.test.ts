import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import { readJson } from '../../lib/cli/files'
import { jsonErrorOffset } from '../../lib/cli/json-error'
import { scratch } from './support'

const RFC = 'https://www.rfc-editor.org/rfc/rfc8259'
const PS_REDIRECT =
  'https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_redirection'
const files = scratch('files')
afterAll(() => files.remove())

describe('jsonErrorOffset', () => {
  it.each([['{}'], ['[]'], [' {"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9"]} '], ['"text"'], ['0']])(
    `${RFC}: %s is valid`,
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow()
      expect(jsonErrorOffset(text)).toBeUndefined()
    },
  )

  it.each([
    ['', 0],
    ['{', 1],
    ['{"a" 1}', 5],
    ['{"a": 1,}', 8],
    ['[1,,2]', 3],
    ['[01]', 2],
    ['{"a": "x\ny"}', 8],
    ['{"a": "\\q"}', 8],
    ['{} {}', 3],
    ["{'a': 1}", 1],
    ['[tru]', 1],
    ['[1 2]', 3],
    ['{"a": -}', 6],
  ])(`${RFC}: %j breaks at offset %i`, (text, offset) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(jsonErrorOffset(text)).toBe(offset)
  })
})

describe('readJson', () => {
  it.each([
    [`${RFC}#section-8.1`, 'UTF-8 with a byte order mark', Buffer.from('\uFEFF{"a": 1}', 'utf8')],
    [
      PS_REDIRECT,
      'UTF-16LE with a byte order mark (Windows PowerShell 5.1 redirection)',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a": 1}', 'utf16le')]),
    ],
    [
      PS_REDIRECT,
      'UTF-16BE with a byte order mark',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"a": 1}', 'utf16le').swap16()]),
    ],
    // RFC 4627 section 3: JSON text starts with two ASCII characters, so UTF-16's zero bytes tell its byte order.
    [
      'https://www.rfc-editor.org/rfc/rfc4627#section-3',
      'UTF-16LE without a byte order mark',
      Buffer.from('{"a": 1}', 'utf16le'),
    ],
    [
      'https://www.rfc-editor.org/rfc/rfc4627#section-3',
      'UTF-16BE without a byte order mark',
      Buffer.from('{"a": 1}', 'utf16le').swap16(),
    ],
  ])('%s: reads %s', (_doc, _title, bytes) => {
    const path = join(files.dir, 'encoded.json')
    writeFileSync(path, bytes)
    expect(readJson(path)).toEqual({ a: 1 })
  })

  it(`${RFC}: a syntax error deep in a pretty-printed file is one line with its line and column`, () => {
    const text = JSON.stringify({ RoleDetailList: [{ RoleName: 'r', Arn: 'a' }] }, null, 2).replace('"a"', '"a",')
    const path = files.file(text)
    expect(() => readJson(path)).toThrow(/^.*\.json: not valid JSON \([^\n]* at line 6, column 5\)$/) // the "}" after "Arn": "a",
  })
})

describe('jsonErrorOffset agrees with JSON.parse', () => {
  const parses = (text: string) => {
    try {
      JSON.parse(text)
      return true
    } catch {
      return false
    }
  }
  it(`${RFC}: valid exactly when JSON.parse accepts it (generated texts, and their truncations)`, () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), (text, cut) => {
        expect(jsonErrorOffset(text)).toBeUndefined()
        const truncated = text.slice(0, cut % (text.length + 1))
        expect(jsonErrorOffset(truncated) === undefined).toBe(parses(truncated))
      }),
      { numRuns: 500 },
    )
  })

  it('a text of 100,000 unclosed [ gives the offset where it ends, not a stack overflow', () => {
    const text = '['.repeat(100_000)
    expect(jsonErrorOffset(text)).toBe(100_000)
    expect(jsonErrorOffset(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)).toBeUndefined()
  })
})
