/** The sweep's rotating start: sweeps on a schedule that each reach a quarter of the list reach all of it together. */
import { describe, expect, it } from 'vitest'
import { rotationOffset, sweepOrder } from '../../lib/reconcile/sweep-order'

const MINUTE = 60_000
const START = Date.UTC(2026, 11, 2, 0, 0, 0)

describe('sweepOrder', () => {
  it.each([
    ['rate(30 minutes)', 30 * MINUTE],
    ['rate(1 hour)', 60 * MINUTE],
    ['rate(6 hours) (the stack default)', 6 * 60 * MINUTE],
    ['rate(12 hours)', 12 * 60 * MINUTE],
    ['rate(1 day)', 24 * 60 * MINUTE],
  ])('%s: 8 consecutive sweeps that each reach 25 of 100 roles reach all 100', (_schedule, interval) => {
    const roles = Array.from({ length: 100 }, (_, i) => `role-${String(i).padStart(3, '0')}`)
    const reached = new Set<string>()
    for (let sweep = 0; sweep < 8; sweep++) {
      for (const role of sweepOrder(roles, (r) => r, START + sweep * interval).slice(0, 25)) reached.add(role)
    }
    expect(reached.size).toBe(100)
  })

  it('is a rotation of the name-sorted list: every role once, in order from the offset', () => {
    const order = sweepOrder(['c', 'a', 'd', 'b'], (r) => r, START + 7 * 60 * MINUTE)
    const offset = rotationOffset(START + 7 * 60 * MINUTE, 4)
    expect(order).toEqual([...['a', 'b', 'c', 'd'].slice(offset), ...['a', 'b', 'c', 'd'].slice(0, offset)])
  })

  it('a sweep retried within the same minute starts at the same place', () => {
    expect(rotationOffset(START + 5_000, 1000)).toBe(rotationOffset(START + 55_000, 1000))
    expect(rotationOffset(START, 0)).toBe(0)
  })
})
