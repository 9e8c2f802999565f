/** Builds the synchronous Catalogue from compact data (a generated subset, or the full catalogue). */
import { resourceTypesOfArn } from './arn-types'
import { nearest } from './nearest'
import type { ArnFormats, Catalogue, CompactCatalogue } from './types'
import { encodeWildcards, globMatch } from '../iam/glob'
import { hasWildcard } from './wildcard'

type ServiceIndex = { prefix: string; actions: Map<string, { name: string; resourceTypes: string[] }> }

function splitAction(action: string): [string, string] | undefined {
  const colon = action.indexOf(':')
  if (colon <= 0 || colon === action.length - 1) return undefined
  return [action.slice(0, colon), action.slice(colon + 1)]
}

export type CatalogueOptions = {
  /**
   * Services whose actions are a slice (compiled extras): a wildcard reaching one expands to nothing, so a caller
   * that needs every action a pattern grants (the heal's "within the baseline" test) errs towards "unknown".
   */
  partial?: readonly string[]
}

/** A Catalogue over compact data; `arnFormats` enables `arnFormat` and `appliesTo`. Pure. */
export function catalogueFromData(
  data: CompactCatalogue,
  arnFormats: ArnFormats = {},
  options: CatalogueOptions = {},
): Catalogue {
  const index = new Map<string, ServiceIndex>()
  for (const [service, actions] of Object.entries(data)) {
    const prefix = service.toLowerCase()
    const entry: ServiceIndex = { prefix, actions: new Map() }
    for (const [name, resourceTypes] of Object.entries(actions)) {
      entry.actions.set(name.toLowerCase(), { name, resourceTypes })
    }
    index.set(prefix, entry)
  }
  const formats = new Map(Object.entries(arnFormats).map(([s, f]) => [s.toLowerCase(), f]))
  const services = [...index.keys()].sort()
  const partial = (options.partial ?? []).map((s) => s.toLowerCase())

  const lookup = (action: string) => {
    const parts = splitAction(action)
    if (!parts) return undefined
    const service = index.get(parts[0].toLowerCase())
    const found = service?.actions.get(parts[1].toLowerCase())
    return service && found ? { service: service.prefix, ...found } : undefined
  }

  const catalogue: Catalogue = {
    services: () => [...services],
    hasAction: (action) => lookup(action) !== undefined,
    canonical(action) {
      const found = lookup(action)
      return found && `${found.service}:${found.name}`
    },
    expand(pattern) {
      if (pattern === '*') return partial.length > 0 ? [] : services.flatMap((s) => catalogue.expand(`${s}:*`))
      const parts = splitAction(pattern)
      if (!parts) return []
      // The evaluator's matcher, on lower case: action names are not case-sensitive.
      const service = encodeWildcards(parts[0].toLowerCase())
      if (hasWildcard(pattern) && partial.some((prefix) => globMatch(service, prefix))) return []
      const action = encodeWildcards(parts[1].toLowerCase())
      const matches: string[] = []
      for (const prefix of services) {
        if (!globMatch(service, prefix)) continue
        for (const { name } of index.get(prefix)!.actions.values()) {
          if (globMatch(action, name.toLowerCase())) matches.push(`${prefix}:${name}`)
        }
      }
      return matches.sort()
    },
    resourceTypes(action) {
      const found = lookup(action)
      return found && [...found.resourceTypes]
    },
    suggest(action) {
      if (hasWildcard(action)) return undefined
      const parts = splitAction(action)
      if (!parts) return undefined
      const prefix = index.has(parts[0].toLowerCase()) ? parts[0].toLowerCase() : nearest(parts[0], services)
      const service = prefix ? index.get(prefix) : undefined
      if (!service) return undefined
      const name = nearest(
        parts[1],
        [...service.actions.values()].map((a) => a.name),
      )
      return name && `${service.prefix}:${name}`
    },
    arnFormat(service, resourceType) {
      const serviceFormats = formats.get(service.toLowerCase()) ?? {}
      const key = Object.keys(serviceFormats).find((k) => k.toLowerCase() === resourceType.toLowerCase())
      return key === undefined ? undefined : serviceFormats[key]
    },
    appliesTo(action, resource) {
      if (resource === '*') return true
      const found = lookup(action)
      if (!found) return true
      if (found.resourceTypes.length === 0) return false
      const serviceFormats = formats.get(found.service)
      const types = resourceTypesOfArn(serviceFormats, resource)
      if (types.length === 0) {
        // Unrecognised: another service's ARN cannot be authorized by this action; our own service's we cannot judge.
        const arnService = resource.split(':')[2]
        return serviceFormats === undefined || arnService?.toLowerCase() === found.service
      }
      const wanted = new Set(found.resourceTypes.map((t) => t.toLowerCase()))
      return types.some((t) => wanted.has(t.toLowerCase()))
    },
  }
  return catalogue
}
