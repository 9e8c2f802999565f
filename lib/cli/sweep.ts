/**
 * `sweep [--json] [--verbose]`: runs the deployed sweep (the middy handler of lib/lambda/sweep.ts) with the same
 * environment variables as `handle`, until every role is done (no Lambda deadline here), and prints its summary.
 * Exit 0 when nothing failed, 1 when a role or an environment failed or a role was not reached (the condition that
 * makes the Lambda end in error), 2 for a bad environment variable.
 */
import type { Context } from 'aws-lambda'
import { InputError } from '../input-error'
import { SweepFailedError } from '../reconcile/sweep-failed'
import type { SweepSummary } from '../reconcile/sweep-summary'
import { parseFlags } from './args'
import { routeLogsToStderr } from './handle'
import { wireDeps } from '../reconcile/wire'
import { stsFor } from '../reconcile/wire-sts'
import type { Io } from './io'

/** The CLI command. */
export async function sweepCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, { json: { type: 'boolean' }, verbose: { type: 'boolean' } })
  routeLogsToStderr(io, flags.verbose === true)
  const { createSweepHandler } = await import('../lambda/sweep')
  const { log } = await import('../lambda/telemetry')
  const deps = wireDeps(process.env, { log, sts: stsFor(process.env) })
  const handler = createSweepHandler(() => deps)
  let summary: SweepSummary
  let code = 0
  try {
    summary = await handler({}, localContext())
  } catch (error) {
    if (error instanceof InputError) throw error
    if (!(error instanceof SweepFailedError)) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      io.err(`mwaa-role-guard sweep: failed: ${message.split('\n')[0]}`)
      return 1
    }
    summary = error.summary
    code = 1
  }
  io.out(flags.json ? JSON.stringify(summary, null, 2) : textSummary(summary))
  return code
}

/** The summary for a terminal: the totals, then every role that is not healthy, then what failed or was missed. */
export function textSummary(summary: SweepSummary): string {
  const t = summary.totals
  const lines = [
    `sweep: ${t.roles} execution role(s) in ${t.environments} environment(s), ${t.seconds} s`,
    `  healthy ${t.healthy}, drifted ${t.drifted}, healed ${t.healed}, skipped ${t.skipped}, failed ${t.failed}, not reached ${t.notReached}`,
    `  AWS calls ${t.calls}, throttled ${t.throttled}; documents beyond the role read for ${t.documentsRead} environment(s)`,
  ]
  if (summary.bulkReadError) lines.push(`  bulk IAM read failed (${summary.bulkReadError}): every role was read live`)
  if (summary.extrasSkipped) lines.push(`  extras not checked: ${summary.extrasSkipped}`)
  if (summary.memory === 'off')
    lines.push('  memory off (STATE_TABLE unset): no reminders, no resolved notices, no history')
  const notable = summary.roles.filter((r) => r.result !== 'healthy')
  if (notable.length > 0) lines.push('roles:')
  for (const r of notable) {
    const detail = [r.findings > 0 ? `${r.findings} missing` : '', r.writes.length ? r.writes.join(', ') : '', r.error]
    lines.push(`  ${r.role}: ${r.result}${detail.some(Boolean) ? ` (${detail.filter(Boolean).join('; ')})` : ''}`)
  }
  if (summary.failures.length > 0) lines.push('could not read:')
  for (const f of summary.failures) lines.push(`  ${f.subject}: ${f.error}`)
  if (summary.notReached.length > 0) lines.push(`not reached (no time left): ${summary.notReached.join(', ')}`)
  return lines.join('\n')
}

/**
 * A context with no deadline worth the name: locally the sweep runs until every role is done. Not Infinity: middy
 * arms a timer from getRemainingTimeInMillis, and Node runs a timer above 2^31-1 ms at once (about 24 days here).
 */
const LOCAL_REMAINING_MS = 2 ** 31 - 1

function localContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'mwaa-role-guard-sweep-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:mwaa-role-guard-sweep-local',
    memoryLimitInMB: '512',
    awsRequestId: `local-${process.pid}`,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => LOCAL_REMAINING_MS,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}
