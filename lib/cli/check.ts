/**
 * `check --environment-file ENV.json --authorization-details AUTH.json`: offline role check.
 * `check --env NAME [--region R]`: the same check against a live environment.
 * Exit 0 when everything required is granted (warnings allowed), 1 on drift, 2 on bad input.
 */
import { UsageError, parseFlags, required } from './args'
import { roleFromAuthorizationDetails } from './authorization-details'
import { type DocumentFiles, hasDocumentFiles, readDocumentFiles } from './document-files'
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
    'bucket-policy': { type: 'string' },
    'key-policy': { type: 'string' },
    'endpoint-policy': { type: 'string', multiple: true },
    scp: { type: 'string', multiple: true },
    rcp: { type: 'string', multiple: true },
  })
  const documentFiles: DocumentFiles = {
    bucketPolicy: flags['bucket-policy'],
    keyPolicy: flags['key-policy'],
    endpointPolicies: flags['endpoint-policy'] ?? [],
    scps: flags.scp ?? [],
    rcps: flags.rcp ?? [],
  }
  if (flags.env !== undefined) {
    if (flags['environment-file'] || flags['authorization-details']) {
      throw new UsageError('use either --env NAME (live) or --environment-file with --authorization-details (offline)')
    }
    if (hasDocumentFiles(documentFiles))
      throw new UsageError(
        '--bucket-policy, --key-policy, --endpoint-policy, --scp and --rcp go with --environment-file (--env reads them live)',
      )
    const { liveCheck } = await import('./check-live')
    return liveCheck({ name: flags.env, region: flags.region, extras: flags.extras, json: flags.json === true }, io)
  }
  if (flags.region !== undefined) throw new UsageError('--region goes with --env')
  const environmentFile = required(flags['environment-file'], 'environment-file')
  const authFile = required(flags['authorization-details'], 'authorization-details')
  const { environment, baseline, catalogue } = await loadBaseline(environmentFile, flags.extras)
  const role = roleFromAuthorizationDetails(readJson(authFile), baseline.environment.executionRoleArn, authFile)
  const documents = hasDocumentFiles(documentFiles)
    ? new Map([[baseline.environment.name, readDocumentFiles(documentFiles, environment)]])
    : undefined
  return printCheck(role, [baseline], catalogue, flags.json === true, io, authFile, documents)
}
