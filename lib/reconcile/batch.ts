/**
 * The reconcile worker's batch (Lambda's SQS event source on the FIFO queue): Powertools batch processing with
 * partial failures, in FIFO order, a failed message group's later records skipped so the group stays in order
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/). The records of one role coalesce into
 * one reconcile. A heal inside its back-off hides the role's messages until the back-off ends (they come back then);
 * a role another run holds comes back in 30 s, one whose read is still stale in a minute (when an event is old enough
 * to be taken as superseded); a record that is not a role message is dropped (logged, deleted).
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch'
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda'
import { startRun } from './extras'
import { RoleBusyError } from './lease'
import { StaleReadError, SUPERSEDED_AFTER_MS } from './read-fresh'
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
      done = reconcileGroup(deps, run, group, results)
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
) {
  let retry: RetryLaterError | undefined
  try {
    const result = await reconcileWork(deps, run, { role: group.role, events: group.events })
    results.push(result)
    if (result.result === 'deferred' && result.deferredUntil) {
      const seconds = (Date.parse(result.deferredUntil) - run.now().getTime()) / 1000
      retry = new RetryLaterError(`heal of ${group.role} deferred until ${result.deferredUntil}`, seconds)
    }
  } catch (error) {
    if (error instanceof RoleBusyError) retry = new RetryLaterError(error.message, BUSY_RETRY_SECONDS, { cause: error })
    else if (error instanceof StaleReadError)
      retry = new RetryLaterError(error.message, SUPERSEDED_AFTER_MS / 1000, { cause: error })
    else throw error
  }
  if (!retry) return
  // The group's records come back once the wait is over (all of them: FIFO holds a group while any is in flight).
  await deps.queue?.delay(
    group.records.map((r) => r.receiptHandle),
    retry.retryInSeconds,
  )
  deps.log.info('reconcile retried later', { role: group.role, seconds: Math.ceil(retry.retryInSeconds) })
  throw retry
}
