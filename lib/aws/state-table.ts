/**
 * The state table adapter: one DynamoDB table holds each role's record (pk `role#<name>`, sk `state`), its history
 * (sk `history#<time>#<id>`, expiring after the history TTL) and the ingest function's idempotency records. Writes
 * of a role record are conditional on the revision that was read, so two invocations that race never overwrite each
 * other: the second gets a conflict and reads again
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
 * Everything read back goes through the record and history schemas; an item that fails them is reported as
 * unreadable, never used.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  paginateQuery,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { historyEntrySchema, type HistoryEntry } from '../incidents/history-entry'
import { emptyRecord, roleRecordSchema, type RoleRecord } from '../incidents/role-record'
import { itemOfHistory, itemOfRecord, ITEM_KEYS } from './state-items'

/** What a write is conditional on: the item as it was read. */
export type Version =
  | { kind: 'absent' }
  | { kind: 'rev'; rev: number }
  | { kind: 'unreadable'; rev?: number; reason: string }
export type StoredRole = { record: RoleRecord; version: Version }
export type WriteResult = { written: true; version: Version } | { written: false }
export type Listed<T> = { items: T[]; unreadable: string[] }

export type StateTable = {
  readonly tableName: string
  /** The role's record (a consistent read), or an empty one when the role has none or its item is unreadable. */
  readRole(roleName: string): Promise<StoredRole>
  /** Writes the record, and a history entry in the same transaction, unless the item changed since `version`. */
  writeRole(record: RoleRecord, version: Version, history?: HistoryEntry): Promise<WriteResult>
  /** History of one role from `since` (epoch ms), oldest first. */
  roleHistory(roleName: string, since: number): Promise<Listed<HistoryEntry>>
  /** History of every role from `since`, oldest first (the by-kind index: eventually consistent). */
  allHistory(since: number): Promise<Listed<HistoryEntry>>
  /** Every role record (the by-kind index). */
  roleRecords(): Promise<Listed<RoleRecord>>
}

export const BY_KIND_INDEX = 'by-kind'

export type StateTableOptions = { tableName: string; historyDays: number }

/** Builds the adapter over a client from `createDynamoDbClient`. */
export function createStateTable(client: DynamoDBClient, options: StateTableOptions): StateTable {
  const { tableName } = options
  const item = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true })
  const key = (roleName: string) => ({ pk: rolePk(roleName), sk: 'state' })

  async function query(
    input: Omit<QueryCommandInput, 'TableName' | 'ExpressionAttributeValues'>,
    values: Record<string, unknown>,
  ): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = []
    const request = { TableName: tableName, ...input, ExpressionAttributeValues: item(values) }
    for await (const page of paginateQuery({ client }, request))
      items.push(...(page.Items ?? []).map((i) => unmarshall(i)))
    return items
  }

  return {
    tableName,
    async readRole(roleName) {
      const out = await client.send(
        new GetItemCommand({ TableName: tableName, Key: item(key(roleName)), ConsistentRead: true }),
      )
      if (!out.Item) return { record: emptyRecord(roleName), version: { kind: 'absent' } }
      const found = unmarshall(out.Item)
      const parsed = roleRecordSchema.safeParse(stripKeys(found))
      if (parsed.success) return { record: parsed.data, version: { kind: 'rev', rev: parsed.data.rev } }
      const rev = typeof found.rev === 'number' ? found.rev : undefined
      return {
        record: emptyRecord(roleName),
        version: { kind: 'unreadable', rev, reason: describeIssue(parsed.error.issues) },
      }
    },

    async writeRole(record, version, history) {
      const rev = (version.kind === 'absent' ? 0 : version.kind === 'rev' ? version.rev : (version.rev ?? 0)) + 1
      const condition = conditionFor(version)
      const put = {
        TableName: tableName,
        Item: item({ ...itemOfRecord({ ...record, rev }), ...key(record.role) }),
        ConditionExpression: condition.ConditionExpression,
        ...(condition.ExpressionAttributeValues
          ? { ExpressionAttributeValues: item(condition.ExpressionAttributeValues) }
          : {}),
      }
      try {
        if (!history) await client.send(new PutItemCommand(put))
        else
          await client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                { Put: put },
                {
                  Put: {
                    TableName: tableName,
                    Item: item(itemOfHistory(history, options.historyDays)),
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          )
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { written: false }
        // The role item is the first action: ConditionalCheckFailed means someone wrote it since our read;
        // TransactionConflict, that someone is writing it right now. Either way: read again.
        // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html (CancellationReasons)
        const code = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0]?.Code : undefined
        if (code === 'ConditionalCheckFailed' || code === 'TransactionConflict') return { written: false }
        throw error
      }
      return { written: true, version: { kind: 'rev', rev } }
    },

    async roleHistory(roleName, since) {
      const items = await query(
        { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to' },
        { ':pk': rolePk(roleName), ':from': `history#${iso(since)}`, ':to': 'history#~' },
      )
      return parseAll(items, historyEntrySchema)
    },

    async allHistory(since) {
      const items = await query(
        { IndexName: BY_KIND_INDEX, KeyConditionExpression: 'gsi1pk = :kind AND gsi1sk >= :from' },
        { ':kind': 'history', ':from': iso(since) },
      )
      return parseAll(items, historyEntrySchema)
    },

    async roleRecords() {
      const items = await query(
        { IndexName: BY_KIND_INDEX, KeyConditionExpression: 'gsi1pk = :kind' },
        { ':kind': 'role' },
      )
      return parseAll(items, roleRecordSchema)
    },
  }
}

/** Role names are unique case-insensitively in IAM (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names). */
export function rolePk(roleName: string): string {
  return `role#${roleName.toLowerCase()}`
}

function conditionFor(version: Version): {
  ConditionExpression: string
  ExpressionAttributeValues?: Record<string, unknown>
} {
  switch (version.kind) {
    case 'absent':
      return { ConditionExpression: 'attribute_not_exists(pk)' }
    case 'rev':
      return { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': version.rev } }
    case 'unreadable':
      // An item we could not read is replaced, not used; still only if nobody rewrote it meanwhile.
      return version.rev === undefined
        ? {
            ConditionExpression: 'attribute_not_exists(rev) OR NOT attribute_type(rev, :n)',
            ExpressionAttributeValues: { ':n': 'N' },
          }
        : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': version.rev } }
  }
}

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !ITEM_KEYS.includes(k)))
}

function parseAll<T>(
  items: Array<Record<string, unknown>>,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } },
): Listed<T> {
  const out: Listed<T> = { items: [], unreadable: [] }
  for (const item of items) {
    const parsed = schema.safeParse(stripKeys(item))
    if (parsed.success) out.items.push(parsed.data)
    else out.unreadable.push(`${String(item.pk)} ${String(item.sk)}: ${describeIssue(parsed.error.issues)}`)
  }
  return out
}

type Issue = { path: PropertyKey[]; message: string }
function describeIssue(issues: readonly Issue[]): string {
  const issue = issues[0]
  return issue ? `${issue.path.map(String).join('.') || '(item)'}: ${issue.message}` : 'invalid'
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
