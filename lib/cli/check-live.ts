/**
 * `check --env NAME [--region R]`: the offline check's report, on a live environment and its live role. The
 * environment is validated against the deployment (AWS_ACCOUNT_ID, else the credentials' account) as the Lambda does.
 */
import { extrasFor, deriveBaseline, parseExtras } from '../baseline'
import { describeRefusal, validateEnvironment } from '../baseline/validate-environment'
import { loadFullCatalogue } from '../catalogue/load-full'
import { InputError } from '../input-error'
import { startRun } from '../reconcile/extras'
import { readFresh } from '../reconcile/read-fresh'
import { wireDeps } from '../reconcile/wire'
import { stsFor } from '../reconcile/wire-sts'
import { documentsFor } from '../reconcile/documents'
import { roleNameFromArn } from '../aws/iam'
import { printCheck } from './print-check'
import { readExtrasText } from './files'
import type { Io } from './io'

export type LiveCheckOptions = { name: string; region?: string; extras?: string; json: boolean }

/** Reads the environment (MWAA) and its execution role (IAM) with the caller's credentials, then checks. */
export async function liveCheck(options: LiveCheckOptions, io: Io): Promise<number> {
  const log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => io.err(`warning: ${m}`),
    error: (m: string) => io.err(`error: ${m}`),
  }
  const deps = wireDeps(io.env, { log, sts: stsFor(io.env) })
  const region = options.region ?? deps.config.region
  const found = await deps.mwaa.getEnvironment(options.name, region)
  if (found.kind === 'not-found')
    throw new InputError('--env', '', `no MWAA environment named ${options.name} in ${region}`)
  const environment = found.environment
  // The same validation as the Lambda's: data that would be refused there is not checked here either.
  const deployment = await deps.deployment()
  const check = validateEnvironment(environment, { ...deployment, regions: [...deployment.regions, region] }, region)
  if (check.kind === 'refused') {
    for (const refusal of check.refusals) io.out(`Environment ${environment.Name}: ${describeRefusal(refusal)}`)
    return 1
  }
  // Without --extras, the Lambda's extras (EXTRAS_PARAMETER, when set): the re-check an alert suggests checks alike.
  const lambda = await startRun(deps, { withExtras: !options.extras })
  const catalogue = options.extras ? loadFullCatalogue() : lambda.catalogue
  const file = options.extras ? parseExtras(readExtrasText(options.extras), options.extras, catalogue) : lambda.extras
  const extras = file ? extrasFor(file, environment.Name) : []
  const baseline = deriveBaseline(environment, { catalogue, extras })
  const roleName = roleNameFromArn(environment.ExecutionRoleArn)
  if (!roleName)
    throw new InputError(options.name, 'ExecutionRoleArn', `not a role ARN: ${environment.ExecutionRoleArn}`)
  const read = await readFresh(deps, roleName)
  if (read.kind === 'not-found') {
    io.out(`Environment ${environment.Name}: its execution role ${environment.ExecutionRoleArn} does not exist.`)
    return 1
  }
  // The documents beyond the role, read live as the Lambda reads them (bucket, key, VPC endpoints, SCPs/RCPs).
  const documents = await documentsFor(deps, [{ environment, region }])
  return printCheck(read.role, [baseline], catalogue, options.json, io, `role ${roleName}`, documents)
}
