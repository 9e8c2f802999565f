/**
 * `mwaa-role-guard handle` with memory (issue 7), on moto: an event file is handled once per event id (a second run
 * says duplicate and does nothing), `--replay` handles it again, `--settle` waits the window before the reconcile,
 * and without STATE_TABLE it acts at once and says memory is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../lib/cli/main'
import { scratch } from '../cli/support'
import { aboutEnvironment } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'

const IDEMPOTENCY = 'https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/'

let world: World
const files = scratch('handle-memory')
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
  files.remove()
})

async function handle(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['handle', ...argv], { out: (t) => void out.push(t), err: (t) => void err.push(t), env })
  return { code, summary: out.length > 0 ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') }
}

describe('handle --event FILE with the state table', () => {
  it(`${IDEMPOTENCY}: once per event id; --replay handles it again; the incident is not told twice`, async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const path = files.file(
      JSON.stringify(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')),
      'event.json',
    )
    const first = await handle(world.env, '--event', path, '--settle', '0')
    expect(first.code).toBe(0)
    expect(first.summary).toMatchObject({ status: 'handled', roles: [{ role: env.roleName, result: 'reported' }] })
    expect((await world.inbox.take(aboutEnvironment(env.name))).map((a) => a.attributes.incident_state)).toEqual([
      'open',
    ])

    const again = await handle(world.env, '--event', path, '--settle', '0')
    expect(again).toMatchObject({ code: 0, summary: { status: 'duplicate', roles: [] } })
    expect(again.err).toContain('duplicate event: handled before (re-run it with --replay)')

    const replayed = await handle(world.env, '--event', path, '--settle', '0', '--replay')
    expect(replayed.summary).toMatchObject({ status: 'handled', roles: [{ role: env.roleName, result: 'reported' }] })
    // The same incident, already told: nothing more reaches the topic.
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 1, timeoutMs: 500 })).toEqual([])
  })

  it('--settle SECONDS waits the window before reading the role; a bad value is a usage error', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const path = files.file(
      JSON.stringify(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')),
      'settle.json',
    )
    const started = Date.now()
    const { code } = await handle(world.env, '--event', path, '--settle', '1')
    expect(code).toBe(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    await world.inbox.take(aboutEnvironment(env.name))
    const bad = await handle(world.env, '--event', path, '--settle', '1000')
    expect(bad.code).toBe(2)
  })

  it('without STATE_TABLE: at once, no duplicate detection, and it says memory is off', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const path = files.file(
      JSON.stringify(await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')),
      'off.json',
    )
    const bare = { ...world.env, STATE_TABLE: undefined }
    for (let i = 0; i < 2; i++) {
      const run = await handle(bare, '--event', path)
      expect(run.summary).toMatchObject({ status: 'handled', memory: 'off', roles: [{ result: 'reported' }] })
      expect(run.err).toContain('memory off (STATE_TABLE unset)')
    }
    // Nothing remembered: each run alerts.
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 2 })).toHaveLength(2)
  })
})
