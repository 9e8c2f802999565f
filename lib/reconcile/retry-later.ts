/**
 * What the sweep may try again later, and a small helper that does it. The SDK has already retried each call
 * (adaptive mode, a bounded budget); this is the next level: the same read a few seconds on, when the burst that
 * throttled it has passed.
 */
import { isRetryableAwsError, isThrottlingAwsError } from '../aws/retryable'
import { RoleBusyError } from './lease'
import { StaleReadError } from './read-fresh'
import type { Deps } from './types'

/**
 * A throttled or transient AWS answer, a role that changed while read, a read still stale, a role another run holds:
 * none is final. Everything else (AccessDenied, a validation error, an IAM quota, a bug) fails the same way again.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof StaleReadError || error instanceof RoleBusyError || isRetryableAwsError(error)
}

export { isThrottlingAwsError as isThrottling }

/** One line for a summary: the error's name and first line. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return text.split('\n')[0] ?? text
}

/** Calls `fn`, and again after 1 s, 2 s... while it fails retryably, `tries` times in all; throws the last error. */
export async function retryLater<T>(
  deps: Pick<Deps, 'sleep' | 'log'>,
  what: string,
  fn: () => Promise<T>,
  tries = 3,
  pauseMs = 1_000,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (attempt >= tries || !isRetryable(error)) throw error
      deps.log.warn(`${what} failed; trying again later`, { error: describeError(error), attempt })
      await deps.sleep(pauseMs * 2 ** (attempt - 1))
    }
  }
}
