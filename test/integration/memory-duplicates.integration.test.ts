/**
 * Issue 7's numbers, on moto through the deployed chain (ingest -> FIFO queue -> reconcile): the same CloudTrail event
 * delivered 10 times, one after another (EventBridge's and Lambda's retries) or at once (concurrent invocations), is
 * reconciled once, alerted at most once, healed at most once, and is never a Lambda error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aboutEnvironment } from '../support/alert-inbox'
import type { HandledEvent } from '../support/guard'
import { startWorld, type World } from '../support/world'

const IDEMPOTENCY = 'https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/'
const RETRIES = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

/** Reconciles (roles evaluated), alerts, heal writes and Lambda errors over every delivery. */
function totals(deliveries: HandledEvent[]) {
  return {
    reconciles: deliveries.flatMap((d) => d.summary.roles).length,
    alerts: deliveries.flatMap((d) => d.alerts).length,
    heals: deliveries.flatMap((d) => d.healWrites).length,
    errors: deliveries.flatMap((d) => d.errors).length,
    duplicates: deliveries.filter((d) => d.summary.status === 'duplicate').length,
  }
}

describe.each(['alert', 'heal'] as const)('the same event 10 times, %s mode', (mode) => {
  it(`${IDEMPOTENCY}: one after another (${RETRIES}): 1 reconcile, <= 1 alert, <= 1 heal, 0 Lambda errors`, async () => {
    const env = await world.createEnvironment({ mode })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const guard = world.guard()
    const deliveries: HandledEvent[] = []
    for (let i = 0; i < 10; i++) deliveries.push(await guard.handle(event))
    expect(totals(deliveries)).toEqual({
      reconciles: 1,
      alerts: 1,
      heals: mode === 'heal' ? 1 : 0,
      errors: 0,
      duplicates: 9,
    })
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })).toHaveLength(1)
  })

  it(`${IDEMPOTENCY}: 10 concurrent invocations: 1 reconcile, <= 1 alert, <= 1 heal, 0 Lambda errors`, async () => {
    const env = await world.createEnvironment({ mode })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    // Ten warm Lambda instances at once, all draining the one queue.
    const guards = Array.from({ length: 10 }, () => world.guard())
    const deliveries = await Promise.all(guards.map((g) => g.handle(event)))
    expect(totals(deliveries)).toEqual({
      reconciles: 1,
      alerts: 1,
      heals: mode === 'heal' ? 1 : 0,
      errors: 0,
      duplicates: 9,
    })
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 2, timeoutMs: 500 })).toHaveLength(1)
  })
})
