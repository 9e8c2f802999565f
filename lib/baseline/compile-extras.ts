/** Compiles a validated extras file for the Lambda (`mwaa-role-guard extras`): see ./compiled-extras. Pure. */
import { sliceCatalogue } from '../catalogue/slice'
import type { CatalogueData } from '../catalogue/types'
import type { PolicyStatement } from '../iam/types'
import { COMPILED_EXTRAS_FORMAT, COMPILED_EXTRAS_VERSION, type CompiledExtras } from './compiled-extras'
import type { ExtraStatement, ExtrasFile } from './extras-file'
import { GENERATED_SID } from './sids'

/** The statement as the file gives it again: a generated Sid is left out (it is positional, and reserved). */
function written(extra: ExtraStatement): PolicyStatement {
  const { Sid, ...rest } = extra.statement
  return Sid === undefined || GENERATED_SID.test(Sid) ? rest : { Sid, ...rest }
}

/** Compiled extras for `file`, validated with `full` (the data of the catalogue it was parsed with). */
export function compileExtras(file: ExtrasFile, full: CatalogueData, iamDataVersion: string): CompiledExtras {
  const environments: Record<string, PolicyStatement[]> = {}
  const actions: string[] = []
  const resources: string[] = []
  for (const [name, statements] of Object.entries(file.environments)) {
    environments[name] = statements.map(written)
    for (const extra of statements) {
      actions.push(...extra.actions)
      resources.push(...([] as string[]).concat(extra.statement.Resource ?? []))
    }
  }
  return {
    format: COMPILED_EXTRAS_FORMAT,
    formatVersion: COMPILED_EXTRAS_VERSION,
    source: file.source,
    iamDataVersion,
    extras: { version: 1, environments },
    catalogue: sliceCatalogue(full, actions, resources),
  }
}
