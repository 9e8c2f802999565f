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

/**
 * Reads the role, re-reading with back-off while `reflects` is false or the role changed mid-read. `changedAt` (the
 * event's time, ISO-8601) tells a stale read from a superseded event.
 */
export async function readFresh(
  deps: Pick<Deps, 'iam' | 'sleep' | 'config' | 'log' | 'now'>,
  roleName: string,
  reflects?: (role: RoleState) => boolean,
  changedAt?: string,
): Promise<ReadRoleResult> {
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
    if (result && superseded(deps, changedAt)) {
      deps.log.info(
        'role read does not reflect an old event: a later change superseded it; evaluating the live state',
        { role: roleName, changedAt },
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

function superseded(deps: Pick<Deps, 'now'>, changedAt: string | undefined): boolean {
  const at = changedAt === undefined ? NaN : Date.parse(changedAt)
  if (!deps.now || Number.isNaN(at)) return false
  return deps.now().getTime() - at >= SUPERSEDED_AFTER_MS
}
