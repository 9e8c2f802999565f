/**
 * Reads a role until the read reflects what we know happened. IAM is eventually consistent: a read right after a
 * change may still show the old state
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
 * Evaluating a stale read would report false health (a detached policy still "attached") or false drift, so after
 * the wait budget we throw: the Lambda's asynchronous retry re-delivers the event a minute later.
 */
import { RoleChangedDuringReadError, type ReadRoleResult } from '../aws/iam'
import type { RoleState } from '../drift/types'
import type { Deps } from './types'

export class StaleReadError extends Error {
  override name = 'StaleReadError'
  constructor(
    readonly roleName: string,
    waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `role ${roleName} still does not reflect the change after ${waitedMs} ms (IAM eventual consistency); retry later`,
      options,
    )
  }
}

const FIRST_DELAY_MS = 250

/**
 * A change made longer ago than this shows in any read: a read that still does not reflect it shows a later state (a
 * duplicate or out-of-order delivery, or the state our own heal wrote), so it is evaluated as is. IAM reads converge
 * in seconds; a minute is also when Lambda's first asynchronous retry arrives
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html), so a superseded event that
 * was taken for a stale read once is handled quietly on that retry instead of ending in the on-failure destination.
 */
export const SUPERSEDED_AFTER_MS = 60_000

export type FreshOptions = {
  /** what a read must show to be trusted (the event's own effect) */
  reflects?: (role: RoleState) => boolean
  /** the event's time (ISO-8601): tells a stale read from a superseded event */
  changedAt?: string
  /** the run's clock; without it, a read that never reflects its event is always taken as stale */
  now?: () => Date
  /** how old an event must be for a read that does not reflect it to be taken as superseded */
  supersededAfterMs?: number
}

/** Reads the role, re-reading with back-off while `reflects` is false or the role changed mid-read. */
export async function readFresh(
  deps: Pick<Deps, 'iam' | 'sleep' | 'config' | 'log'>,
  roleName: string,
  options: FreshOptions = {},
): Promise<ReadRoleResult> {
  const { reflects } = options
  let waited = 0
  let delay = FIRST_DELAY_MS
  for (;;) {
    let result: ReadRoleResult | undefined
    try {
      result = await deps.iam.readRole(roleName)
    } catch (error) {
      if (!(error instanceof RoleChangedDuringReadError)) throw error
    }
    if (result && (result.kind === 'not-found' || !reflects || reflects(result.role))) return result
    if (result && superseded(options)) {
      deps.log.info(
        'role read does not reflect an old event: a later change superseded it; evaluating the live state',
        { role: roleName, changedAt: options.changedAt },
      )
      return result
    }
    // The last wait is whatever is left of the budget, so the budget is honoured exactly (250+500+1000+2000, then
    // 250 more of CONSISTENCY_WAIT_MS=4000), not cut at the last doubling that fits.
    const wait = Math.min(delay, deps.config.consistencyWaitMs - waited)
    if (wait <= 0) throw new StaleReadError(roleName, waited)
    deps.log.debug('role read does not reflect the change yet; reading again', { role: roleName, waitedMs: waited })
    await deps.sleep(wait)
    waited += wait
    delay *= 2
  }
}

/**
 * After the settle window (at least 10 s) an event is old enough to show in any read; before, a minute. Reads
 * settle seconds after the event are not retried for an event a later change superseded (a delete, then a put).
 */
export function supersededAfter(settleSeconds: number): number {
  return settleSeconds >= 10 ? Math.min(SUPERSEDED_AFTER_MS, settleSeconds * 1000) : SUPERSEDED_AFTER_MS
}

/**
 * How far an event's time may lie ahead of our clock and still be believed. CloudTrail delivers events minutes after
 * the call; an event "from the future" beyond any clock skew is not a change a read could still be waiting for, so it
 * must not keep a role's reads "stale" (a retry, then the failed-events queue) until that time comes: the live state
 * is evaluated at once, as for a superseded event.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000

function superseded(options: FreshOptions): boolean {
  const at = options.changedAt === undefined ? NaN : Date.parse(options.changedAt)
  if (!options.now || Number.isNaN(at)) return false
  const age = options.now().getTime() - at
  return age >= (options.supersededAfterMs ?? SUPERSEDED_AFTER_MS) || age < -FUTURE_TOLERANCE_MS
}
