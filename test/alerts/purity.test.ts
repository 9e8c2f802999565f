import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// lib/alerts is pure (docs/CONTRIBUTING-HELPERS.md): the shell publishes what it composes, the clock comes in as `at`.
const FORBIDDEN = [
  /from ['"]@aws-sdk\//,
  /from ['"]node:/,
  /process\.env/,
  /Date\.now\(/,
  /new Date\(/,
  /console\./,
  /fetch\(/,
]
const files = readdirSync(new URL('../../lib/alerts', import.meta.url)).filter((f) => f.endsWith('.ts'))

describe('lib/alerts stays pure', () => {
  it.each(files.map((f) => [f]))('%s', (file) => {
    const source = readFileSync(new URL(`../../lib/alerts/${file}`, import.meta.url), 'utf8')
    expect(FORBIDDEN.filter((re) => re.test(source)).map(String)).toEqual([])
  })
})
