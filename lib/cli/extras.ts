/**
 * `extras --extras FILE [--output OUT]`: validates an extras file with the full IAM catalogue, as `check --extras`
 * does, and prints it compiled for the Lambda (JSON for the SSM parameter EXTRAS_PARAMETER; docs/extras.md).
 * Exit 0 when it fits an SSM parameter, 2 on bad input or when it does not fit.
 */
import { compileExtras } from '../baseline/compile-extras'
import { SSM_VALUE_LIMIT } from '../baseline/compiled-extras'
import { parseExtras } from '../baseline/extras'
import { catalogueFromData } from '../catalogue/catalogue-from-data'
import { readIamData } from '../catalogue/load-full'
import { InputError } from '../input-error'
import { parseFlags, required } from './args'
import { readExtrasText, writeText } from './files'
import type { Io } from './io'

/** The CLI command. */
export async function extrasCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, { extras: { type: 'string' }, output: { type: 'string' } })
  const path = required(flags.extras, 'extras')
  const full = readIamData()
  const file = parseExtras(readExtrasText(path), path, catalogueFromData(full.actions, full.arnFormats))
  const text = JSON.stringify(compileExtras(file, full, full.source.version))
  const bytes = Buffer.byteLength(text)
  if (bytes > SSM_VALUE_LIMIT.Advanced) {
    throw new InputError(
      path,
      '',
      `compiles to ${bytes} bytes, more than an SSM parameter holds (${SSM_VALUE_LIMIT.Advanced}, Advanced tier): name fewer actions, or narrower patterns`,
    )
  }
  const tier =
    bytes > SSM_VALUE_LIMIT.Standard
      ? `needs --tier Advanced (over the Standard tier's ${SSM_VALUE_LIMIT.Standard})`
      : `fits the Standard tier (${SSM_VALUE_LIMIT.Standard})`
  if (flags.output === undefined) {
    io.out(text)
    io.err(`${path}: compiled to ${bytes} bytes: ${tier}`)
  } else {
    writeText(flags.output, text)
    io.out(`wrote ${flags.output} (${bytes} bytes: ${tier})`)
  }
  return 0
}
