/**
 * The settle window (issue 7): a role is reconciled once its events have waited the window on the FIFO queue, so a
 * delete-then-put of an inline policy 2 s apart converges without a write or an alert, whether both messages arrive
 * in one batch or one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorld, type World } from '../support/world'

const DELAY = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html'
const FIFO =
  'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html'

describe('delete-then-put 2 s apart (guard clock), heal mode: 0 writes, 0 alerts', () => {
  let world: World
  beforeAll(async () => {
    // A 3-second settle window (the stack's default is 30 s): the queue really delays the messages, in real time, so
    // the put must land within it also on a loaded test machine.
    world = await startWorld({ settleSeconds: 3 })
  })
  afterAll(async () => {
    await world?.stop()
  })

  it(`${DELAY}: both events wait the window and arrive together: one reconcile of the role as it is, healthy`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const operator = world.as(world.callers.operator)
    const guard = world.guard()
    const deleted = await operator.deleteRolePolicy(env.roleName, 'logs')
    const first = await guard.ingestOnly(deleted)
    guard.advanceClock(2_000)
    const put = await operator.putRolePolicy(env.roleName, 'logs', env.inline.logs!)
    const second = await guard.ingestOnly(put)
    expect([first.summary.enqueued, second.summary.enqueued]).toEqual([[env.roleName], [env.roleName]])
    // Nothing is visible before the window has passed.
    expect((await guard.drain()).summary.roles).toEqual([])
    // Together in one batch; or, on a loaded machine, the delete's message alone first: its read, 3 s after the
    // delete, shows the put, which a window under 10 s does not yet take as superseding it (IAM may still be catching
    // up): the message comes back a minute later (the guard's clock moves, the queue redelivers it now) and is then
    // read as it is. Either way: no write, no alert.
    const pump = guard.pump!
    const deadline = Date.now() + 15_000
    for (let retried = 0; ; ) {
      await pump.drain()
      if (pump.deliveries.some((d) => d.failures.length > 0) && retried++ < 2) {
        guard.advanceClock(60_000)
        await pump.redeliverFailed()
        continue
      }
      if ((await pump.pending()) === 0 || Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(new Set(pump.deliveries.flatMap((d) => d.records.map((r) => r.messageId))).size).toBe(2)
    expect(await pump.pending()).toBe(0)
    expect(pump.deliveries.filter((d) => d.error !== undefined)).toEqual([])
    const after = await world.readRole(env.roleName)
    expect(after?.inlinePolicies.map((p) => p.name).sort()).toEqual(['dag-bucket', 'logs'])
    expect(guard.counter.calls.filter((c) => c.service === 'iam' && !/^(Get|List)/.test(c.operation))).toEqual([])
    expect(await world.inbox.about(env.name)).toEqual([])
  })
})

describe('the same, with the messages arriving one by one after a 30 s window (as the cloud may)', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ env: { SETTLE_SECONDS: '30' } })
  })
  afterAll(async () => {
    await world?.stop()
  })

  it(`${FIFO}: each read happens 30 s after its event: the delete's read shows the put, taken as superseded, nothing done`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const operator = world.as(world.callers.operator)
    const guard = world.guard()
    const deleted = await guard.ingestOnly(await operator.deleteRolePolicy(env.roleName, 'logs'))
    await operator.putRolePolicy(env.roleName, 'logs', env.inline.logs!)
    // The delete's message, alone, once the window has passed (the put's is still delayed in the cloud).
    guard.advanceClock(30_000)
    const handled = await guard.drain()
    expect(deleted.summary.enqueued).toEqual([env.roleName])
    expect(handled.summary.roles).toMatchObject([{ role: env.roleName, result: 'healthy', writes: [] }])
    expect(handled.writes).toEqual([])
    expect(handled.errors).toEqual([])
    expect(await world.inbox.about(env.name)).toEqual([])
  })
})
