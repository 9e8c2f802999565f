/** A catalogue from the Lambda's shipped subset plus a slice (compiled extras). Pure. */
import { catalogueFromData } from './catalogue-from-data'
import type { Catalogue, CatalogueData } from './types'

/**
 * Per service, the union of both sides' actions and ARN formats; on a clash the slice wins (it is what validated the
 * extras). Services only the slice has are partial: a wildcard reaching them expands to nothing (see CatalogueOptions).
 */
export function mergeCatalogues(base: CatalogueData, slice: CatalogueData): Catalogue {
  const actions: CatalogueData['actions'] = {}
  const arnFormats: CatalogueData['arnFormats'] = {}
  for (const side of [base, slice]) {
    for (const [service, list] of Object.entries(side.actions)) actions[service] = { ...actions[service], ...list }
    for (const [service, formats] of Object.entries(side.arnFormats))
      arnFormats[service] = { ...arnFormats[service], ...formats }
  }
  const partial = Object.keys(slice.actions).filter((service) => base.actions[service] === undefined)
  return catalogueFromData(actions, arnFormats, { partial })
}
