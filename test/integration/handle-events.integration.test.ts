/**
 * `mwaa-role-guard handle --events FILE.jsonl` on moto: many events in one process, one compact JSON summary per line
 * on stdout with the line it came from; a line that cannot be read is reported in its place (the other lines are
 * handled); a file that cannot be read at all is exit 2 naming it (lib/cli/files.ts's limits).
 * JSON Lines: https://jsonlines.org/
 */
import { truncateSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_EVENT_BYTES, MAX_EVENTS_FILE_BYTES } from '../../lib/cli/files'
import { main } from '../../lib/cli/main'
import { isOneLineInputError, scratch } from '../cli/support'
import { aboutEnvironment } from '../support/alert-inbox'
import { startWorld, type World } from '../support/world'

let world: World
const files = scratch('handle-events')
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
  files.remove()
})

async function handle(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['handle', ...argv], {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: world.env,
  })
  return { code, out: out.join('\n'), lines: out, err: err.join('\n') }
}

describe('handle --events FILE.jsonl', () => {
  it('handles every good line, reports a line that is not JSON by its number, and exits 1 for it', async () => {
    const a = await world.createEnvironment({ mode: 'alert' })
    const b = await world.createEnvironment({ mode: 'alert' })
    const first = await world.as(world.callers.operator).deleteRolePolicy(a.roleName, 'logs')
    const second = await world.as(world.callers.operator).deleteRolePolicy(b.roleName, 'logs')
    const path = files.file(
      [
        JSON.stringify(first),
        '{"detail-type": "AWS API Call via CloudTrail", ',
        '',
        JSON.stringify(second),
        JSON.stringify({ hello: 'world' }),
        '',
      ].join('\r\n'),
      'events.jsonl',
    )

    const run = await handle('--events', path, '--settle', '0')

    expect(run.code).toBe(1)
    // One compact JSON object per line, in file order, blank lines skipped.
    expect(run.lines).toHaveLength(4)
    const summaries = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(summaries.map((s) => [s.line, s.status])).toEqual([
      [1, 'handled'],
      [2, 'unreadable'],
      [4, 'handled'],
      [5, 'ignored'],
    ])
    expect(summaries[0]).toMatchObject({ roles: [{ role: a.roleName, result: 'reported' }] })
    expect(summaries[1]!.reason).toBe('not valid JSON (Expected double-quoted property name at column 48)')
    expect(summaries[2]).toMatchObject({ roles: [{ role: b.roleName, result: 'reported' }] })
    expect(summaries[3]!.reason).toContain('detail-type')
    expect(run.err).toContain('1 of 4 event(s) not handled')
    for (const env of [a, b]) expect(await world.inbox.take(aboutEnvironment(env.name))).toHaveLength(1)
  })

  it('each event once per event id: a file handled twice is duplicates the second time, handled again with --replay', async () => {
    const env = await world.createEnvironment({ mode: 'alert' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const path = files.file(`${JSON.stringify(event)}\n`, 'once.jsonl')
    expect((await handle('--events', path)).code).toBe(0)
    const again = await handle('--events', path)
    expect(JSON.parse(again.out)).toMatchObject({ line: 1, status: 'duplicate' })
    const replayed = await handle('--events', path, '--replay')
    expect(JSON.parse(replayed.out)).toMatchObject({ line: 1, status: 'handled', roles: [{ result: 'reported' }] })
  })

  it('a line longer than an event may be is reported in its place, the file still handled', async () => {
    const path = files.file(`"${'x'.repeat(MAX_EVENT_BYTES)}"\n{}\n`, 'long-line.jsonl')
    const run = await handle('--events', path)
    expect(run.code).toBe(1)
    expect(run.lines.map((l) => JSON.parse(l) as { line: number; status: string; reason: string })).toEqual([
      { line: 1, status: 'unreadable', reason: 'is 6.0 MiB, more than the 6.0 MiB an event may be', roles: [] },
      expect.objectContaining({ line: 2, status: 'ignored' }),
    ])
  })

  it('an empty file: nothing handled, said on stderr, exit 0', async () => {
    const run = await handle('--events', files.file('', 'empty.jsonl'))
    expect(run).toMatchObject({ code: 0, out: '' })
    expect(run.err).toContain('empty.jsonl: no events (an empty file, or only blank lines)')
  })

  it('a file over the limit, a missing file, or --event with --events: exit 2, one line', async () => {
    const big = files.file('', 'big.jsonl')
    truncateSync(big, MAX_EVENTS_FILE_BYTES + 1)
    const tooBig = await handle('--events', big)
    expect(isOneLineInputError(tooBig)).toBe(true)
    expect(tooBig.err).toBe(`mwaa-role-guard handle: ${big}: is 64 MiB, more than the 64 MiB an events file may be`)

    const missing = await handle('--events', `${files.dir}/nope.jsonl`)
    expect(isOneLineInputError(missing)).toBe(true)
    expect(missing.err).toContain('nope.jsonl: no such file')

    const event = files.file('{}', 'one.json')
    writeFileSync(event, '{}')
    const both = await handle('--event', event, '--events', event)
    expect(both.code).toBe(2)
    expect(both.err).toContain('--event and --events are exclusive')
  })
})
