/** `--since 7d | 12h | 30m | 2026-11-30[T10:00:00Z]`: the start of a history window, as epoch ms. */
import { UsageError } from './args'

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** Parses a relative duration (before `now`) or an ISO-8601 date; a bad value is a UsageError naming the flag. */
export function parseSince(value: string, now: number): number {
  const relative = /^(\d{1,5})([mhd])$/.exec(value.trim())
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(value.trim())) {
    const at = Date.parse(value.trim())
    if (!Number.isNaN(at)) return at
  }
  throw new UsageError(`--since: expected a duration like 7d, 12h or 30m, or a date like 2026-11-30, not "${value}"`)
}
