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
    super(`role ${roleName} still does not reflect the change after ${waitedMs} ms (IAM eventual consistency); retry later`, options)
  }
}

const FIRST_DELAY_MS = 250

/** Reads the role, re-reading with back-off while `reflects` is false or the role changed mid-read. */
export async function readFresh(
  deps: Pick<Deps, 'iam' | 'sleep' | 'config' | 'log'>,
  roleName: string,
  reflects?: (role: RoleState) => boolean,
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
    if (waited + delay > deps.config.consistencyWaitMs) {
      throw new StaleReadError(roleName, waited)
    }
    deps.log.debug('role read does not reflect the change yet; reading again', { role: roleName, waitedMs: waited })
    await deps.sleep(delay)
    waited += delay
    delay *= 2
  }
}
