/**
 * The reconcile worker's batch (Lambda's SQS event source on the FIFO queue): Powertools batch processing with
 * partial failures, in FIFO order, a failed message group's later records skipped so the group stays in order
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/). The records of one role coalesce into
 * one reconcile. A heal inside its back-off hides the role's messages until the back-off ends (they come back then);
 * a role another run holds comes back in 30 s, one whose read is still stale in a minute (when an event is old enough
 * to be taken as superseded), one that failed retryably (throttled, a 5xx) after 30 s, doubling with each receive up
 * to 15 minutes; a record that is not a role message is dropped (logged, deleted). A permanent error, or a retryable
 * one on the queue's last receive (RECONCILE_MAX_RECEIVES), is reported once (role-failure.ts) and its messages are
 * deleted: the alert names the role, where a dead letter would name nothing. A role not started while less than
 * START_MARGIN_MS of the invocation is left comes back at once, so a slow (throttled) batch never times out mid-role.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch'
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda'
import { changeOf } from '../events'
import { startRun } from './extras'
import { RoleBusyError } from './lease'
import { StaleReadError, SUPERSEDED_AFTER_MS } from './read-fresh'
import { settleFailure } from './role-failure'
import { groupByRole, type RoleGroup } from './role-messages'
import type { Deps, RoleResult } from './types'
import { reconcileWork } from './work'

/** A role whose reconcile must be tried again later: its records fail, and come back after `retryInSeconds`. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError'
  constructor(
    message: string,
    readonly retryInSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

const BUSY_RETRY_SECONDS = 30
/** A retryable failure's first wait; it doubles with each receive, up to MAX_RETRY_SECONDS. */
const RETRY_SECONDS = 30
const MAX_RETRY_SECONDS = 900
/** One role's reconcile takes ~25 s at worst (serverless.yml): none is started with less of the invocation left. */
export const START_MARGIN_MS = 30_000

/** When a role that failed retryably on its `tries`-th receive comes back: 30 s, 60 s, 120 s... at most 15 minutes. */
export function retryDelaySeconds(tries: number): number {
  return Math.min(MAX_RETRY_SECONDS, RETRY_SECONDS * 2 ** Math.max(0, tries - 1))
}

/** Reconciles a batch; returns the partial-failure response and what happened to each role. */
export async function reconcileBatch(
  records: SQSRecord[],
  deps: Deps,
  context: Context,
): Promise<{ response: SQSBatchResponse; results: RoleResult[] }> {
  const { groups, dropped } = groupByRole(records)
  for (const d of dropped)
    deps.log.error('reconcile message dropped', { messageId: d.record.messageId, reason: d.reason })
  const run = await startRun(deps, { withExtras: groups.length > 0 })
  const results: RoleResult[] = []
  const byMessage = new Map<string, RoleGroup>()
  for (const group of groups) for (const record of group.records) byMessage.set(record.messageId, group)
  const started = new Map<RoleGroup, Promise<void>>()
  const once = (group: RoleGroup) => {
    let done = started.get(group)
    if (!done) {
      done = reconcileGroup(deps, run, group, results, context)
      started.set(group, done)
    }
    return done
  }
  const response = await processPartialResponse(
    { Records: records },
    async (record: SQSRecord) => {
      const group = byMessage.get(record.messageId)
      if (group) await once(group)
    },
    new SqsFifoPartialProcessorAsync(),
    { context, skipGroupOnError: true, throwOnFullBatchFailure: false },
  )
  return { response, results }
}

async function reconcileGroup(
  deps: Deps,
  run: Awaited<ReturnType<typeof startRun>>,
  group: RoleGroup,
  results: RoleResult[],
  context: Context,
) {
  // The group's oldest message has been received most: its count is the role's tries.
  const tries = Math.max(...group.records.map(receiveCount))
  const last = tries >= deps.config.reconcileMaxReceives
  if (!last && context.getRemainingTimeInMillis() < START_MARGIN_MS)
    return later(deps, group, new RetryLaterError(`${group.role} not started: the invocation's time is running out`, 1))
  let retry: RetryLaterError | undefined
  try {
    const result = await reconcileWork(deps, run, { role: group.role, events: group.events })
    results.push(result)
    if (result.result === 'deferred' && result.deferredUntil) {
      const seconds = (Date.parse(result.deferredUntil) - run.now().getTime()) / 1000
      retry = new RetryLaterError(`heal of ${group.role} deferred until ${result.deferredUntil}`, seconds)
    }
  } catch (error) {
    const newest = group.events.at(-1)
    const settled = await settleFailure(deps, {
      role: group.role,
      error,
      tries,
      onRetryable: last ? 'alert' : 'retry',
      ...(newest ? { change: changeOf(newest) } : {}),
    })
    if (!settled.retry) return void results.push(settled.result)
    const seconds =
      error instanceof RoleBusyError
        ? BUSY_RETRY_SECONDS
        : error instanceof StaleReadError
          ? SUPERSEDED_AFTER_MS / 1000
          : retryDelaySeconds(tries)
    results.push({ ...settled.result, retryInSeconds: seconds })
    retry = new RetryLaterError(settled.result.error ?? 'retryable failure', seconds, { cause: error })
  }
  if (retry) await later(deps, group, retry)
}

/** The group's records come back once the wait is over (all of them: FIFO holds a group while any is in flight). */
async function later(deps: Deps, group: RoleGroup, retry: RetryLaterError): Promise<never> {
  try {
    await deps.queue?.delay(
      group.records.map((r) => r.receiptHandle),
      retry.retryInSeconds,
    )
  } catch (error) {
    // They still come back, after the queue's visibility timeout instead.
    deps.log.warn('could not set when the role comes back; it comes back after the visibility timeout', {
      role: group.role,
      error: error instanceof Error ? error.message : String(error),
    })
  }
  deps.log.info('reconcile retried later', { role: group.role, seconds: Math.ceil(retry.retryInSeconds) })
  throw retry
}

/** ApproximateReceiveCount: 1 on the first receive (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html). */
function receiveCount(record: SQSRecord): number {
  const n = Number(record.attributes.ApproximateReceiveCount)
  return Number.isInteger(n) && n > 0 ? n : 1
}
