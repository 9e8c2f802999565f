/**
 * `handle --event` and `handle --events` exit as the reconcile worker classifies what failed: 1 when something failed
 * for good (trying again fails the same way), 75 (sysexits' EX_TEMPFAIL) when every failure was retryable (throttled,
 * a 5xx, a stale read: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), 0 otherwise.
 */
import { describe, expect, it } from 'vitest'
import {
  EXIT_RETRY_LATER,
  type EventOutcome,
  errorOutcome,
  exitCodeOf,
  summaryOutcome,
} from '../../lib/cli/local-chain'
import { StaleReadError } from '../../lib/reconcile/read-fresh'
import type { EventSummary, RoleResult } from '../../lib/reconcile/types'

const role = (result: RoleResult['result'], retryable?: boolean): RoleResult => ({
  role: 'exec',
  environments: [],
  result,
  findings: 0,
  writes: [],
  blocked: 0,
  alerted: false,
  ...(retryable === undefined ? {} : { retryable }),
})
const summary = (...roles: RoleResult[]): EventSummary => ({ status: 'handled', roles }) as EventSummary

describe('the exit code of a local run', () => {
  it.each<[string, EventOutcome[], number]>([
    ['nothing failed', ['done', 'done'], 0],
    ['no event at all', [], 0],
    ['a retryable failure only', ['done', 'retryable'], EXIT_RETRY_LATER],
    ['a permanent failure', ['retryable', 'permanent', 'done'], 1],
  ])('%s', (_case, outcomes, code) => {
    expect(exitCodeOf(outcomes)).toBe(code)
  })

  it.each<[string, EventSummary, EventOutcome]>([
    ['healed and healthy roles', summary(role('healed'), role('healthy')), 'done'],
    ['a role failed retryably', summary(role('healed'), role('failed', true)), 'retryable'],
    ['a role failed for good', summary(role('failed', true), role('failed', false)), 'permanent'],
    ['a failed role without a classification is taken as permanent', summary(role('failed')), 'permanent'],
  ])('a summary: %s', (_case, s, outcome) => {
    expect(summaryOutcome(s)).toBe(outcome)
  })

  it.each<[string, unknown, EventOutcome]>([
    [
      'IAM Throttling',
      Object.assign(new Error('x'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      'retryable',
    ],
    ['a stale read', new StaleReadError('exec', 4000), 'retryable'],
    [
      'AccessDenied',
      Object.assign(new Error('x'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      'permanent',
    ],
    ['a bug', new TypeError('x is undefined'), 'permanent'],
  ])('a thrown error: %s', (_case, error, outcome) => {
    expect(errorOutcome(error)).toBe(outcome)
  })
})
