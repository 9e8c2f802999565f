/**
 * User extras in the Lambda: the compiled extras (`mwaa-role-guard extras`) in the SSM parameter EXTRAS_PARAMETER,
 * read once per invocation (the adapter caches the value for 5 minutes, so a new version takes effect without a
 * deploy). The parameter must be a SecureString (only principals allowed to decrypt it can write it readable), or a
 * parameter whose SHA-256 the stack pins (EXTRAS_PARAMETER_SHA256); its actions are checked against the catalogue the
 * function ships. A parameter that cannot be used is logged and skipped: the roles are still checked against the MWAA
 * baseline, rather than every event failing until someone fixes the parameter.
 * SecureString: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
 */
import { createHash } from 'node:crypto'
// Direct imports: the baseline index also exports the YAML extras parser.
import { readCompiledExtras } from '../baseline/compiled-extras'
import { actionLevels } from '../catalogue/action-levels'
import { baselineCatalogueData } from '../catalogue/baseline-catalogue'
import { InputError } from '../input-error'
import type { SsmParameter } from '../aws/ssm'
import { baselineCatalogue } from '../catalogue'
import type { Deps, RunContext } from './types'

/**
 * The context one run reconciles with: its clock, and extras and catalogue from EXTRAS_PARAMETER (or the shipped
 * catalogue and `extrasSkipped`). Pass `withExtras: false` when the run will evaluate no role. Never throws.
 */
export async function startRun(
  deps: Pick<Deps, 'config' | 'ssm' | 'log' | 'clock'>,
  options: { withExtras?: boolean } = {},
): Promise<RunContext> {
  const plain: RunContext = { now: deps.clock, catalogue: baselineCatalogue() }
  const name = deps.config.extrasParameter
  if (!name || !deps.ssm || options.withExtras === false) return plain
  const source = `SSM parameter ${name}`
  try {
    const parameter = await deps.ssm.getParameter(name)
    const refused = trustProblem(parameter, deps.config.extrasSha256)
    if (refused) throw new InputError(source, '', refused)
    const loaded = readCompiledExtras(parameter.value, source, baselineCatalogueData(), actionLevels())
    deps.log.debug('extras loaded', { parameter: name, ...loaded.compiled })
    return { ...plain, extras: loaded.extras, catalogue: loaded.catalogue }
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
    return { ...plain, extrasSkipped: reason }
  }
}

/** Why the parameter's value is not to be trusted: a String without a pinned hash, or a value that is not the pinned one. */
function trustProblem(parameter: SsmParameter, pinned: string | undefined): string | undefined {
  if (pinned !== undefined) {
    const actual = createHash('sha256').update(parameter.value, 'utf8').digest('hex')
    return actual === pinned
      ? undefined
      : `its value's SHA-256 is ${actual}, not EXTRAS_PARAMETER_SHA256 ${pinned}: refused (update the pin with the parameter)`
  }
  if (parameter.type === 'SecureString') return undefined
  return (
    `is a ${parameter.type} parameter: refused. Store the compiled extras as a SecureString, ` +
    'or pin the SHA-256 of its value in EXTRAS_PARAMETER_SHA256 (stack parameter extrasParameterSha256)'
  )
}
