/** IAM-style wildcard patterns: `*` any run of characters, `?` exactly one (matching: lib/iam/glob). */

/** True when the string has an IAM wildcard character. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?')
}
