/**
 * The four document adapters (all hand-signed, signed-http.ts), built once per process from an environment map (the
 * Lambda's process.env, or the CLI's), so their caches outlive an invocation. Organizations only with
 * READ_ORGANIZATION_POLICIES=true.
 */
import type { ApiCallCounter } from './call-counter'
import { type AwsEnv, credentialsFromEnv } from './clients'
import { createEc2Adapter } from './ec2'
import type { DocumentAdapters } from './environment-documents'
import { createKmsAdapter } from './kms'
import { createOrganizationsAdapter } from './organizations'
import { createS3Adapter } from './s3'
import type { Clock } from './ttl-cache'

export type DocumentAdapterOptions = {
  env: AwsEnv
  clock: Clock
  counter?: ApiCallCounter
  readOrganizationPolicies: boolean
}

/** S3, EC2, KMS and, when switched on, Organizations. */
export function createDocumentAdapters(options: DocumentAdapterOptions): DocumentAdapters {
  const credentials = credentialsFromEnv(options.env)
  const common = {
    env: options.env,
    clock: options.clock,
    counter: options.counter,
    ...(credentials ? { credentials } : {}),
  }
  return {
    s3: createS3Adapter(common),
    ec2: createEc2Adapter(common),
    kms: createKmsAdapter(common),
    ...(options.readOrganizationPolicies ? { organizations: createOrganizationsAdapter(common) } : {}),
  }
}
