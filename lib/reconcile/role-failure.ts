/**
 * What a reconcile that threw becomes, the same for the reconcile worker and the CLI's `handle`: a retryable error
 * (throttled, a 5xx, a network error, a stale read, the role busy: isRetryable) is tried again later while tries are
 * left; a permanent one (AccessDenied, a validation error, an IAM quota), or a retryable one on the last try, is
 * reported once: a "not checked" alert naming the role and the error, and the role's result `failed`. Nothing is ever
 * dropped silently: if that alert cannot be sent either, the error is thrown (the message goes on to the dead-letter
 * queue, whose alarm fires; the CLI exits non-zero).
 */
import type { Change } from '../events'
import { describeError, isRetryable } from './retry-later'
import type { Deps, RoleResult } from './types'

export type FailureInput = {
  role: string
  error: unknown
  /** tries so far, this one included (the message's receive count) */
  tries: number
  /**
   * what a retryable error becomes: `retry` (the worker with receives left), `alert` (the worker's last receive), or
   * `return` (the CLI: the person who ran it is told by the summary and the exit code, and runs it again)
   */
  onRetryable: 'retry' | 'alert' | 'return'
  /** the newest event that named the role */
  change?: Change
}

export type Settled = { retry: boolean; result: RoleResult }

/** Classifies the error; alerts when it is final (permanent, or retryable with no try left). */
export async function settleFailure(deps: Pick<Deps, 'notify' | 'log'>, input: FailureInput): Promise<Settled> {
  const retryable = isRetryable(input.error)
  const error = describeError(input.error)
  const result: RoleResult = {
    role: input.role,
    environments: [],
    result: 'failed',
    findings: 0,
    writes: [],
    blocked: 0,
    alerted: false,
    error,
    retryable,
    tries: input.tries,
  }
  if (retryable && input.onRetryable === 'retry') {
    deps.log.warn('reconcile failed retryably; the role is reconciled again later', {
      role: input.role,
      error,
      tries: input.tries,
    })
    return { retry: true, result }
  }
  if (retryable && input.onRetryable === 'return') return { retry: false, result }
  deps.log.error('reconcile failed; reporting the role as not checked', {
    role: input.role,
    error,
    retryable,
    tries: input.tries,
  })
  await deps.notify({
    kind: 'reconcile-failed',
    // The role's path is unknown without a read; the name is what identifies it in the account.
    role: { arn: input.role, name: input.role },
    environments: [],
    mode: 'alert',
    ...(input.change ? { change: input.change } : {}),
    report: { role: input.role, environments: [], evaluated: 0, findings: [], warnings: [] },
    outcome: 'failed',
    writes: [],
    blocked: [],
    error,
    failure: { error, retryable, tries: input.tries },
  })
  return { retry: false, result: { ...result, alerted: true } }
}
