/**
 * Which errors an adapter call may be tried again for, with the SDK's own classification, so the shell retries later
 * exactly what the SDK's retry loop would have retried had it not run out of attempts or retry quota: throttling,
 * transient and 5xx answers (the SDK clients' errors and the hand-signed clients' AwsHttpError alike), network
 * timeouts, and the adapters' own races (RoleChangedDuringReadError).
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { sdkErrorShape } from './signed-http'

/** True when the same call may succeed later: nothing about the request itself was wrong. */
export function isRetryableAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  if ((error as { retryable?: unknown }).retryable === true) return true
  const probe = sdkErrorShape(error)
  return isThrottlingError(probe) || isTransientError(probe) || isServerError(probe)
}

/** True for a throttling answer (IAM `Throttling`, MWAA `ThrottlingException`, HTTP 429...). */
export function isThrottlingAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  return isThrottlingError(sdkErrorShape(error))
}
