/** Shared by `baseline` and `check`: environment file + optional extras file -> a Baseline. */
import { baselineCatalogue, type Catalogue } from '../catalogue'
import { loadFullCatalogue } from '../catalogue/load-full'
import { deriveBaseline, extrasFor, parseEnvironment, parseExtras, type Baseline } from '../baseline'
import type { MwaaEnvironment } from '../baseline/types'
import { readJson, readText } from './files'

export type Loaded = { environment: MwaaEnvironment; baseline: Baseline; catalogue: Catalogue }

/**
 * The baseline services' catalogue is enough for the doc's checks; the full catalogue is loaded only when an extras
 * file may name any service.
 */
export function loadBaseline(environmentFile: string, extrasFile?: string): Loaded {
  const environment = parseEnvironment(readJson(environmentFile), environmentFile)
  const catalogue = extrasFile ? loadFullCatalogue() : baselineCatalogue()
  const extras = extrasFile ? extrasFor(parseExtras(readText(extrasFile), extrasFile, catalogue), environment.Name) : []
  return { environment, baseline: deriveBaseline(environment, { catalogue, extras }), catalogue }
}
