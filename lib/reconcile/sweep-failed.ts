/** A sweep that finished with roles failed or not reached: thrown by the Lambda (its Errors alarm), read by the CLI. */
import type { SweepSummary } from './sweep-summary'

export class SweepFailedError extends Error {
  override name = 'SweepFailedError'
  constructor(
    readonly summary: SweepSummary,
    options?: { cause?: unknown },
  ) {
    const { failed, notReached, roles } = summary.totals
    super(`sweep of ${roles} role(s): ${failed} failed, ${notReached} not reached (see the sweep summary)`, options)
  }
}
