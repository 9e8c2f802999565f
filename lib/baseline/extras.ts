/**
 * User extras: permissions an environment's DAGs need beyond the doc's baseline (e.g. Secrets Manager), in a small
 * YAML or JSON file. Format: docs/extras.md. MWAA cannot detect these itself:
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("How to add permission to use other AWS services")
 */
import { parseDocument } from 'yaml'
import type { Catalogue } from '../catalogue/types'
import { ExtrasParseError } from './errors'
import { validateExtrasData } from './extras-data'
import type { ExtrasFile } from './extras-file'

export { extrasFor, type ExtraStatement, type ExtrasFile } from './extras-file'

function parseText(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false })
  const error = doc.errors[0]
  if (error) {
    const line = text.slice(0, error.pos[0]).split('\n').length
    throw new ExtrasParseError(source, `line ${line}`, error.message.split('\n')[0] ?? 'invalid YAML', { cause: error })
  }
  return doc.toJS()
}

/** Parses and validates an extras file (YAML or JSON); throws ExtrasParseError, one line naming file and field. */
export function parseExtras(text: string, source: string, catalogue: Catalogue): ExtrasFile {
  return validateExtrasData(parseText(text, source), source, catalogue)
}
