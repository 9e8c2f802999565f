/** The catalogue the Lambda ships: the generated subset for the baseline's services (no file reads at run time). */
import { catalogueFromData } from './catalogue-from-data'
import generated from './baseline-services.generated.json'
import type { Catalogue, CatalogueData, CatalogueFile } from './types'

const file = generated as CatalogueFile
let cached: Catalogue | undefined

/** Catalogue of the services the MWAA baseline uses (airflow, cloudwatch, kms, logs, s3, sqs, sts). */
export function baselineCatalogue(): Catalogue {
  cached ??= catalogueFromData(file.actions, file.arnFormats)
  return cached
}

/** Which iam-data release the shipped subset was generated from. */
export const baselineCatalogueSource: CatalogueFile['source'] = file.source

/** The shipped subset's data, to merge a compiled extras slice into (mergeCatalogues). */
export function baselineCatalogueData(): CatalogueData {
  return { actions: file.actions, arnFormats: file.arnFormats }
}
