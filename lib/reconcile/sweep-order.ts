/**
 * The order a sweep reconciles drifted roles in. A sweep that runs out of time must not leave the same tail unchecked
 * every time, so each sweep starts at another place in the (name-sorted) list: the offset is the fractional part of
 * (hours since the epoch) x the golden ratio, a Weyl sequence whose values for sweeps a fixed interval apart spread
 * over the whole list (6 hours apart: 0, .71, .42, .12, .83, .54, .25, .96 of the way in; hourly, daily and
 * sub-hourly schedules spread too). No state is needed; a state table can later order by "not seen longest".
 */

const GOLDEN = (Math.sqrt(5) - 1) / 2

/** Where in a list of `length` items the sweep that starts at `nowMs` begins. */
export function rotationOffset(nowMs: number, length: number): number {
  if (length <= 0) return 0
  // Whole minutes, so sweeps retried within the same minute start at the same place.
  const hours = Math.floor(nowMs / 60_000) / 60
  return Math.floor(((hours * GOLDEN) % 1) * length)
}

/** The items sorted by `key`, then rotated to start at the sweep's offset. */
export function sweepOrder<T>(items: readonly T[], key: (item: T) => string, nowMs: number): T[] {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  const offset = rotationOffset(nowMs, sorted.length)
  return [...sorted.slice(offset), ...sorted.slice(0, offset)]
}
