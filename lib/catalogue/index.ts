/** Pure entry points of the catalogue (the node:fs loader lives in ./load-full and is imported explicitly). */
export { baselineCatalogue, baselineCatalogueSource } from './baseline-catalogue'
export { BASELINE_SERVICES } from './baseline-services'
export { catalogueFromData } from './catalogue-from-data'
export type { ArnFormats, Catalogue, CatalogueFile, CompactCatalogue } from './types'
