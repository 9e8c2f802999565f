/** `mwaa-role-guard history` against a state table on moto (created from serverless.yml), with its own entries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDynamoDbClient } from '../../lib/aws/clients'
import { createStateTable, type StateTable } from '../../lib/aws/state-table'
import { main } from '../../lib/cli/main'
import { emptyRecord, type HistoryEntry } from '../../lib/incidents'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { uniqueName } from '../support/names'
import { createStateTableOnMoto } from '../support/state-table'

const HOUR = 3_600_000
const now = Date.now()
let moto: Moto
let table: StateTable
let env: Record<string, string>
const role = uniqueName('exec-role')
const other = uniqueName('other-role')
const alice = 'arn:aws:iam::111122223333:user/alice'
const refusedRole = uniqueName('refused-role')
/** A refused value as GetEnvironment returned it: a wildcard, and a terminal escape the timeline must not print raw. */
const refusedValue = 'arn:aws:s3:::*\u001b[31m'

const entry = (r: string, at: number, over: Partial<HistoryEntry>): HistoryEntry => ({
  v: 1,
  id: `h${at}`,
  at,
  role: r,
  source: 'event',
  triggers: [],
  environments: ['sales'],
  mode: 'heal',
  missing: 0,
  features: [],
  changes: [],
  writes: [],
  incidents: [],
  notices: [],
  outcome: 'healthy',
  ...over,
})

async function history(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['history', ...argv], { out: (t) => void out.push(t), err: (t) => void err.push(t), env })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

beforeAll(async () => {
  moto = await startMoto()
  const client = createDynamoDbClient({
    env: { AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint },
    region: 'us-east-1',
    credentials: motoCredentials,
  })
  const tableName = uniqueName('state')
  await createStateTableOnMoto(client, tableName)
  table = createStateTable(client, { tableName, historyDays: 400 })
  env = {
    STATE_TABLE: tableName,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  }
  const entries = [
    entry(role, now - 3 * HOUR, {
      triggers: [{ eventId: 'ev-1', eventName: 'DeleteRolePolicy', actor: alice, sourceIp: '203.0.113.7' }],
      missing: 7,
      features: ['logs'],
      changes: ['inline policy `logs` removed (1 statement: `AirflowLogs`)'],
      writes: ['put inline policy logs (as it was)'],
      incidents: [{ id: 'inc-aaaaaaaaaaaa', environment: 'sales', transition: 'healed' }],
      notices: ['[INFO] MWAA role drift: sales logs (healed)'],
      outcome: 'healed',
    }),
    entry(role, now - 2 * HOUR, {
      source: 'sweep',
      missing: 2,
      features: ['task queue'],
      incidents: [{ id: 'inc-bbbbbbbbbbbb', environment: 'sales', transition: 'opened' }],
      outcome: 'reported',
    }),
    entry(other, now - HOUR, {
      environments: ['fraud'],
      outcome: 'reported',
      incidents: [{ id: 'inc-cccccccccccc', environment: 'fraud', transition: 'resolved', by: 'change' }],
    }),
    entry(role, now - 10 * 24 * HOUR, { outcome: 'healed' }),
  ]
  for (const e of entries) {
    const read = await table.readRole(e.role)
    await table.writeRole(
      e.at === now - 2 * HOUR
        ? {
            ...read.record,
            incidents: [
              {
                id: 'inc-bbbbbbbbbbbb',
                environment: 'sales',
                region: 'us-east-1',
                fingerprint: '0123456789abcdef',
                openedAt: e.at,
                notifiedAt: e.at,
                missing: 2,
                features: ['task-queue'],
              },
            ],
          }
        : read.record,
      read.version,
      e,
    )
  }
  await table.writeRole(emptyRecord(uniqueName('healthy-role')), { kind: 'absent' })
  // Environment data refused: opened (told), then the same refusal seen by a sweep (history only).
  const refusal = { environment: 'ingest', field: 'SourceBucketArn', value: refusedValue, why: 'not concrete' }
  const refusalIncident = { id: 'inc-dddddddddddd', environment: 'ingest', kind: 'refused' as const }
  const opened = await table.readRole(refusedRole)
  const record = {
    ...opened.record,
    incidents: [
      {
        ...refusalIncident,
        region: 'us-east-1',
        fingerprint: '0123456789abcdef',
        openedAt: now - 5 * HOUR,
        notifiedAt: now - 5 * HOUR,
        missing: 1,
        features: ['SourceBucketArn'],
      },
    ],
  }
  const first = await table.writeRole(
    record,
    opened.version,
    entry(refusedRole, now - 5 * HOUR, {
      environments: ['ingest'],
      mode: 'alert',
      refusals: [refusal],
      incidents: [{ ...refusalIncident, transition: 'opened' }],
      notices: ['[HIGH] MWAA data refused: ingest SourceBucketArn (nothing written)'],
      outcome: 'refused',
    }),
  )
  if (!first.written) throw new Error('setup: the refusal was not written')
  await table.writeRole(
    { ...record, rev: record.rev + 1 },
    first.version,
    entry(refusedRole, now - 4 * HOUR, {
      source: 'sweep',
      environments: ['ingest'],
      mode: 'alert',
      refusals: [refusal],
      incidents: [{ ...refusalIncident, transition: 'unchanged' }],
      outcome: 'refused',
    }),
  )
})
afterAll(async () => {
  await moto?.stop()
})

describe('history: the timeline a person reads to answer "who broke this role, and what did we do?"', () => {
  it('--role: every entry of the role in the period, oldest first, with trigger, actor, source IP, writes and outcome', async () => {
    const result = await history('--role', role, '--since', '7d')
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    const lines = result.out.split('\n')
    expect(lines[0]).toMatch(new RegExp(`^History of role ${role} since .*: 2 entries$`))
    const first = lines.findIndex((l) =>
      l.includes('DeleteRolePolicy by arn:aws:iam::111122223333:user/alice from 203.0.113.7 [event ev-1]'),
    )
    const second = lines.findIndex((l) => l.includes('periodic check (no event)'))
    expect(first).toBeGreaterThan(0)
    expect(second).toBeGreaterThan(first)
    expect(result.out).toContain('changed: inline policy `logs` removed (1 statement: `AirflowLogs`)')
    expect(result.out).toContain('wrote: put inline policy logs (as it was)')
    expect(result.out).toContain('incident inc-aaaaaaaaaaaa (sales): healed')
    expect(result.out).not.toContain(`${new Date(now - 10 * 24 * HOUR).toISOString().slice(0, 10)}`)
  })

  it('--env: entries of every role that serves the environment; --json: the entries as stored', async () => {
    const result = await history('--env', 'fraud', '--json')
    expect(result.code).toBe(0)
    const entries = JSON.parse(result.out) as HistoryEntry[]
    expect(entries.map((e) => e.role)).toEqual([other])
  })

  it('--incidents: the open ones (with age) and those resolved in the period', async () => {
    const result = await history('--incidents', '--since', '1d')
    expect(result.code).toBe(0)
    expect(result.out).toMatch(
      new RegExp(`inc-bbbbbbbbbbbb  ${role} / sales \\(us-east-1\\)  open since .* \\(2 h\\)  2 missing: task-queue`),
    )
    expect(result.out).toMatch(/Resolved in the period: [1-9]/)
    expect(result.out).toContain(`inc-cccccccccccc  ${other} / fraud  resolved`)
    expect(result.out).toContain('inc-aaaaaaaaaaaa')
  })

  it('--env of an environment whose data was refused: every sighting, what was refused, escaped; --incidents says "data refused"', async () => {
    const result = await history('--env', 'ingest')
    expect(result.code).toBe(0)
    expect(result.out.split('\n')[0]).toMatch(/^History of environment ingest since .*: 2 entries$/)
    const refused = result.out.split('\n').filter((l) => l.includes('refused: ingest: SourceBucketArn'))
    expect(refused).toEqual([
      '    refused: ingest: SourceBucketArn, arn:aws:s3:::*\\u001b[31m (not concrete)',
      '    refused: ingest: SourceBucketArn, arn:aws:s3:::*\\u001b[31m (not concrete)',
    ])
    expect(result.out).not.toContain('\u001b')
    expect(result.out).toContain('incident inc-dddddddddddd (ingest, data refused): opened')
    expect(result.out).toContain('incident inc-dddddddddddd (ingest, data refused): unchanged')
    expect(result.out).toContain('notice: [HIGH] MWAA data refused: ingest SourceBucketArn (nothing written)')

    const incidents = await history('--incidents', '--role', refusedRole)
    expect(incidents.out).toMatch(
      new RegExp(
        `inc-dddddddddddd  ${refusedRole} / ingest \\(us-east-1\\)  open since .* \\(5 h\\)  data refused \\(1 value\\): SourceBucketArn`,
      ),
    )
  })

  it.each([
    [['--since', 'last week'], /--since: expected a duration like 7d/],
    [['--role', 'a', '--env', 'b'], /use --role NAME or --env NAME, not both/],
  ])('%j is a usage error (exit 2, one line)', async (argv, message) => {
    const result = await history(...argv)
    expect(result.code).toBe(2)
    expect(result.err).toMatch(message)
  })

  it('without STATE_TABLE it says what to set (exit 2)', async () => {
    const out: string[] = []
    const code = await main(['history'], { out: () => undefined, err: (t) => void out.push(t), env: {} })
    expect(code).toBe(2)
    expect(out.join('')).toMatch(/STATE_TABLE is not set/)
  })
})
