/**
 * Which errors an adapter call may be tried again for, with the SDK's own classification, so the shell retries later
 * exactly what the SDK's retry loop would have retried had it not run out of attempts or retry quota: throttling,
 * transient and 5xx answers (the SDK clients' errors and the hand-signed clients' AwsHttpError alike), network
 * timeouts, and the adapters' own races (RoleChangedDuringReadError).
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { sdkErrorShape } from './signed-http'

/**
 * True when the same call may succeed later: nothing about the request itself was wrong. An error that wraps another
 * (Powertools idempotency's persistence error around a throttled DynamoDB call) is judged by what it wraps.
 */
export function isRetryableAwsError(error: unknown): boolean {
  return someCause(error, (e) => {
    if ((e as { retryable?: unknown }).retryable === true) return true
    if (isQuotaError(e)) return false
    const probe = sdkErrorShape(e)
    return isThrottlingError(probe) || isTransientError(probe) || isServerError(probe)
  })
}

/** True for a throttling answer (IAM `Throttling`, MWAA `ThrottlingException`, HTTP 429...). */
export function isThrottlingAwsError(error: unknown): boolean {
  return someCause(error, (e) => !isQuotaError(e) && isThrottlingError(sdkErrorShape(e)))
}

/**
 * IAM's quota error: `LimitExceeded`, HTTP 409 ("attempted to create resources beyond the current AWS account
 * limits", https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html). The SDK lists
 * `LimitExceededException` among its throttling codes (other services use the name for a request rate); a quota does
 * not lift by waiting, so IAM's is permanent.
 */
function isQuotaError(error: object): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } }
  return e.name === 'LimitExceededException' && e.$metadata?.httpStatusCode === 409
}

/** `test` on the error and the causes it carries (at most 5 deep). */
function someCause(error: unknown, test: (error: object) => boolean): boolean {
  let current = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (test(current)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
