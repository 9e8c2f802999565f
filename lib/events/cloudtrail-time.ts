/**
 * CloudTrail writes times as ISO-8601 (`eventTime`), but records also carry Java-style dates such as
 * `May 31, 2023 4:56:44 AM` (e.g. responseElements.role.createDate), and boto3 dumps use `2024-04-29 00:11:43+00:00`.
 * All are UTC unless an offset says otherwise.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const JAVA_STYLE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** Converts a CloudTrail date to ISO-8601 UTC (`2023-05-31T04:56:44.000Z`), or undefined when unrecognised. */
export function toIsoTime(text: string): string | undefined {
  const trimmed = text.trim()
  const java = JAVA_STYLE.exec(trimmed)
  if (java) {
    const [, mon, day, year, hour, minute, second, half] = java as unknown as string[]
    const month = MONTHS.indexOf(mon as string)
    const h = Number(hour)
    if (month < 0 || h < 1 || h > 12) return undefined
    const hours24 = (h % 12) + (half === 'PM' ? 12 : 0)
    const ms = Date.UTC(Number(year), month, Number(day), hours24, Number(minute), Number(second))
    const date = new Date(ms)
    // Date.UTC rolls "Feb 30" over into March: reject instead.
    return date.getUTCDate() === Number(day) && date.getUTCMonth() === month ? date.toISOString() : undefined
  }
  if (!ISO_LIKE.test(trimmed)) return undefined
  const date = new Date(trimmed.replace(' ', 'T'))
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}
