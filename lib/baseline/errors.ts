/** Errors for bad user input to the baseline: one line, `source: field: problem` (see lib/input-error). */
import { InputError } from '../input-error'

/** A GetEnvironment description that lacks, or has a malformed, field the baseline reads. */
export class EnvironmentParseError extends InputError {
  override name = 'EnvironmentParseError'
}

/** An extras file that is not valid (syntax, shape, unknown action, Deny, ...). */
export class ExtrasParseError extends InputError {
  override name = 'ExtrasParseError'
}
