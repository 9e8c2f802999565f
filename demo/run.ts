/**
 * `npm run demo`: the guard on five real IAM drifts, with no AWS account. moto plays IAM, SNS, SQS and DynamoDB, a
 * stand-in plays MWAA; each drift is a real IAM call whose CloudTrail event is handed to the deployed chain (the
 * ingest handler, the FIFO reconcile queue, the reconcile handler). Prints what was done, what the guard detected,
 * the alert as SNS delivered it, and what was healed; then what the guard remembers (memory.ts). Exit 0 when every
 * step did what it should, 1 otherwise (e.g. a heal that did not verify).
 */
import { describeCaller } from '../lib/alerts/wording'
import { changeOf, isIgnored, parseEvent } from '../lib/events'
import { describeWrite } from '../lib/report/describe'
import { aboutEnvironment } from '../test/support/alert-inbox'
import type { WorldEnvironment } from '../test/support/environments'
import { startWorld, type World } from '../test/support/world'
import { memoryStory } from './memory'
import { banner, deliveredAlert, findingsByFeature, heading, lines, out, roleState, section } from './print'
import { steps, type Step } from './steps'

type Row = {
  step: number
  event: string
  environment: string
  outcome: string
  severity: string
  writes: number
  calls: number
  ms: number
}

const HOUR = 3_600_000
const started = performance.now()
const problems: string[] = []

banner('mwaa-role-guard demo: five IAM drifts on two Amazon MWAA execution roles (moto, no AWS account)')
const world = await startWorld()
process.once('SIGINT', () => void world.stop().finally(() => process.exit(130)))
try {
  lines(
    [
      `moto ${world.moto.endpoint} (account ${world.account}) · MWAA stand-in ${world.mwaa.endpoint}`,
      `alerts: SNS topic ${world.topicArn} -> SQS subscriber`,
    ],
    '  ',
  )
  const envs = {
    heal: await world.createEnvironment({ name: 'sales-analytics', mode: 'heal' }),
    alert: await world.createEnvironment({ name: 'fraud-scoring', mode: 'alert' }),
  }
  heading('Setup: two environments, execution roles built from the MWAA doc sample policy')
  describeSetup(envs.heal, 'mode=heal: the guard restores what is missing')
  describeSetup(envs.alert, 'mode=alert: the guard only reports')

  // One guard process for the whole story, as a warm Lambda would be.
  const guard = world.guard()
  const rows: Row[] = []
  for (const [i, step] of steps.entries()) {
    // The drifts happen hours apart (the guard's clock): back-to-back heals of one role would be spaced out by the
    // back-off between heals, and taken for a fight.
    if (i > 0) guard.advanceClock(2 * HOUR)
    rows.push(await runStep(world, guard, envs[step.target], step.target, step, i + 1))
  }

  heading('Summary')
  lines(table(rows), '  ')

  const memory = await memoryStory(world)
  heading('Memory: the numbers')
  lines(
    memory.map((r) => `${r.ok ? '✓' : '✗'} ${r.check}: ${r.seen}`),
    '  ',
  )
  for (const r of memory) if (!r.ok) problems.push(`memory: ${r.check}: ${r.seen}`)
} catch (error) {
  problems.push(`the demo stopped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`)
} finally {
  await world.stop()
}
out()
if (problems.length > 0) {
  out('UNEXPECTED:')
  lines(
    problems.map((p) => `✗ ${p}`),
    '  ',
  )
}
out(
  `Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${problems.length === 0 ? 'every step did what it should.' : `${problems.length} problem(s).`}`,
)
process.exit(problems.length === 0 ? 0 : 1)

function describeSetup(env: WorldEnvironment, mode: string): void {
  section(`${env.name} (${mode})`)
  lines([
    `role ${env.roleArn}`,
    `the ${env.baseline.policy.Statement.length} statements \`mwaa-role-guard baseline --part policy\` prints, split over`,
    `  inline policies:  ${Object.keys(env.inline).join(', ')}`,
    `  managed policies: ${Object.keys(env.managed).join(', ')}`,
  ])
}

async function runStep(
  world: World,
  guard: ReturnType<World['guard']>,
  env: WorldEnvironment,
  mode: Step['target'],
  step: Step,
  n: number,
): Promise<Row> {
  heading(`Step ${n}/${steps.length} · ${step.title} · ${env.name} (${mode})`)
  const who = step.who(world)
  const event = await step.drift(world, env, who)
  const parsed = parseEvent(event)
  section('What was done')
  if (!isIgnored(parsed)) {
    const change = changeOf(parsed)
    lines([`${parsed.name}: ${change.description}`, `by ${describeCaller(change.caller)}`])
  }

  const handled = await guard.handle(event)
  const result = handled.summary.roles[0]
  const sent = handled.alerts[0]?.request
  section('What the guard detected')
  lines(
    sent
      ? findingsByFeature(sent.report.findings, sent.report.evaluated)
      : [`nothing missing (${result?.result ?? handled.summary.reason})`],
  )

  section('Alert, as the SNS subscriber received it')
  const [delivered] = await world.inbox.take(aboutEnvironment(env.name), { timeoutMs: 3_000 })
  if (delivered) deliveredAlert(delivered)
  else lines('no alert was delivered')

  section(mode === 'heal' ? 'What was healed' : 'What was changed')
  if (mode === 'heal') lines(sent?.writes.length ? sent.writes.map((w) => `✓ ${describeWrite(w)}`) : ['no write'])
  else
    lines([
      'nothing (alert mode)',
      ...(sent?.proposed?.length ? ['a heal would:', ...sent.proposed.map((w) => `  ${describeWrite(w)}`)] : []),
    ])
  const role = await world.readRole(env.roleName)
  lines(['role now:', ...roleState(role).map((l) => `  ${l}`)])
  const recheck = await world.recheck(env)
  lines(
    `re-check (mwaa-role-guard check --env ${env.name}): exit ${recheck.code}, ${recheck.code === 0 ? 'the role grants everything the environment needs' : 'permissions still missing'}`,
  )
  lines(
    `${handled.calls.length} AWS API calls (${handled.writes.length} IAM write${handled.writes.length === 1 ? '' : 's'}), ${handled.ms} ms`,
  )

  const expect = (ok: boolean, what: string) => ok || problems.push(`step ${n} (${step.title}): ${what}`)
  expect(
    result?.result === step.expected,
    `expected ${step.expected}, the guard said ${result?.result ?? handled.summary.reason}`,
  )
  expect(delivered !== undefined, 'no alert reached the SNS subscriber')
  expect(recheck.code === step.recheck, `the re-check exited ${recheck.code}, expected ${step.recheck}`)
  expect(mode === 'heal' || handled.writes.length === 0, `alert mode made ${handled.writes.length} IAM write(s)`)
  return {
    step: n,
    event: parsed && !isIgnored(parsed) ? parsed.name : '?',
    environment: env.name,
    outcome: result?.result ?? 'ignored',
    severity: delivered?.attributes.severity ?? '-',
    writes: handled.writes.length,
    calls: handled.calls.length,
    ms: handled.ms,
  }
}

function table(rows: Row[]): string[] {
  const header = ['#', 'drift', 'environment', 'outcome', 'alert', 'writes', 'API calls', 'ms']
  const cells = rows.map((r) => [
    String(r.step),
    r.event,
    r.environment,
    r.outcome,
    r.severity.toUpperCase(),
    String(r.writes),
    String(r.calls),
    String(r.ms),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)]
}
