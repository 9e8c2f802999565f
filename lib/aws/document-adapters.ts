/**
 * The four document adapters, built once per process from an environment map (the Lambda's process.env, or the
 * CLI's), so their caches outlive an invocation. Organizations only with READ_ORGANIZATION_POLICIES=true.
 */
import type { ApiCallCounter } from './call-counter'
import { type AwsEnv, createKmsClient, createOrganizationsClient, credentialsFromEnv } from './clients'
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

/** S3, KMS (one client per region), EC2 and, when switched on, Organizations. */
export function createDocumentAdapters(options: DocumentAdapterOptions): DocumentAdapters {
  const credentials = credentialsFromEnv(options.env)
  const common = { env: options.env, counter: options.counter, ...(credentials ? { credentials } : {}) }
  const kmsClients = new Map<string, ReturnType<typeof createKmsClient>>()
  const kmsClientFor = (region: string) => {
    let client = kmsClients.get(region)
    if (!client) {
      client = createKmsClient({ ...common, region })
      kmsClients.set(region, client)
    }
    return client
  }
  return {
    s3: createS3Adapter({ ...common, clock: options.clock }),
    ec2: createEc2Adapter({ ...common, clock: options.clock }),
    kms: createKmsAdapter({ clientFor: kmsClientFor, clock: options.clock }),
    ...(options.readOrganizationPolicies
      ? {
          organizations: createOrganizationsAdapter({
            client: createOrganizationsClient(common),
            clock: options.clock,
          }),
        }
      : {}),
  }
}
