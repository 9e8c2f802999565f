/** The validated extras data and the per-environment look-up: no parsing here, so the Lambda bundle stays free of yaml. */
import type { PolicyStatement } from '../iam/types'

/** The key of statements that apply to every environment. */
export const ALL = '*'

/** One validated Allow statement of an extras file. */
export type ExtraStatement = {
  /** Sid in the baseline policy: the user's, or `ExtraShared{n}` / `ExtraEnv{n}` */
  sid: string
  /** `environments.my-env[0]`: where the statement is in its file */
  field: string
  /** `extras.yaml: environments.my-env[0]`, for messages */
  origin: string
  /** concrete actions, canonical casing, expanded with the catalogue that validated the file */
  actions: string[]
  /** the statement as written (placeholders such as `${Region}` not yet filled) */
  statement: PolicyStatement
}

export type ExtrasFile = { source: string; version: 1; environments: Record<string, ExtraStatement[]> }

/** The extras that apply to one environment: the shared ("*") statements, then its own. */
export function extrasFor(file: ExtrasFile, environmentName: string): ExtraStatement[] {
  return [
    ...(file.environments[ALL] ?? []),
    ...(environmentName === ALL ? [] : (file.environments[environmentName] ?? [])),
  ]
}
