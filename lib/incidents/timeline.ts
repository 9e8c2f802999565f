/** The `history` command's text: a role's timeline, and the open and recently resolved incidents. Pure. */
import type { HistoryEntry } from './history-entry'
import type { RoleRecord } from './role-record'

/** One block per entry, oldest first: when, what triggered it, what was found, done and told. */
export function formatTimeline(entries: readonly HistoryEntry[]): string[] {
  const lines: string[] = []
  for (const e of entries) {
    lines.push(`${stamp(e.at)}  ${e.role}  ${triggerLine(e)}`)
    const found = e.missing > 0 ? `${e.missing} missing (${e.features.join(', ')})` : 'nothing missing'
    lines.push(`    environments: ${e.environments.join(', ') || 'none'} · mode ${e.mode} · ${found}`)
    for (const change of e.changes.slice(0, 10)) lines.push(`    changed: ${change}`)
    if (e.changes.length > 10) lines.push(`    changed: …and ${e.changes.length - 10} more`)
    for (const r of e.refusals ?? [])
      lines.push(`    refused: ${escaped(r.environment)}: ${r.field}, ${escaped(r.value)} (${r.why})`)
    for (const write of e.writes) lines.push(`    wrote: ${write}`)
    for (const i of e.incidents)
      lines.push(
        `    incident ${i.id} (${i.environment}${i.kind === 'refused' ? ', data refused' : ''}): ${i.transition}${i.by ? ` by ${i.by}` : ''}`,
      )
    for (const notice of e.notices) lines.push(`    notice: ${notice}`)
    lines.push(`    outcome: ${e.outcome}${e.note ? ` (${e.note})` : ''}`)
  }
  return lines
}

/** Open incidents (with contested roles), then incidents resolved in the period, newest first. */
export function formatIncidents(
  records: readonly RoleRecord[],
  entries: readonly HistoryEntry[],
  now: number,
): string[] {
  const open = records.flatMap((r) => r.incidents.map((i) => ({ role: r.role, contested: r.contested, ...i })))
  const lines = [`Open incidents: ${open.length}`]
  for (const i of open.sort((a, b) => a.openedAt - b.openedAt)) {
    const what =
      i.kind === 'refused'
        ? `data refused (${i.missing} value${i.missing === 1 ? '' : 's'}): ${i.features.join(', ')}`
        : `${i.missing} missing: ${i.features.join(', ')}`
    lines.push(
      `  ${i.id}  ${i.role} / ${i.environment} (${i.region})  open since ${stamp(i.openedAt)} (${age(now - i.openedAt)})  ${what}${i.contested && i.kind !== 'refused' ? '  CONTESTED' : ''}`,
    )
    if (i.contested && i.kind !== 'refused')
      lines.push(`      undone by: ${i.contested.actors.join(', ') || 'unknown'}`)
  }
  const resolved = entries
    .flatMap((e) =>
      e.incidents.filter((i) => i.transition === 'resolved' || i.transition === 'healed').map((i) => ({ e, i })),
    )
    .sort((a, b) => b.e.at - a.e.at)
  lines.push('', `Resolved in the period: ${resolved.length}`)
  for (const { e, i } of resolved)
    lines.push(
      `  ${i.id}  ${e.role} / ${i.environment}${i.kind === 'refused' ? ' (data refused)' : ''}  ${i.transition} ${stamp(e.at)}${i.by ? ` by ${i.by}` : ''}`,
    )
  return lines
}

function triggerLine(e: HistoryEntry): string {
  if (e.source === 'sweep') return 'periodic check (no event)'
  const first = e.triggers[0]
  if (!first) return e.source
  const more = e.triggers.length > 1 ? ` (+${e.triggers.length - 1} more event${e.triggers.length > 2 ? 's' : ''})` : ''
  const ip = first.sourceIp ? ` from ${first.sourceIp}` : ''
  const id = first.eventId ? ` [event ${first.eventId}]` : ''
  return `${e.source === 'recovery' ? 'recovered: ' : ''}${first.eventName} by ${first.actor}${ip}${id}${more}`
}

/** A value from environment data, on one line and without control characters (a terminal prints it). */
function escaped(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

function stamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`
}

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`
}
