/** User-controlled values (names, ARNs, user agents) made safe for a plain-text e-mail body. */

/**
 * One line, no control characters (a user agent with "\n\nAll clear" must not forge a line of the alert), no bidi
 * overrides (they can make an ARN read as another), at most `max` characters.
 */
export function plainValue(value: string, max = 400): string {
  const clean = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (clean.length <= max) return clean
  // counted in UTF-16 units (what JavaScript and Slack's limits count), never splitting a surrogate pair
  let out = ''
  for (const ch of clean) {
    if (out.length + ch.length > max - 1) break
    out += ch
  }
  return `${out}…`
}
