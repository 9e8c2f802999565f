/** The report `check` prints, offline or live: evaluate the role, plan a heal on paper, print text or JSON. */
import type { Baseline } from '../baseline/types'
import type { Catalogue } from '../catalogue'
import { type DocumentsByEnvironment, findDrift } from '../drift/find-drift'
import { planHeal } from '../drift/plan-heal'
import { compileRole } from '../drift/role-policies'
import type { RoleState } from '../drift/types'
import { renderTextReport } from '../report/text-report'
import { compileOrInputError } from './compile-errors'
import type { Io } from './io'

/** Evaluates, prints the report (text or JSON) and returns the exit code. */
export function printCheck(
  role: RoleState,
  baselines: Baseline[],
  catalogue: Catalogue,
  json: boolean,
  io: Io,
  source: string,
  /** the documents beyond the role, per environment (files offline, live reads with --env) */
  documents?: DocumentsByEnvironment,
): number {
  const compiled = compileOrInputError(() => compileRole(role), source)
  const report = findDrift(role, baselines, compiled, documents)
  const plan =
    report.findings.length > 0 ? planHeal({ role, baselines, findings: report.findings, catalogue }) : undefined
  if (json) {
    io.out(
      JSON.stringify(
        { status: report.findings.length === 0 ? 'ok' : 'drift', ...report, healPlan: plan ?? null },
        null,
        2,
      ),
    )
  } else {
    io.out(renderTextReport(report, plan))
  }
  return report.findings.length === 0 ? 0 : 1
}
