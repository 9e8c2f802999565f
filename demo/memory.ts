/**
 * The demo's second part: what the guard remembers (the state table and the FIFO reconcile queue, on moto), shown
 * with issue 7's numbers: a duplicated event, a change corrected within the settle window, one incident told once and
 * resolved once, a fight with Terraform, and the history an operator reads afterwards.
 */
import { historyCommand } from '../lib/cli/history'
import { Sid } from '../lib/baseline'
import { RESTORE_POLICY_NAME } from '../lib/drift/restore-policy'
import { aboutEnvironment, type DeliveredAlert } from '../test/support/alert-inbox'
import type { Caller } from '../test/support/cloudtrail-event'
import { policyOf, type WorldEnvironment } from '../test/support/environments'
import type { Guard, HandledEvent } from '../test/support/guard'
import type { World } from '../test/support/world'
import { heading, lines, section } from './print'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** One measured number: what the demo saw, and what it must be. */
export type MemoryRow = { check: string; seen: string; ok: boolean }

/** Runs the memory story on fresh environments; every row says whether the number is the one it must be. */
export async function memoryStory(world: World): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = []
  const row = (check: string, seen: string | number, ok: boolean) => {
    rows.push({ check, seen: String(seen), ok })
    lines(`${ok ? '✓' : '✗'} ${check}: ${seen}`)
  }
  const operator = world.as(world.callers.operator)
  const told = (env: WorldEnvironment, count = 3) =>
    world.inbox.take(aboutEnvironment(env.name), { count, timeoutMs: 500 })

  heading('Memory 1/5 · the same CloudTrail event delivered 10 times, then another 10 times at once')
  const dup = await world.createEnvironment({ name: 'reporting', mode: 'alert' })
  const once = world.guard()
  const event = await operator.deleteRolePolicy(dup.roleName, 'logs')
  const sequential: HandledEvent[] = []
  for (let i = 0; i < 10; i++) sequential.push(await once.handle(event))
  const second = await operator.deleteRolePolicy(dup.roleName, 'dag-bucket')
  const concurrent = await Promise.all(Array.from({ length: 10 }, () => world.guard().handle(second)))
  const reconciles = (h: HandledEvent[]) => h.flatMap((d) => d.summary.roles).length
  const errors = [...sequential, ...concurrent].flatMap((d) => d.errors).length
  row('one after another: reconciles', reconciles(sequential), reconciles(sequential) === 1)
  row('at once (10 warm Lambdas): reconciles', reconciles(concurrent), reconciles(concurrent) === 1)
  const dupAlerts = await told(dup)
  row('alerts (open, then changed)', states(dupAlerts), states(dupAlerts) === 'open, changed')
  row('Lambda errors', errors, errors === 0)

  section('DynamoDB calls for an event on a healthy role with nothing open')
  const quiet = await once.handle(await operator.tagRole(dup.roleName, { team: 'data' }))
  const healthy = await world.createEnvironment({ name: 'finance-etl', mode: 'alert' })
  const warm = world.guard()
  await warm.handle(await operator.tagRole(healthy.roleName, { team: 'finance' }))
  const measured = await warm.handle(await operator.tagRole(healthy.roleName, { team: 'finance-ops' }))
  const dynamo = measured.calls.filter((c) => c.service === 'dynamodb').map((c) => c.operation)
  row('DynamoDB calls', `${dynamo.length} (${dynamo.join(', ')})`, dynamo.length <= 3)
  row('a drift already told, seen again: notices', quiet.alerts.length, quiet.alerts.length === 0)

  heading('Memory 2/5 · delete-then-put of an inline policy 2 s apart, heal mode, inside the settle window')
  const settle = await world.createEnvironment({ name: 'ml-features', mode: 'heal' })
  const guard = world.guard()
  await guard.ingestOnly(await operator.deleteRolePolicy(settle.roleName, 'logs'))
  guard.advanceClock(2_000)
  await guard.ingestOnly(await operator.putRolePolicy(settle.roleName, 'logs', settle.inline.logs!))
  lines([
    'Both events wait on the FIFO queue, grouped by role; in the stack, 30 s (SettleSeconds).',
    'Here the queue has no delay, and the demo drains it once both are in.',
  ])
  guard.advanceClock(30_000)
  const settled = await guard.drain()
  row(
    'messages in the batch / reconciles',
    `${guard.pump!.deliveries.at(-1)?.records.length} / ${reconciles([settled])}`,
    reconciles([settled]) === 1,
  )
  row('IAM writes', settled.writes.length, settled.writes.length === 0)
  const settleAlerts = await told(settle, 1)
  row('alerts', settleAlerts.length, settleAlerts.length === 0)

  heading('Memory 3/5 · a drift the sweep finds every 6 hours: told once, reminded after 24 h, resolved once')
  const drift = await world.createEnvironment({ name: 'customer-360', mode: 'alert' })
  await operator.deleteRolePolicy(drift.roleName, 'logs') // its event lost: only the sweep sees it
  const sweeper = world.guard()
  for (let i = 0; i < 3; i++) {
    await sweeper.sweep()
    sweeper.advanceClock(6 * HOUR)
  }
  const three = await told(drift)
  row('3 sweeps in 12 h: notices', states(three), states(three) === 'open')
  sweeper.advanceClock(6 * HOUR)
  await sweeper.sweep()
  const reminder = await told(drift)
  row('the sweep 24 h after the notice', states(reminder), states(reminder) === 'reminder')
  await sweeper.handle(await operator.putRolePolicy(drift.roleName, 'logs', drift.inline.logs!))
  await sweeper.sweep()
  const resolved = await told(drift)
  row('fixed by hand, then a sweep', states(resolved), states(resolved) === 'resolved')
  const fixedBy = resolved[0]?.message.split('\n').find((l) => l.startsWith('Fixed by:'))
  lines(`  ${resolved[0]?.subject ?? ''}  ·  ${fixedBy ?? ''}`)

  heading('Memory 4/5 · Terraform undoes the heal 20 times, 5 minutes apart')
  const fight = await world.createEnvironment({ name: 'pricing', mode: 'heal' })
  const terraform: Caller = {
    kind: 'role-session',
    roleArn: `arn:aws:iam::${world.account}:role/terraform-ci`,
    session: 'gha-run-4242',
  }
  const fighter = world.guard()
  const undone: HandledEvent[] = []
  for (let i = 0; i < 20; i++) {
    undone.push(await undo(world, fighter, fight, terraform))
    fighter.advanceClock(5 * MINUTE)
  }
  const heals = undone.filter((h) => h.healWrites.length > 0).length
  const fightAlerts = await told(fight, 6)
  const contested = fightAlerts.filter((a) => a.attributes.kind === 'contested')
  row('heals', heals, heals <= 3)
  row('contested alerts', contested.length, contested.length === 1)
  const after = undone.slice(heals).filter((h) => h.healWrites.length > 0).length
  row('heals after the contested alert', after, after === 0)
  if (contested[0]) {
    section('The contested alert')
    lines([`Subject: ${contested[0].subject}`, ...contested[0].message.split('\n').slice(0, 14), '…'])
  }

  heading('Memory 5/5 · what an operator reads afterwards: mwaa-role-guard history --role … and --incidents')
  // The CLI as an operator runs it, at the time the story has reached (the guards' clocks ran ahead).
  const now = sweeper.now().getTime()
  const history = await cli(world, ['--role', drift.roleName, '--since', '2d'], now)
  lines(history.output)
  row('history of customer-360: exit code', history.code, history.code === 0)
  const incidents = await cli(world, ['--incidents', '--since', '2d'], now)
  lines(incidents.output)
  return rows
}

/** Terraform's apply: its own narrower `logs` policy, or the guard's restore policy removed. */
async function undo(world: World, guard: Guard, env: WorldEnvironment, who: Caller): Promise<HandledEvent> {
  const tf = world.as(who)
  const role = await world.readRole(env.roleName)
  const narrow = policyOf(env.baseline.policy.Statement.filter((s) => s.Sid === Sid.describeLogGroups))
  const event = role?.inlinePolicies.some((p) => p.name === RESTORE_POLICY_NAME)
    ? await tf.deleteRolePolicy(env.roleName, RESTORE_POLICY_NAME)
    : await tf.putRolePolicy(env.roleName, 'logs', narrow)
  return guard.handle(event)
}

/** `mwaa-role-guard history ARGV` at `now`. */
async function cli(world: World, argv: string[], now: number): Promise<{ code: number; output: string[] }> {
  const output: string[] = []
  const sink = (t: string) => void output.push(...t.replace(/\n$/, '').split('\n'))
  const code = await historyCommand(argv, { out: sink, err: sink, env: world.env }, now)
  return { code, output }
}

function states(alerts: readonly DeliveredAlert[]): string {
  return alerts.map((a) => a.attributes.incident_state ?? a.attributes.kind).join(', ') || 'none'
}
