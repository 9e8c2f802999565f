/** The readable `check` report: what is missing, why, which Airflow feature breaks, the statement to blame. */
import { featureInfo } from '../baseline/features'
import type { DriftReport } from '../drift/findings'
import type { HealPlan } from '../drift/plan-heal'
import { describeWrite, groupByCause, listSome, plural } from './describe'

export type ReportSubject = { environments: string[]; roleArn: string }

/** Renders a drift report (and the heal plan) as plain text lines. */
export function renderTextReport(report: DriftReport, plan: HealPlan | undefined): string {
  const lines: string[] = []
  lines.push(`Environment${plural(report.environments.length)} ${report.environments.join(', ')} — execution role ${report.role}`)
  const missing = report.findings.length
  if (missing === 0) {
    lines.push(`OK: all ${report.evaluated} required permissions are granted.`)
  } else {
    lines.push(`DRIFT: ${missing} of ${report.evaluated} required permissions are missing.`)
    let feature = ''
    for (const group of groupByCause(report.findings)) {
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
    if (plan.blocked.length > 0) lines.push(`  - leave ${plan.blocked.length} permission${plural(plan.blocked.length)} blocked (a Deny or the boundary: fix by hand)`)
    for (const note of plan.notes) lines.push(`  - note: ${note}`)
  }
  return lines.join('\n')
}
