/**
 * How records and history entries are laid out as DynamoDB items: keys, the by-kind index (role records and history
 * items, each under one partition of the index, so the CLI lists them without a scan), and the TTL attribute, which
 * the idempotency records share (a table has one TTL attribute:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html).
 */
import type { HistoryEntry } from '../incidents/history-entry'
import type { RoleRecord } from '../incidents/role-record'

/** The attribute DynamoDB's TTL deletes items by (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt'

/** Attributes that belong to the item, not to the record it stores. */
export const ITEM_KEYS: readonly string[] = ['pk', 'sk', 'gsi1pk', 'gsi1sk', TTL_ATTRIBUTE]

/** A role record as an item (documents as the JSON text they were read as; no TTL: a role's memory is kept). */
export function itemOfRecord(record: RoleRecord): Record<string, unknown> {
  const { lastKnownGood, ...rest } = record
  return {
    ...rest,
    ...(lastKnownGood
      ? {
          lastKnownGood: {
            ...lastKnownGood,
            inline: lastKnownGood.inline.map((p) => ({ name: p.name, document: JSON.stringify(p.document) })),
          },
        }
      : {}),
    gsi1pk: 'role',
    gsi1sk: record.role.toLowerCase(),
  }
}

/** A history entry as an item, expiring `historyDays` after it happened. */
export function itemOfHistory(entry: HistoryEntry, historyDays: number): Record<string, unknown> {
  const at = new Date(entry.at).toISOString()
  return {
    ...entry,
    pk: `role#${entry.role.toLowerCase()}`,
    sk: `history#${at}#${entry.id}`,
    gsi1pk: 'history',
    gsi1sk: `${at}#${entry.role.toLowerCase()}#${entry.id}`,
    [TTL_ATTRIBUTE]: Math.floor(entry.at / 1000) + historyDays * 86_400,
  }
}
