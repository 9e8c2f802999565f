/**
 * `npm run fuzz [-- --events N --seed S --concurrency C --rounds R --only I,J --json]`: the event fuzz of
 * test/integration/fuzz-events.integration.test.ts, for longer runs than CI's 10,000 events: mutated real CloudTrail
 * events through the deployed chain handler on moto (a server of its own, started here) and the MWAA stand-in.
 * Prints a summary and every violation (the event's index, mutations and JSON text); exit 0 when there is none, 1
 * otherwise, 2 on a bad flag. A random seed unless --seed: the seed is printed, and re-running with it replays the
 * same events, and `--only` replays some of them (by index, with the same --events and --rounds).
 */
import { parseArgs } from 'node:util'

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    json: { type: 'boolean' },
  },
})
const whole = (name: string, value: string, min: number) => {
  const n = Number(value)
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    console.error(`fuzz: --${name} must be a whole number of at least ${min}, not "${value}"`)
    process.exit(2)
  }
  return n
}
const events = whole('events', flags.events, 1)
const seed = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : whole('seed', flags.seed, -(2 ** 31))
const concurrency = whole('concurrency', flags.concurrency, 1)
const rounds = whole('rounds', flags.rounds, 1)
const only = flags.only?.split(',').map((i) => whole('only', i.trim(), 0))

// The handler's Powertools logger and metrics: errors only, no EMF (nothing reads CloudWatch here).
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR'
process.env.POWERTOOLS_METRICS_DISABLED = 'true'

const progress = (line: string) => {
  if (!flags.json) process.stderr.write(`${line}\n`)
}
progress(`fuzz: ${events} events, seed ${seed}, concurrency ${concurrency}`)
// Imported once Powertools' settings are in place: the handler module builds its logger when first imported.
const { startFuzzWorld } = await import('../test/support/fuzz-world')
const { runFuzz } = await import('../test/support/fuzz-run')
const fuzz = await startFuzzWorld()
let failed = true
try {
  const report = await runFuzz(fuzz, { events, seed, concurrency, rounds, progress, ...(only ? { only } : {}) })
  failed = report.violations.length > 0
  if (flags.json) console.log(JSON.stringify(report, null, 2))
  else {
    const { violations, ...summary } = report
    console.log(JSON.stringify(summary, null, 2))
    for (const v of violations)
      console.log(`\nevent #${v.index} (seed ${seed}): ${v.problem}\n  ${v.event}\n  ${v.textLength} chars: ${v.text}`)
    console.log(`\n${violations.length} violation(s) in ${events} events (seed ${seed}, ${report.seconds} s)`)
  }
} finally {
  await fuzz.stop()
}
process.exit(failed ? 1 : 0)
