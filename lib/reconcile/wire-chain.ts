/**
 * The parts of the dependencies only some functions need: the reconcile queue (the ingest function sends to it, the
 * reconcile function hides messages on it) and the deduplication of CloudTrail events (the ingest function and the
 * CLI's handle). Kept apart from wireDeps so the sweep's bundle carries neither client.
 */
import { createDynamoDbClient, createSqsClient, credentialsFromEnv, type AwsEnv } from '../aws/clients'
import type { ApiCallCounter } from '../aws/call-counter'
import { eventOnce } from '../aws/event-once'
import { createReconcileQueue } from '../aws/reconcile-queue'
import type { Deps } from './types'

type ChainOptions = { counter?: ApiCallCounter }

/** The deps with the reconcile queue, when RECONCILE_QUEUE_URL is set. */
export function withQueue(deps: Deps, env: AwsEnv, options: ChainOptions = {}): Deps {
  const url = deps.config.reconcileQueueUrl
  if (!url) return deps
  const client = createSqsClient(clientOptions(deps, env, options))
  return { ...deps, queue: createReconcileQueue(client, url) }
}

/** The deps with each CloudTrail event handled once (Powertools idempotency in the state table), when it is set. */
export function withDedupe(deps: Deps, env: AwsEnv, options: ChainOptions = {}): Deps {
  const tableName = deps.config.stateTable
  if (!tableName) return deps
  const client = createDynamoDbClient(clientOptions(deps, env, options))
  return {
    ...deps,
    // Longer than EventBridge and Lambda re-deliver an event: both give up after the rules' 1 h maximum age.
    dedupe: (fn) => eventOnce(client, { tableName, expiresAfterSeconds: 3 * 3600 }, fn),
  }
}

/** A client for the deployment's region, counted, with the environment's credentials. */
function clientOptions(deps: Deps, env: AwsEnv, options: ChainOptions) {
  return { env, counter: options.counter, credentials: credentialsFromEnv(env), region: deps.config.region }
}
