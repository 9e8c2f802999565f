/**
 * Date values for the Date* operators: W3C ISO 8601 forms (YYYY, YYYY-MM, YYYY-MM-DD, with time and zone)
 * or epoch seconds. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/
const EPOCH = /^-?\d+(?:\.\d+)?$/
const YEAR = /^\d{4}$/

/**
 * Milliseconds since the epoch, or NaN when the text is not a date. All-digit text is epoch seconds, except
 * four digits: W3C's year-only form ("YYYY (eg 1997)"), a plausible policy value where 1997 epoch seconds is not.
 */
export function parseDate(text: string): number {
  const t = text.trim()
  if (EPOCH.test(t) && !YEAR.test(t)) return Number(t) * 1000
  const m = ISO.exec(t)
  if (m === null) return NaN
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const month = mo === undefined ? 0 : Number(mo) - 1
  const day = d === undefined ? 1 : Number(d)
  if (month > 11 || day < 1 || day > 31) return NaN
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000)
  let when = Date.UTC(Number(y), month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms)
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    when -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
  }
  return when
}
