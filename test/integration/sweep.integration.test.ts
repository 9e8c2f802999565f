/**
 * The sweep Lambda on moto and the MWAA stand-in: IAM read in bulk (GetAccountAuthorizationDetails), each environment
 * described once, only drifted roles re-read live; alerts delivered through SNS, heals written once; and the
 * `mwaa-role-guard sweep` command, a real process (from its sources) with the Lambda's environment variables.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { aboutEnvironment } from '../support/alert-inbox'
import type { WorldEnvironment } from '../support/environments'
import { startWorld, type World } from '../support/world'

const GAAD = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html'
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

let world: World
let envs: Record<'healthy' | 'shared' | 'alert' | 'heal' | 'off', WorldEnvironment>
let twin: WorldEnvironment
beforeAll(async () => {
  world = await startWorld()
  envs = {
    healthy: await world.createEnvironment({ prefix: 'healthy' }),
    shared: await world.createEnvironment({ prefix: 'shared' }),
    alert: await world.createEnvironment({ prefix: 'alert', omit: [Sid.celeryQueue] }),
    heal: await world.createEnvironment({ prefix: 'heal', mode: 'heal', omit: [Sid.logs] }),
    off: await world.createEnvironment({ prefix: 'off', mode: 'off', omit: [Sid.logs] }),
  }
  twin = await world.shareRole(envs.shared, 'twin')
  await world.unusedRole({ prefix: 'not-mwaa' })
}, 60_000)
afterAll(async () => {
  await world?.stop()
})

describe('the sweep Lambda', () => {
  it(`reads IAM in bulk, describes each environment once, re-reads and acts on the drifted roles only (${GAAD})`, async () => {
    const guard = world.guard()
    const run = await guard.sweep()
    const { totals } = run.summary
    expect(run.threw).toBe(false)
    // The shared role was built for one environment: its twin's bucket and log groups are missing (drift).
    expect(totals).toMatchObject({
      environments: 6,
      roles: 5,
      healthy: 1,
      drifted: 3,
      healed: 1,
      skipped: 1,
      failed: 0,
    })
    expect(run.summary.roles.find((r) => r.role === envs.shared.roleName)?.environments.sort()).toEqual(
      [envs.shared.name, twin.name].sort(),
    )
    const count = (operation: string) => run.calls.filter((c) => c.operation === operation).length
    expect(count('GetAccountAuthorizationDetails')).toBe(1)
    expect(count('ListEnvironments')).toBe(1)
    expect(count('GetEnvironment')).toBe(6)
    // Live reads: the three drifted roles, and the healed one once more to verify its write.
    expect(count('GetRole')).toBe(4)
    expect(run.healWrites).toEqual([
      { roleName: envs.heal.roleName, write: expect.objectContaining({ kind: 'put-inline-policy' }) },
    ])
    expect(totals.calls).toBe(run.calls.length)
    expect(await world.inbox.take(aboutEnvironment(envs.alert.name))).toHaveLength(1)
    expect(await world.inbox.take(aboutEnvironment(twin.name))).toHaveLength(1)
    const [healed] = await world.inbox.take(aboutEnvironment(envs.heal.name))
    expect(healed?.attributes.outcome).toBe('healed')
    expect(await world.inbox.about(envs.off.name)).toEqual([])
  })

  it('a second sweep finds the healed role healthy: no write, only the still-drifted roles are re-read', async () => {
    const run = await world.guard().sweep()
    expect(run.writes).toEqual([])
    expect(run.summary.roles.find((r) => r.role === envs.heal.roleName)?.result).toBe('healthy')
    expect(run.calls.filter((c) => c.operation === 'GetRole')).toHaveLength(2)
    await world.inbox.take(aboutEnvironment(envs.alert.name))
    await world.inbox.take(aboutEnvironment(twin.name))
  })

  it('out of time: the drifted roles are not reached, the Lambda ends in error, the summary names them', async () => {
    // 60 s left is the deadline margin itself: no role may start.
    const run = await world.guard().sweep({ remainingMs: 60_000 })
    expect(run.threw).toBe(true)
    expect([...run.summary.notReached].sort()).toEqual([envs.alert.roleName, envs.shared.roleName].sort())
    expect(run.calls.filter((c) => c.operation === 'GetRole')).toEqual([])
  })
})

describe('mwaa-role-guard sweep (a real process)', () => {
  const cli = async (...args: string[]) => {
    const env = { ...process.env, ...world.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` }
    try {
      const out = await promisify(execFile)(
        join(ROOT, 'node_modules/.bin/node'),
        // The CLI from its sources (npm run dev): test/cli/bin.test.ts builds dist/ and proves the built executable.
        ['bin/run-ts.mjs', 'lib/cli/bin.ts', ...args],
        {
          cwd: ROOT,
          env,
          timeout: 60_000,
        },
      )
      return { code: 0, ...out }
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string }
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
    }
  }

  it('prints the totals and the roles that are not healthy; exit 0 when nothing failed', async () => {
    const { code, stdout, stderr } = await cli('sweep')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^sweep: 5 execution role\(s\) in 6 environment\(s\), [\d.]+ s$/m)
    expect(stdout).toMatch(/healthy 2, drifted 2, healed 0, skipped 1, failed 0, not reached 0/)
    expect(stdout).toMatch(/AWS calls \d+, throttled 0/)
    expect(stdout).toContain(`${envs.alert.roleName}: reported (6 missing)`)
    await world.inbox.take(aboutEnvironment(envs.alert.name))
    await world.inbox.take(aboutEnvironment(twin.name))
  }, 60_000)

  it('--json: the whole summary; exit 1 when the region cannot be listed (no role was checked)', async () => {
    world.mwaa.failNext(1, { status: 403, code: 'AccessDeniedException', message: 'not authorized' })
    const { code, stdout } = await cli('sweep', '--json')
    expect(code).toBe(1)
    const summary = JSON.parse(stdout)
    expect(summary.totals).toMatchObject({ roles: 0, failed: 1 })
    expect(summary.failures).toEqual([
      {
        subject: 'region us-east-1 (ListEnvironments)',
        error: 'MwaaServiceError: AccessDeniedException (403): not authorized',
        throttled: false,
      },
    ])
  }, 60_000)
})

describe('the restore policy written by the sweep', () => {
  it('is the one an event would write', async () => {
    const role = await world.readRole(envs.heal.roleName)
    expect(role?.inlinePolicies.map((p) => p.name)).toContain(RESTORE_POLICY_NAME)
  })
})
