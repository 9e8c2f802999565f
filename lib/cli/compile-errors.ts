/** A role policy our parser rejects is bad input for the CLI: name the file and the policy field. */
import { PolicyParseError } from '../iam'
import { InputError } from '../input-error'

/** Runs `compile`, turning a PolicyParseError into an InputError naming the source. */
export function compileOrInputError<T>(compile: () => T, source: string): T {
  try {
    return compile()
  } catch (error) {
    if (error instanceof PolicyParseError)
      throw new InputError(source, '', `a policy of the role is not valid: ${error.message}`, { cause: error })
    throw error
  }
}
