/**
 * What the four hand-signed document adapters (S3, KMS, EC2, Organizations) share: the options they are built with,
 * and the rule that turns "we may not read this document" into data (`unreadable`, with the reason, so a check says
 * what it could not see) while anything else (throttling after the retries, a 5xx) is thrown for a retry.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import type { DocumentRead } from '../drift/resource-documents'
import type { ApiCallCounter } from './call-counter'
import type { AwsEnv } from './clients'
import { PolicyDocumentError } from './policy-document'
import { AwsHttpError } from './signed-http'
import type { Clock } from './ttl-cache'

export type DocumentAdapterBuildOptions = {
  env: AwsEnv
  clock: Clock
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  counter?: ApiCallCounter
  maxAttempts?: number
  ttlMs?: number
  fetch?: typeof fetch
}

export type ReadErrors = {
  /** who answered, for the reason: `kms`, `s3:GetBucketPolicy`... */
  service: string
  /** the error codes that mean "this caller cannot read it" */
  unreadable: ReadonlySet<string>
  /** the error code that means "there is no such document" (S3's NoSuchBucketPolicy...) */
  none?: string
}

/** Runs `read`; an unreadable answer or an undecodable document becomes data, anything else is thrown. */
export async function readDocument<T>(
  read: () => Promise<DocumentRead<T>>,
  errors: ReadErrors,
): Promise<DocumentRead<T>> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof AwsHttpError) {
      if (errors.none !== undefined && error.code === errors.none) return { kind: 'none' }
      if (errors.unreadable.has(error.code))
        return { kind: 'unreadable', reason: `${errors.service} answered ${error.code}` }
    }
    if (error instanceof PolicyDocumentError) return { kind: 'unreadable', reason: error.message }
    throw error
  }
}
