/**
 * User extras in the Lambda: the compiled extras (`mwaa-role-guard extras`) in the SSM parameter EXTRAS_PARAMETER,
 * read once per invocation (the adapter caches the value for 5 minutes, so a new version takes effect without a
 * deploy). A parameter that cannot be read or is not valid is logged and skipped: the roles are still checked
 * against the MWAA baseline, rather than every event failing until someone fixes the parameter.
 */
// Direct imports: the baseline index also exports the YAML extras parser.
import { readCompiledExtras } from '../baseline/compiled-extras'
import { baselineCatalogueData } from '../catalogue/baseline-catalogue'
import { InputError } from '../input-error'
import type { Deps } from './types'

/** The deps one invocation reconciles with: extras and catalogue from EXTRAS_PARAMETER, or `extrasSkipped`. Never throws. */
export async function withExtras(deps: Deps): Promise<Deps> {
  const name = deps.config.extrasParameter
  if (!name || !deps.ssm) return deps
  const source = `SSM parameter ${name}`
  try {
    const loaded = readCompiledExtras(await deps.ssm.getParameter(name), source, baselineCatalogueData())
    deps.log.debug('extras loaded', { parameter: name, ...loaded.compiled })
    return { ...deps, extras: loaded.extras, catalogue: loaded.catalogue, extrasSkipped: undefined }
  } catch (error) {
    // A bad value names the parameter and the field; an SDK error (ParameterNotFound, AccessDeniedException) by name.
    const reason =
      error instanceof InputError
        ? error.message
        : `${source}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`
    deps.log.error('extras not checked: the extras parameter cannot be used; checking the MWAA baseline alone', {
      parameter: name,
      error: reason,
    })
    return { ...deps, extrasSkipped: reason }
  }
}
