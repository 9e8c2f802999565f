/**
 * The MWAA adapter: list environments and describe one, per region, cached briefly. An environment's
 * description changes rarely and a burst of IAM events about one role would otherwise describe it again
 * for every event; 60 s keeps a changed environment visible within a minute.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import type { Environment } from '@aws-sdk/client-mwaa'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import type { MwaaEnvironment } from '../baseline/types'
import type { ApiCallCounter } from './call-counter'
import type { AwsEnv } from './clients'
import { createMwaaHttpClient, MwaaServiceError, type MwaaHttpClient } from './mwaa-http'
import { toMwaaEnvironment } from './mwaa-environment'
import { TtlCache, type Clock } from './ttl-cache'

export { MwaaServiceError, mwaaEndpoint } from './mwaa-http'
export { toMwaaEnvironment } from './mwaa-environment'

export type GetEnvironmentResult =
  | { kind: 'found'; environment: MwaaEnvironment }
  | { kind: 'not-found'; name: string; region: string }

export type MwaaAdapter = {
  /** Names of all environments in the region (every page). */
  listEnvironments(region: string): Promise<string[]>
  /** The environment mapped to MwaaEnvironment, or `not-found` (environments get deleted). */
  getEnvironment(name: string, region: string): Promise<GetEnvironmentResult>
  /** Drops what is cached about one environment and its region's list (after a Create/Update/DeleteEnvironment). */
  forget(name: string, region: string): void
}

export type MwaaAdapterOptions = {
  env: AwsEnv
  clock: Clock
  ttlMs?: number
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  counter?: ApiCallCounter
  maxAttempts?: number
}

// ListEnvironments allows at most 25 per page (https://docs.aws.amazon.com/mwaa/latest/API/API_ListEnvironments.html).
const PAGE_SIZE = 25

/** Builds the MWAA adapter; one instance per process so its cache outlives an invocation. */
export function createMwaaAdapter(options: MwaaAdapterOptions): MwaaAdapter {
  const credentials = options.credentials ?? defaultProvider()
  const clients = new Map<string, MwaaHttpClient>()
  const clientFor = (region: string) => {
    let client = clients.get(region)
    if (!client) {
      client = createMwaaHttpClient({
        region,
        env: options.env,
        credentials,
        counter: options.counter,
        maxAttempts: options.maxAttempts,
      })
      clients.set(region, client)
    }
    return client
  }
  const ttlMs = options.ttlMs ?? 60_000
  const lists = new TtlCache<string[]>(ttlMs, options.clock)
  const descriptions = new TtlCache<GetEnvironmentResult>(ttlMs, options.clock)

  return {
    forget(name, region) {
      lists.delete(region)
      descriptions.delete(`${region}/${name}`)
    },
    listEnvironments: (region) =>
      lists.get(region, async () => {
        const names: string[] = []
        let nextToken: string | undefined
        do {
          const page = (await clientFor(region).get('ListEnvironments', '/environments', {
            NextToken: nextToken,
            MaxResults: String(PAGE_SIZE),
          })) as { Environments?: string[]; NextToken?: string }
          names.push(...(page.Environments ?? []))
          nextToken = page.NextToken || undefined
        } while (nextToken)
        return names
      }),

    getEnvironment: (name, region) =>
      descriptions.get(
        `${region}/${name}`,
        async () => {
          try {
            const out = (await clientFor(region).get(
              'GetEnvironment',
              `/environments/${encodeURIComponent(name)}`,
            )) as {
              Environment?: Environment
            }
            if (!out.Environment)
              throw new MwaaServiceError('EmptyResponse', 200, `GetEnvironment ${name} returned no Environment`)
            return { kind: 'found', environment: toMwaaEnvironment(out.Environment, name) }
          } catch (error) {
            if (error instanceof MwaaServiceError && error.code === 'ResourceNotFoundException') {
              return { kind: 'not-found', name, region }
            }
            throw error
          }
        },
        // A not-found is not cached: an environment created a moment ago must be seen on the next event.
        (result) => result.kind === 'found',
      ),
  }
}
