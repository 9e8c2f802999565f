/** One-line errors for bad input: every edge (files, events, environment variables) reports `source: field: problem`. */
import type { z } from 'zod'

export class InputError extends Error {
  override name = 'InputError'
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(field ? `${source}: ${field}: ${problem}` : `${source}: ${problem}`, options)
  }
}

/** Formats a zod path as `Statement[2].Condition` (what a user would type to find the field). */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out || '(top level)'
}

/** Parses `value` with `schema`, or throws an InputError naming the source and the first failing field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new InputError(source, issue ? formatPath(issue.path) : '', issue?.message ?? 'invalid input', {
    cause: result.error,
  })
}
