/**
 * Each CloudTrail event handled once: Powertools' idempotency utility on the event's `detail.eventID`, its records in
 * the state table (pk `idempotency#ingest`, sk the hashed key), expiring through the table's one TTL attribute
 * (https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/). A duplicate delivered after the
 * first completed (EventBridge's retry, Lambda's async retry, the same file handled twice) gets the stored result
 * without running again; one delivered while the first still runs raises IdempotencyAlreadyInProgressError, which
 * is a quiet duplicate here, not a Lambda error. A run that fails deletes its record, so a retry runs again.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import type { Context } from 'aws-lambda'
import { TTL_ATTRIBUTE } from './state-items'

export type Once<T> = { kind: 'first'; result: T } | { kind: 'duplicate'; result?: T }

export type EventOnceOptions = {
  tableName: string
  /** longer than an event can be re-delivered: EventBridge and Lambda give up after the rules' 1 h maximum age */
  expiresAfterSeconds: number
}

/** The partition every idempotency record of the ingest function lives in (the IAM policy's leading key idempotency#*). */
export const IDEMPOTENCY_PK = 'idempotency#ingest'

/** Wraps `fn` so that each event id runs it at most once; events without an id always run. */
export function eventOnce<T>(
  client: DynamoDBClient,
  options: EventOnceOptions,
  fn: (event: unknown, context: Context) => Promise<T>,
): (event: unknown, context: Context) => Promise<Once<T>> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: client,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: IDEMPOTENCY_PK,
    expiryAttr: TTL_ATTRIBUTE,
  })
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.eventID',
    expiresAfterSeconds: options.expiresAfterSeconds,
    throwOnNoIdempotencyKey: false,
  })
  // The third argument tells this call whether the function ran (a completed duplicate returns the stored result).
  const once = makeIdempotent(
    async (event: unknown, context: Context, ran: { value: boolean }) => {
      ran.value = true
      return storable(await fn(event, context))
    },
    // One key prefix whatever the function's name: the CLI's `handle` and the Lambda recognise each other's events.
    { persistenceStore, config, keyPrefix: 'ingest' },
  )
  return async (event, context) => {
    const ran = { value: false }
    try {
      const result = (await once(event, context, ran)) as T
      return ran.value ? { kind: 'first', result } : { kind: 'duplicate', result }
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) return { kind: 'duplicate' }
      throw error
    }
  }
}

/**
 * The result as its JSON form: the record stores it as a DynamoDB map, which has no `undefined` (the SDK's marshall
 * refuses one, and the run would fail after its work was done: a summary without an event id did). A result that is
 * not JSON (undefined) is stored as null.
 */
function storable<T>(result: T): T {
  return result === undefined ? result : (JSON.parse(JSON.stringify(result)) as T)
}
