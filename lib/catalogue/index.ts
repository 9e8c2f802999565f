/** Pure entry points of the catalogue (the node:fs loader lives in ./load-full and is imported explicitly). */
export { baselineCatalogue, baselineCatalogueData, baselineCatalogueSource } from './baseline-catalogue'
export { BASELINE_SERVICES } from './baseline-services'
export { catalogueFromData, type CatalogueOptions } from './catalogue-from-data'
export { mergeCatalogues } from './merge'
export { sliceCatalogue } from './slice'
export type { ArnFormats, Catalogue, CatalogueData, CatalogueFile, CompactCatalogue } from './types'
