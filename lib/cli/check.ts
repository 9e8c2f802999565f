/**
 * `check --environment-file ENV.json --authorization-details AUTH.json`: offline role check.
 * `check --env NAME [--region R]`: the same check against a live environment.
 * Exit 0 when everything required is granted (warnings allowed), 1 on drift, 2 on bad input.
 */
import { UsageError, parseFlags, required } from './args'
import { roleFromAuthorizationDetails } from './authorization-details'
import { readJson } from './files'
import { loadBaseline } from './load-environment'
import { printCheck } from './print-check'
import type { Io } from './io'

/** The CLI command. */
export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, {
    'environment-file': { type: 'string' },
    'authorization-details': { type: 'string' },
    extras: { type: 'string' },
    env: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
  })
  if (flags.env !== undefined) {
    if (flags['environment-file'] || flags['authorization-details']) {
      throw new UsageError('use either --env NAME (live) or --environment-file with --authorization-details (offline)')
    }
    const { liveCheck } = await import('./check-live')
    return liveCheck({ name: flags.env, region: flags.region, extras: flags.extras, json: flags.json === true }, io)
  }
  if (flags.region !== undefined) throw new UsageError('--region goes with --env')
  const environmentFile = required(flags['environment-file'], 'environment-file')
  const authFile = required(flags['authorization-details'], 'authorization-details')
  const { baseline, catalogue } = await loadBaseline(environmentFile, flags.extras)
  const role = roleFromAuthorizationDetails(readJson(authFile), baseline.environment.executionRoleArn, authFile)
  return printCheck(role, [baseline], catalogue, flags.json === true, io, authFile)
}
