import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// lib/drift is pure and lib/report is shared with the Lambda's alerts: no SDK, no node: I/O, no environment, no clock,
// no logging (docs/CONTRIBUTING-HELPERS.md), so the remediator can verify a plan before writing it.
const FORBIDDEN = [
  /from ['"]@aws-sdk\//,
  /from ['"]node:/,
  /process\.env/,
  /Date\.now\(/,
  /console\./,
  /from ['"]\.\.\/(aws|cli)\//,
]
const files = ['lib/drift', 'lib/report'].flatMap((dir) =>
  readdirSync(new URL(`../../${dir}`, import.meta.url))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`),
)

describe('lib/drift and lib/report stay pure', () => {
  it.each(files.map((f) => [f]))('%s', (file) => {
    const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
    expect(FORBIDDEN.filter((re) => re.test(source)).map(String)).toEqual([])
  })
})
