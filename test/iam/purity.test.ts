import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// lib/iam is a pure folder (docs/CONTRIBUTING-HELPERS.md): no SDK, no environment, no clock, no I/O, no logging.
const dir = join(import.meta.dirname, '../../lib/iam')
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'))
const FORBIDDEN = [/from ['"]@aws-sdk/, /from ['"]node:/, /process\.env/, /Date\.now\(/, /console\./, /new RegExp\(/]

describe('lib/iam stays pure', () => {
  it.each(files)('%s has no I/O, SDK, clock, logging or runtime-built RegExp', (file) => {
    const text = readFileSync(join(dir, file), 'utf8')
    for (const pattern of FORBIDDEN) expect(text, `${file} matches ${pattern}`).not.toMatch(pattern)
  })
})
