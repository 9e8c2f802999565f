/**
 * The sweep with 30 % of IAM calls answered `Throttling` and 5 % answered 500 (a proxy in front of moto): every role
 * ends reconciled or explicitly reported failed, no outcome is wrong, no write is made twice or to a role not tagged
 * heal, the summary's throttled count is what IAM answered, and the next sweep converges.
 * Throttling: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { WorldEnvironment } from '../support/environments'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy'
import { startWorld, type World } from '../support/world'

const FAULTS = { throttle: 0.3, serverError: 0.05 }

let world: World
let proxy: FaultProxy
const healthy: WorldEnvironment[] = []
const reported: WorldEnvironment[] = []
const healed: WorldEnvironment[] = []
beforeAll(async () => {
  world = await startWorld()
  proxy = await startFaultProxy({ upstream: world.moto.endpoint, faults: FAULTS, seed: 8 })
  // One inline policy each (a live read is 4 calls), two roles of each kind: under 30 % throttling the clients' adaptive
  // rate limiter slows IAM to a few calls a second, as it should, so this sweep of 6 roles takes about 30 s.
  for (let i = 0; i < 2; i++) {
    healthy.push(await world.createEnvironment({ prefix: 'fine', layout: 'inline' }))
    reported.push(await world.createEnvironment({ prefix: 'alert', layout: 'inline', omit: [Sid.celeryQueue] }))
    healed.push(await world.createEnvironment({ prefix: 'heal', layout: 'inline', mode: 'heal', omit: [Sid.logs] }))
  }
}, 60_000)
afterAll(async () => {
  await proxy?.stop()
  await world?.stop()
})

describe('a sweep under 30 % throttling and 5 % HTTP 500 on IAM', () => {
  it('every role reconciled or reported failed; no wrong outcome; no duplicate write; throttles counted', async () => {
    const guard = world.guard({ env: { AWS_ENDPOINT_URL: proxy.endpoint } })
    const run = await guard.sweep()
    const result = (env: WorldEnvironment) => run.summary.roles.find((r) => r.role === env.roleName)
    const faults = proxy.calls.filter((c) => c.fault)
    expect(faults.length).toBeGreaterThan(0)

    for (const env of healthy) expect(result(env)?.result).toBe('healthy')
    for (const env of reported) expect(['reported', 'failed']).toContain(result(env)?.result)
    for (const env of healed) expect(['healed', 'failed']).toContain(result(env)?.result)
    for (const r of run.summary.roles.filter((r) => r.result === 'failed')) expect(r.error).toBeTruthy()
    expect(run.summary.totals.roles).toBe(6)
    expect(run.summary.totals.failed).toBe(run.summary.roles.filter((r) => r.result === 'failed').length)
    expect(run.threw).toBe(run.summary.totals.failed > 0)

    // Writes that reached IAM: only to roles tagged heal, at most one per role and policy.
    const writes = proxy.writes()
    const healRoles = new Set(healed.map((e) => e.roleName))
    for (const w of writes) expect(healRoles.has(w.roleName!)).toBe(true)
    const keys = writes.map((w) => `${w.action} ${w.roleName} ${w.target}`)
    expect(new Set(keys).size).toBe(keys.length)

    // What the summary says was throttled is what IAM (the proxy) answered with Throttling.
    expect(run.summary.totals.throttled).toBe(faults.filter((c) => c.fault === 'throttle').length)
  }, 240_000)

  it('the next sweep without faults converges: every heal-mode role healed, written once in all', async () => {
    proxy.setFaults({})
    const run = await world.guard({ env: { AWS_ENDPOINT_URL: proxy.endpoint } }).sweep()
    expect(run.threw).toBe(false)
    for (const env of healed) {
      const role = await world.readRole(env.roleName)
      expect(role?.inlinePolicies.map((p) => p.name)).toContain(RESTORE_POLICY_NAME)
      expect(['healed', 'healthy']).toContain(run.summary.roles.find((r) => r.role === env.roleName)?.result)
    }
    const keys = proxy.writes().map((w) => `${w.action} ${w.roleName} ${w.target}`)
    expect(new Set(keys).size).toBe(keys.length)
  }, 120_000)
})
