import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Pure folders: no SDK, no node: I/O, no environment, no clock, no logging (docs/CONTRIBUTING-HELPERS.md).
// lib/catalogue/load-full.ts is the catalogue's shell and the one allowed exception.
const FORBIDDEN = [/from ['"]@aws-sdk\//, /from ['"]node:/, /process\.env/, /Date\.now\(/, /console\./]
const files = ['lib/baseline', 'lib/catalogue'].flatMap((dir) =>
  readdirSync(new URL(`../../${dir}`, import.meta.url))
    .filter((f) => f.endsWith('.ts') && !(dir === 'lib/catalogue' && f === 'load-full.ts'))
    .map((f) => `${dir}/${f}`),
)

describe('pure folders stay pure (the Lambda bundles them; the CLI reads files itself)', () => {
  it.each(files.map((f) => [f]))('%s', (file) => {
    const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
    expect(FORBIDDEN.filter((re) => re.test(source)).map(String)).toEqual([])
  })
})
