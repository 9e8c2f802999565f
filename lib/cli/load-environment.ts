/** Shared by `baseline` and `check`: environment file + optional extras file -> a Baseline. */
import { deriveBaseline } from '../baseline/derive-baseline'
import { extrasFor } from '../baseline/extras-file'
import { parseEnvironment } from '../baseline/parse-environment'
import type { Baseline, MwaaEnvironment } from '../baseline/types'
import { baselineCatalogue } from '../catalogue/baseline-catalogue'
import type { Catalogue } from '../catalogue/types'
import { readExtrasText, readJson } from './files'

export type Loaded = { environment: MwaaEnvironment; baseline: Baseline; catalogue: Catalogue }

/**
 * The baseline services' catalogue is enough for the doc's checks; the full catalogue (15 MB of iam-data) and the
 * YAML parser are loaded only when an extras file may name any service, so `baseline` and `check` start fast.
 */
export async function loadBaseline(environmentFile: string, extrasFile?: string): Promise<Loaded> {
  const environment = parseEnvironment(readJson(environmentFile), environmentFile)
  if (!extrasFile) {
    const catalogue = baselineCatalogue()
    return { environment, baseline: deriveBaseline(environment, { catalogue, extras: [] }), catalogue }
  }
  const [{ loadFullCatalogue }, { parseExtras }] = await Promise.all([
    import('../catalogue/load-full'),
    import('../baseline/extras'),
  ])
  const catalogue = loadFullCatalogue()
  const extras = extrasFor(parseExtras(readExtrasText(extrasFile), extrasFile, catalogue), environment.Name)
  return { environment, baseline: deriveBaseline(environment, { catalogue, extras }), catalogue }
}
