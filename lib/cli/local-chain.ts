/**
 * The deployed chain (lib/lambda/chain.ts) wired in this process for `handle --event` and `handle --events`: the same
 * environment variables as the Lambda (the io's), the alerts a dry run would send collected instead of published, and
 * one rule for what the outcome means to the shell: the exit code the reconcile worker's classification gives.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda'
import { isRetryable } from '../reconcile/retry-later'
import type { Deps, EventSummary } from '../reconcile/types'
import { wireDeps } from '../reconcile/wire'
import { withDedupe } from '../reconcile/wire-chain'
import { stsFor } from '../reconcile/wire-sts'
import type { Io } from './io'

/** Exit code: something failed, but only retryably: the same command may succeed later (sysexits' EX_TEMPFAIL). */
export const EXIT_RETRY_LATER = 75

export type LocalChain = {
  handle(event: unknown): Promise<EventSummary>
  deps: Deps
  /** the subjects of the alerts a dry run would have sent since the last call */
  takeWouldAlert(): string[]
}

export type LocalChainOptions = { dryRun: boolean; replay: boolean; settleMs?: number }

/** The chain handler over this process's wiring; a dry run leaves the state table alone too (nothing remembered). */
export async function localChain(io: Io, options: LocalChainOptions): Promise<LocalChain> {
  const { createChainHandler } = await import('../lambda/chain')
  const { log } = await import('../lambda/telemetry')
  let wouldAlert: string[] = []
  const env = options.dryRun ? { ...io.env, STATE_TABLE: undefined } : io.env
  const sent = (alert: { subject: string }) => void wouldAlert.push(alert.subject)
  const deps = withDedupe(wireDeps(env, { log, dryRun: options.dryRun, sent, sts: stsFor(env) }), env)
  const handler = createChainHandler(() => deps, {
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    replay: options.replay,
  })
  return {
    deps,
    handle: (event) => handler(event as EventBridgeEvent<string, unknown>, localContext()),
    takeWouldAlert() {
      const taken = wouldAlert
      wouldAlert = []
      return taken
    },
  }
}

/** How one event ended, for the exit code: done, failed retryably only, or failed for good. */
export type EventOutcome = 'done' | 'retryable' | 'permanent'

/** A summary's outcome: a role failed for good, or only retryably (the worker's classification), or none failed. */
export function summaryOutcome(summary: EventSummary): EventOutcome {
  const failed = summary.roles.filter((r) => r.result === 'failed')
  if (failed.length === 0) return 'done'
  return failed.every((r) => r.retryable === true) ? 'retryable' : 'permanent'
}

/** A thrown error's outcome (the ingest's: what the ingest Lambda retries). */
export function errorOutcome(error: unknown): EventOutcome {
  return isRetryable(error) ? 'retryable' : 'permanent'
}

/** 1 when something failed for good, 75 when the failures were all retryable, 0 otherwise. */
export function exitCodeOf(outcomes: Iterable<EventOutcome>): number {
  let code = 0
  for (const outcome of outcomes) {
    if (outcome === 'permanent') return 1
    if (outcome === 'retryable') code = EXIT_RETRY_LATER
  }
  return code
}

function localContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'mwaa-role-guard-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:mwaa-role-guard-local',
    memoryLimitInMB: '256',
    awsRequestId: `local-${process.pid}`,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}
