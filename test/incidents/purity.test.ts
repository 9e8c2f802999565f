import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// lib/incidents is pure: the shell reads the state table and the clock, the decisions (notify, heal, contested) are made here.
const DIR = join(import.meta.dirname, '..', '..', 'lib', 'incidents')
const FORBIDDEN: Array<[what: string, pattern: RegExp]> = [
  ['an AWS SDK import', /from ['"]@aws-sdk\//],
  ['a node: import', /from ['"]node:/],
  ['Powertools or middy', /from ['"]@(aws-lambda-powertools|middy)\//],
  ['an import from the I/O layer', /from ['"]\.\.\/aws\//],
  ['process.env', /process\.env/],
  ['the clock', /Date\.now\(|new Date\(\)/],
  ['logging', /\bconsole\.(log|info|warn|error|debug)\(/],
]

describe('lib/incidents is pure', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'))

  it.each(files)('%s', (file) => {
    const text = readFileSync(join(DIR, file), 'utf8')
    const found = FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([what]) => what)
    expect(found).toEqual([])
  })
})
