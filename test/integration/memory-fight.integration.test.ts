/**
 * Fight detection (issue 7), on moto: Terraform keeps removing what the guard restores. After MAX_HEALS heals within
 * the window the role is contested: one critical alert naming the actor, what it keeps removing and how to resolve
 * it; no heal after. Setting the mode tag again ends the fight. `history` shows every step in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../lib/cli/main'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { aboutEnvironment } from '../support/alert-inbox'
import type { Caller } from '../support/cloudtrail-event'
import { policyOf, type WorldEnvironment } from '../support/environments'
import type { Guard, HandledEvent } from '../support/guard'
import { startWorld, type World } from '../support/world'
import { Sid } from '../../lib/baseline'

const CONFIG = 'https://docs.aws.amazon.com/config/latest/APIReference/API_RemediationConfiguration.html'
const USER_IDENTITY =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html'
const MINUTE = 60_000

let world: World
let terraform: Caller
beforeAll(async () => {
  world = await startWorld()
  terraform = { kind: 'role-session', roleArn: `arn:aws:iam::${world.account}:role/terraform-ci`, session: 'run-42' }
})
afterAll(async () => {
  await world?.stop()
})

/** Terraform's apply: its own narrower `logs` policy, and the guard's restore policy removed (it is not in the code). */
async function apply(env: WorldEnvironment, guard: Guard): Promise<HandledEvent[]> {
  const tf = world.as(terraform)
  const role = await world.readRole(env.roleName)
  const narrow = policyOf(env.baseline.policy.Statement.filter((s) => s.Sid === Sid.describeLogGroups))
  const events = role?.inlinePolicies.some((p) => p.name === RESTORE_POLICY_NAME)
    ? [await tf.deleteRolePolicy(env.roleName, RESTORE_POLICY_NAME)]
    : [await tf.putRolePolicy(env.roleName, 'logs', narrow)]
  const handled: HandledEvent[] = []
  for (const event of events) handled.push(await guard.handle(event))
  return handled
}

describe('an actor undoing the heal 20 times', () => {
  it(`${CONFIG}: <= MAX_HEALS heals, then exactly 1 contested alert naming the actor (${USER_IDENTITY}); 0 heals after`, async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard()
    const handled: HandledEvent[] = []
    for (let undo = 0; undo < 20; undo++) {
      handled.push(...(await apply(env, guard)))
      guard.advanceClock(5 * MINUTE) // past the back-off (1, 2, 4 min): the fight is what stops the heals
    }
    const results = handled.flatMap((h) => h.summary.roles.map((r) => r.result))
    const heals = handled.filter((h) => h.healWrites.length > 0)
    expect(heals.length).toBeLessThanOrEqual(3)
    expect(results.slice(0, 3)).toEqual(['healed', 'healed', 'healed'])
    expect(results.slice(3)).toEqual(Array(17).fill('contested'))

    const alerts = await world.inbox.take(aboutEnvironment(env.name), { count: 5 })
    const contested = alerts.filter((a) => a.attributes.kind === 'contested')
    expect(contested).toHaveLength(1)
    expect(alerts.filter((a) => a.attributes.outcome === 'healed')).toHaveLength(3)
    expect(await world.inbox.take(aboutEnvironment(env.name), { count: 1, timeoutMs: 300 })).toEqual([])
    const [alert] = contested
    expect(alert?.attributes).toMatchObject({ severity: 'critical', incident_state: 'contested' })
    expect(alert?.subject).toMatch(/^\[CRITICAL\] MWAA role contested: .* \(healing stopped\)$/)
    expect(alert?.message).toContain(`Undone by:\n  - arn:aws:sts::${world.account}:assumed-role/terraform-ci/run-42`)
    expect(alert?.message).toContain('They keep removing:')
    expect(alert?.message).toContain(`tag the role mwaa-role-guard:mode=alert to stop healing it`)

    // Setting the mode tag again is a person's decision: the fight is over, the role is healed again.
    const retag = await guard.handle(
      await world.as(world.callers.admin).tagRole(env.roleName, { 'mwaa-role-guard:mode': 'heal' }),
    )
    expect(retag.summary.roles.map((r) => r.result)).toEqual(['healed'])
    expect(retag.alerts.map((a) => a.request.kind)).toEqual(['mode-change', 'drift'])

    // The history: every step in order, the heals, the contested reconcile, the ones after, the mode change.
    const lines: string[] = []
    const code = await main(['history', '--role', env.roleName, '--since', '1d', '--json'], {
      out: (t) => void lines.push(t),
      err: (t) => void lines.push(t),
      env: world.env,
    })
    expect(code).toBe(0)
    const entries = JSON.parse(lines.join('\n')) as Array<{ outcome: string; triggers: Array<{ actor: string }> }>
    expect(entries.map((e) => e.outcome)).toEqual([
      'healed',
      'healed',
      'healed',
      ...Array(17).fill('contested'),
      'healed',
    ])
    expect(entries[3]!.triggers[0]!.actor).toBe(`arn:aws:sts::${world.account}:assumed-role/terraform-ci/run-42`)
  })
})
