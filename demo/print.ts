/** How the demo prints: headings, short indented lines, the alert body in a gutter. Plain text, no colours. */
import { featureInfo } from '../lib/baseline/features'
import type { Finding } from '../lib/drift/findings'
import type { RoleState } from '../lib/drift/types'
import type { PolicyDocument } from '../lib/iam/types'
import { groupByCause, listSome, plural } from '../lib/report/describe'
import type { DeliveredAlert } from '../test/support/alert-inbox'

const WIDTH = 100
export const out = (line = '') => process.stdout.write(`${line}\n`)

export function banner(title: string): void {
  out()
  out('═'.repeat(WIDTH))
  out(`  ${title}`)
  out('═'.repeat(WIDTH))
}

export function heading(title: string): void {
  out()
  out(`━━ ${title} ${'━'.repeat(Math.max(3, WIDTH - title.length - 4))}`)
}

export function section(title: string): void {
  out()
  out(`  ▸ ${title}`)
}

/** Indented lines, each soft-wrapped at the page width (continuations keep the indentation). */
export function lines(text: string | string[], indent = '    '): void {
  for (const line of Array.isArray(text) ? text : text.split('\n'))
    for (const piece of wrap(line, WIDTH - indent.length)) out(`${indent}${piece}`)
}

/** Findings by Airflow feature, then by cause, with the actions involved (the alert below has the resources). */
export function findingsByFeature(findings: readonly Finding[], evaluated: number): string[] {
  if (findings.length === 0) return ['nothing missing']
  const out: string[] = [`${findings.length} of ${evaluated} required permission${plural(evaluated)} missing`]
  let feature = ''
  for (const group of groupByCause(findings)) {
    if (group.feature !== feature) {
      feature = group.feature
      const count = findings.filter((f) => f.feature === feature).length
      out.push(`✗ ${featureInfo(group.feature).title}: ${count}`)
    }
    out.push(`    ${group.cause}: ${listSome(group.actions, 3)}`)
  }
  return out
}

/** The notification as the SNS subscriber received it. */
export function deliveredAlert(alert: DeliveredAlert): void {
  const a = alert.attributes
  lines([
    `Subject:    ${alert.subject}`,
    `Attributes: severity=${a.severity} outcome=${a.outcome} mode=${a.mode} kind=${a.kind} environment=${a.environment}`,
  ])
  out(`    ┌${'─'.repeat(WIDTH - 6)}`)
  lines(alert.message, '    │ ')
  out(`    └${'─'.repeat(WIDTH - 6)}`)
}

/** The role as IAM shows it: policies, trust principals, boundary, mode tag. */
export function roleState(role: RoleState | null): string[] {
  if (!role) return ['the role does not exist']
  const managed = role.attachedPolicies.map((p) => `${p.name} (${p.versionId ?? 'v?'})`)
  return [
    `inline policies:   ${role.inlinePolicies.map((p) => `${p.name} (${statementCount(p.document)})`).join(', ') || 'none'}`,
    `managed policies:  ${managed.join(', ') || 'none'}`,
    `trusted services:  ${trustedServices(role.trustPolicy).join(', ') || 'none'}`,
    `boundary:          ${role.permissionsBoundary?.arn ?? 'none'}`,
    `mode tag:          ${role.tags['mwaa-role-guard:mode'] ?? '(none: the default mode applies)'}`,
  ]
}

function statementCount(document: PolicyDocument): string {
  const n = Array.isArray(document.Statement) ? document.Statement.length : 1
  return `${n} statement${plural(n)}`
}

function trustedServices(trust: PolicyDocument): string[] {
  const statements = Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement]
  return statements.flatMap((s) => {
    if (s.Effect !== 'Allow' || !s.Principal || s.Principal === '*') return []
    const service = s.Principal.Service
    return service === undefined ? [] : Array.isArray(service) ? service : [service]
  })
}

/**
 * Breaks at spaces, continuations indented two more. A token longer than the line (an ARN) is never cut: it
 * overflows, so it can still be copied.
 */
function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line]
  const continuation = `${/^\s*/.exec(line)?.[0] ?? ''}  `
  const pieces: string[] = []
  let rest = line
  while (rest.length > width) {
    const from = pieces.length === 0 ? continuation.length - 2 : continuation.length
    let cut = rest.lastIndexOf(' ', width)
    // Too little would stay on this line: break after the long token instead.
    if (cut < from + 16) cut = rest.indexOf(' ', width)
    if (cut < 0) break
    pieces.push(rest.slice(0, cut).trimEnd())
    rest = continuation + rest.slice(cut).trimStart()
  }
  pieces.push(rest)
  return pieces
}
