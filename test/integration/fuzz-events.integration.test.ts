/**
 * The fuzz: 10,000 mutated real CloudTrail events (test/support/event-mutator.ts, most aimed at this world's
 * account, roles, environments, buckets and policies, the rest foreign) through the deployed chain handler on moto,
 * every AWS call recorded at the HTTP level (test/support/fuzz-run.ts says what is checked per event). Expected: no
 * unexpected throw, no write to a role not tagged heal or not used by a live environment, and no write from event
 * contents alone: the only writes are the heal of heal-drifted, exactly what its baseline requires, once per drift.
 * Fixed seed (FUZZ_SEED to change it, FUZZ_EVENTS for another count); `npm run fuzz -- --events N --seed S` runs longer
 * fuzzes. A failure prints the seed, each failing event's index, mutations and JSON text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { LONE_SURROGATE, runFuzz, type FuzzReport, type Violation } from '../support/fuzz-run'
import { startFuzzWorld, type FuzzWorld } from '../support/fuzz-world'

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202)
const EVENTS = Number(process.env.FUZZ_EVENTS ?? 10_000)
const RECORD =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html'

let fuzz: FuzzWorld
beforeAll(async () => {
  fuzz = await startFuzzWorld()
}, 60_000)
afterAll(async () => {
  await fuzz?.stop()
})

/** Every violation on one line, the first few with the event's JSON text: enough to replay it. */
function explain(report: FuzzReport, violations: readonly Violation[]): string {
  const lines = violations.map((v, i) => {
    // The first five failing events in full: enough to replay one, short enough to read.
    const text = i < 5 ? `\n  event (${v.textLength} characters): ${v.text}` : ''
    return `#${v.index}: ${v.problem}\n  ${v.event}${text}`
  })
  const replay =
    `FUZZ_SEED=${report.seed} to replay, or ` +
    `npm run fuzz -- --seed ${report.seed} --events ${report.events} --only INDEX`
  return `seed ${report.seed} (${replay}):\n${lines.join('\n')}`
}

describe(`${EVENTS} mutated CloudTrail events through the chain handler on moto (${RECORD})`, () => {
  it('no unexpected throw; the only writes are the heal live state requires, once per drift; alerts well-formed', {
    timeout: 900_000,
  }, async () => {
    const { world } = fuzz
    const before = await Promise.all(fuzz.untouchable.map((r) => world.readRole(r.name)))
    const report = await runFuzz(fuzz, { events: EVENTS, seed: SEED, concurrency: 4 })
    console.log(
      `fuzz: ${report.events} events, seed ${report.seed}, ${report.seconds} s: ${JSON.stringify(report.status)}, ` +
        `${report.reachedRoles} reached a role read, results ${JSON.stringify(report.results)}, ` +
        `${report.heals} heal(s), ${report.alerts} alert(s), ${report.busy} busy, ` +
        `calls ${JSON.stringify(report.calls)}`,
    )

    expect(report.violations.length, explain(report, report.violations)).toBe(0)
    // A retry is for a throttled or stale read: moto without faults answers neither.
    expect(report.retryable.length, explain(report, report.retryable)).toBe(0)

    // The aim works: events reach the reads, the evaluation and the heal, not only the parser.
    expect(report.status.handled ?? 0).toBeGreaterThan(EVENTS / 50)
    expect(report.reachedRoles).toBeGreaterThan(EVENTS / 50)
    expect(Object.keys(report.results)).toEqual(
      expect.arrayContaining(['healthy', 'reported', 'healed', 'off', 'no-environment', 'role-not-found']),
    )
    // heal-drifted was drifted once per round and healed in each, by exactly one write.
    expect(report.healedRounds).toBe(report.rounds)
    expect(report.heals).toBe(report.rounds)

    // What IAM shows afterwards: every other role as it was; heal-drifted holds the restore policy, nothing else new.
    expect(await Promise.all(fuzz.untouchable.map((r) => world.readRole(r.name)))).toEqual(before)
    const healed = await world.readRole(fuzz.healDrifted.roleName)
    expect(healed?.inlinePolicies.map((p) => p.name).sort()).toEqual(['dag-bucket', RESTORE_POLICY_NAME])
    expect((await world.recheck(fuzz.healDrifted)).code).toBe(0)

    // Every alert published reached the topic's subscriber, as well-formed text.
    const delivered = await world.inbox.take(() => true, { count: report.alerts, timeoutMs: 10_000 })
    expect(delivered).toHaveLength(report.alerts)
    for (const alert of delivered) {
      expect(LONE_SURROGATE.test(alert.subject)).toBe(false)
      expect(LONE_SURROGATE.test(alert.message)).toBe(false)
    }
  })
})
