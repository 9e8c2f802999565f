import { describe, expect, it } from 'vitest'
import { UsageError } from '../../lib/cli/args'
import { parseSince } from '../../lib/cli/since'

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0)

describe('history --since', () => {
  it.each([
    ['7d', NOW - 7 * 86_400_000],
    ['12h', NOW - 12 * 3_600_000],
    ['30m', NOW - 30 * 60_000],
    ['2026-11-30', Date.UTC(2026, 10, 30)],
    ['2026-11-30T10:00:00Z', Date.UTC(2026, 10, 30, 10)],
  ])('%s', (value, want) => {
    expect(parseSince(value, NOW)).toBe(want)
  })
  it.each(['7', 'a week', '7w', '2026-13-45', '-3d'])('%j is a usage error naming the flag', (value) => {
    expect(() => parseSince(value, NOW)).toThrow(UsageError)
    expect(() => parseSince(value, NOW)).toThrow(/^--since: /)
  })
})
