/**
 * What the sweep tries again later: the SDK's own classification (throttling, transient, 5xx), for SDK errors and the
 * hand-signed MWAA client's alike. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { describe, expect, it } from 'vitest'
import { RoleChangedDuringReadError } from '../../lib/aws/iam'
import { MwaaServiceError } from '../../lib/aws/mwaa'
import { AwsHttpError } from '../../lib/aws/signed-http'
import { isRetryableAwsError, isThrottlingAwsError } from '../../lib/aws/retryable'

const sdk = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })
const IAM_ERRORS = 'https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html'
const MWAA_ERRORS = 'https://docs.aws.amazon.com/mwaa/latest/API/CommonErrors.html'
const S3_ERRORS = 'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html'
const KMS_ERRORS = 'https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html'

describe('isRetryableAwsError / isThrottlingAwsError', () => {
  it.each([
    [`IAM Throttling, 400 (${IAM_ERRORS})`, sdk('Throttling', 400), true, true],
    [`IAM ServiceFailure, 500 (${IAM_ERRORS})`, sdk('ServiceFailureException', 500), true, false],
    ['ServiceUnavailable, 503', sdk('ServiceUnavailable', 503), true, false],
    ['an unclassified 501', sdk('NotImplemented', 501), true, false],
    [`IAM AccessDenied, 403 (${IAM_ERRORS})`, sdk('AccessDenied', 403), false, false],
    ['IAM NoSuchEntity, 404', sdk('NoSuchEntityException', 404), false, false],
    ['a socket timeout', Object.assign(new Error('socket hang up'), { code: 'ETIMEDOUT' }), true, false],
    [
      `MWAA ThrottlingException, 429 (${MWAA_ERRORS})`,
      new MwaaServiceError('ThrottlingException', 429, 'slow down'),
      true,
      true,
    ],
    [
      `MWAA InternalServerException, 500 (${MWAA_ERRORS})`,
      new MwaaServiceError('InternalServerException', 500, 'x'),
      true,
      false,
    ],
    [
      `MWAA AccessDeniedException, 403 (${MWAA_ERRORS})`,
      new MwaaServiceError('AccessDeniedException', 403, 'no'),
      false,
      false,
    ],
    // The hand-signed document clients (S3, KMS, EC2, Organizations) throw AwsHttpError once their retries are spent.
    [`S3 SlowDown, 503 (${S3_ERRORS})`, new AwsHttpError('SlowDown', 503, 'reduce your request rate'), true, true],
    [`KMS ThrottlingException, 400 (${KMS_ERRORS})`, new AwsHttpError('ThrottlingException', 400, 'x'), true, true],
    [`KMS KMSInternalException, 500 (${KMS_ERRORS})`, new AwsHttpError('KMSInternalException', 500, 'x'), true, false],
    [`S3 AccessDenied, 403 (${S3_ERRORS})`, new AwsHttpError('AccessDenied', 403, 'no'), false, false],
    ['a role that changed while read', new RoleChangedDuringReadError('r', { cause: new Error('gone') }), true, false],
    ['a plain Error', new Error('bug'), false, false],
    ['not an object', 'Throttling', false, false],
    ['null', null, false, false],
  ])('%s: retryable %s, throttling %s', (_case, error, retryable, throttling) => {
    expect(isRetryableAwsError(error)).toBe(retryable)
    expect(isThrottlingAwsError(error)).toBe(throttling)
  })
})
