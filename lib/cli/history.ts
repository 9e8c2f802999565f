/**
 * `history [--role NAME | --env NAME] [--since 7d] [--json] [--incidents]`: what the guard found and did, read from
 * the state table (STATE_TABLE) with the operator's credentials (dynamodb:Query on the table and its by-kind index).
 */
import { createDynamoDbClient, credentialsFromEnv } from '../aws/clients'
import { createStateTable, type Listed } from '../aws/state-table'
import { loadConfig } from '../config'
import type { HistoryEntry } from '../incidents/history-entry'
import { formatIncidents, formatTimeline } from '../incidents/timeline'
import { UsageError, parseFlags } from './args'
import type { Io } from './io'
import { parseSince } from './since'

/** The CLI command. */
export async function historyCommand(argv: string[], io: Io, now = Date.now()): Promise<number> {
  const flags = parseFlags(argv, {
    role: { type: 'string' },
    env: { type: 'string' },
    since: { type: 'string' },
    json: { type: 'boolean' },
    incidents: { type: 'boolean' },
  })
  if (flags.role !== undefined && flags.env !== undefined)
    throw new UsageError('use --role NAME or --env NAME, not both')
  const since = parseSince(flags.since ?? '7d', now)
  const config = loadConfig(io.env)
  if (!config.stateTable)
    throw new UsageError('STATE_TABLE is not set: set it to the stack output StateTableName to read the history')
  const table = createStateTable(
    createDynamoDbClient({ env: io.env, region: config.region, credentials: credentialsFromEnv(io.env) }),
    {
      tableName: config.stateTable,
      historyDays: config.memory.historyDays,
    },
  )
  const listed = flags.role ? await table.roleHistory(flags.role, since) : await table.allHistory(since)
  const entries = listed.items.filter((e) => !flags.env || e.environments.includes(flags.env))
  warnUnreadable(listed, io)
  if (flags.incidents) {
    const records = await table.roleRecords()
    warnUnreadable(records, io)
    const roles = records.items.filter(
      (r) =>
        (!flags.role || r.role.toLowerCase() === flags.role.toLowerCase()) &&
        (!flags.env || r.incidents.some((i) => i.environment === flags.env)),
    )
    if (flags.json) io.out(JSON.stringify({ open: roles.flatMap(openOf), resolved: resolvedOf(entries) }, null, 2))
    else io.out(formatIncidents(roles, entries, now).join('\n'))
    return 0
  }
  if (flags.json) io.out(JSON.stringify(entries, null, 2))
  else {
    const scope = flags.role ? `role ${flags.role}` : flags.env ? `environment ${flags.env}` : 'every role'
    io.out(
      `History of ${scope} since ${new Date(since).toISOString()}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`,
    )
    if (entries.length > 0) io.out(['', ...formatTimeline(entries)].join('\n'))
  }
  return 0
}

function warnUnreadable(listed: Listed<unknown>, io: Io): void {
  for (const line of listed.unreadable) io.err(`warning: skipped an unreadable item: ${line}`)
}

function openOf(record: { role: string; incidents: unknown[]; contested?: unknown }) {
  return record.incidents.map((incident) => ({
    role: record.role,
    ...(incident as object),
    contested: record.contested,
  }))
}

function resolvedOf(entries: readonly HistoryEntry[]) {
  return entries.flatMap((e) =>
    e.incidents
      .filter((i) => i.transition === 'resolved' || i.transition === 'healed')
      .map((i) => ({ role: e.role, at: new Date(e.at).toISOString(), ...i })),
  )
}
