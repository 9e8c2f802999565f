/**
 * The part of a catalogue that a set of extras reads: their actions (with resource types) and, per service, the ARN
 * formats their resources could match. Small enough for an SSM parameter (a whole service can be 15 KB: glue), and
 * exact for these actions and resources: `expand` of the patterns that produced the actions, `resourceTypes` and
 * `appliesTo` answer as the full catalogue does. Pure.
 */
import { typesReachable } from './arn-types'
import type { CatalogueData } from './types'

/** The slice of `data` for these concrete actions (`service:Name`, canonical casing) and resources (ARNs or "*"). */
export function sliceCatalogue(
  data: CatalogueData,
  actions: readonly string[],
  resources: readonly string[],
): CatalogueData {
  const slice: CatalogueData = { actions: {}, arnFormats: {} }
  const patterns = [...new Set(resources)].filter((r) => r !== '*')
  for (const action of [...new Set(actions)].sort()) {
    const [service = '', name = ''] = action.split(':')
    const resourceTypes = data.actions[service]?.[name]
    if (resourceTypes === undefined) throw new Error(`${action} is not in the catalogue it was validated with`)
    slice.actions[service] ??= {}
    const list = slice.actions[service]
    list[name] = [...resourceTypes]
  }
  for (const service of Object.keys(slice.actions)) {
    const formats = data.arnFormats[service]
    // A service without formats stays without: appliesTo tells "no formats" from "no format matched".
    if (formats === undefined) continue
    const kept = new Set(patterns.flatMap((p) => typesReachable(formats, p)))
    slice.arnFormats[service] = Object.fromEntries(Object.entries(formats).filter(([type]) => kept.has(type)))
  }
  return slice
}
