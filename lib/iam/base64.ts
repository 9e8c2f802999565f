/** Base-64 for BinaryEquals, which compares bytes with the policy's base-64 value. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/

/** The decoded bytes as a binary string, or undefined when the text is not base-64. */
export function decodeBase64(text: string): string | undefined {
  const t = text.trim()
  if (!BASE64.test(t)) return undefined
  const padded = t.length % 4 === 0 ? t : t + '='.repeat(4 - (t.length % 4))
  return atob(padded)
}
