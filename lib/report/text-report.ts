/** The readable `check` report: what is missing, why, which Airflow feature breaks, the statement to blame. */
import { featureInfo } from '../baseline/features'
import type { DriftReport, Finding } from '../drift/findings'
import type { HealPlan } from '../drift/plan-heal'
import { describeWrite, groupByCause, listSome, plural } from './describe'

/** Renders a drift report (and the heal plan) as plain text lines. */
export function renderTextReport(report: DriftReport, plan: HealPlan | undefined): string {
  const lines: string[] = []
  lines.push(
    `Environment${plural(report.environments.length)} ${report.environments.join(', ')} — execution role ${report.role}`,
  )
  const missing = report.findings.length
  if (missing === 0) {
    lines.push(`OK: all ${report.evaluated} required permissions are granted.`)
  } else {
    lines.push(`DRIFT: ${missing} of ${report.evaluated} required permissions are missing.`)
    let feature = ''
    for (const group of groupByCause(byFeature(report.findings))) {
      if (group.feature !== feature) {
        feature = group.feature
        const info = featureInfo(group.feature)
        lines.push('', `✗ ${info.title}`, `  Impact: ${info.impact}`)
      }
      lines.push(`  - ${group.cause}:`)
      lines.push(`      ${listSome(group.actions, 6)}`)
      lines.push(`      on ${listSome(group.resources, 3)}`)
    }
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:')
    for (const w of report.warnings) lines.push(`  - ${w}`)
  }
  if (plan && (plan.writes.length > 0 || plan.blocked.length > 0)) {
    lines.push('', 'A heal (role tagged mwaa-role-guard:mode=heal) would:')
    for (const w of plan.writes) lines.push(`  - ${describeWrite(w)}`)
    for (const [reason, count] of countBy(plan.blocked.map((b) => b.reason)))
      lines.push(`  - cannot restore ${count} permission${plural(count)}: ${reason} (fix by hand)`)
    for (const note of plan.notes) lines.push(`  - note: ${note}`)
  }
  return lines.join('\n')
}

/** Findings of one feature next to each other (first-seen feature order), so each feature gets one heading. */
function byFeature(findings: readonly Finding[]): Finding[] {
  const order = [...new Set(findings.map((f) => f.feature))]
  return [...findings].sort((a, b) => order.indexOf(a.feature) - order.indexOf(b.feature))
}

function countBy(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1)
  return counts
}
