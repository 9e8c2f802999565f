/** Thrown by compilePolicy when a document is not a valid policy; `path` names the offending field. */
export class PolicyParseError extends Error {
  override name = 'PolicyParseError' as const
  /** where the problem is, e.g. `Statement[2].Condition.StringLike` ('' for the document itself) */
  readonly path: string

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(path === '' ? message : `${path}: ${message}`, options)
    this.path = path
  }
}
