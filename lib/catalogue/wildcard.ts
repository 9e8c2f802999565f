/** IAM-style wildcard patterns: `*` any run of characters, `?` exactly one, matched case-insensitively. */

/** Compiles an IAM action/ARN wildcard pattern to an anchored, case-insensitive RegExp. */
export function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`, 'i')
}

/** True when the string has an IAM wildcard character. */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?')
}
