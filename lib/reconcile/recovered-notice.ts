/**
 * The notice an interrupted heal stored in its write-ahead intent, read back from the state table. It only becomes an
 * alert's text (never a write), so a loose check suffices; one that fails it is replaced by a short notice built from
 * the intent's list of writes, so the heal is still told.
 */
import * as z from 'zod'
import type { Intent } from '../incidents'
import type { Evaluated } from './evaluate-role'
import type { AlertRequest } from './types'

const noticeSchema = z.looseObject({
  kind: z.enum(['drift', 'preflight']),
  role: z.object({ arn: z.string().max(2048), name: z.string().max(64) }),
  environments: z.array(z.object({ name: z.string().max(80), region: z.string().max(30) })).max(50),
  mode: z.enum(['heal', 'alert', 'off']),
  report: z.looseObject({
    role: z.string(),
    environments: z.array(z.string()),
    evaluated: z.number(),
    findings: z.array(
      z.looseObject({ kind: z.string(), environment: z.string(), feature: z.string(), check: z.looseObject({}) }),
    ),
    warnings: z.array(z.string()),
  }),
  outcome: z.enum(['healed', 'partially-healed', 'failed', 'blocked']),
  writes: z.array(z.looseObject({ kind: z.string() })),
  blocked: z.array(z.looseObject({ reason: z.string() })),
})

/** The stored notice, marked as sent late; or, when it cannot be read, one naming the writes. */
export function recoveredNotice(intent: Intent, evaluation: Evaluated): AlertRequest {
  let parsed: unknown
  try {
    parsed = JSON.parse(intent.notice)
  } catch {
    parsed = undefined
  }
  const notice = noticeSchema.safeParse(parsed)
  if (notice.success) return { ...(notice.data as unknown as AlertRequest), recovered: true }
  return {
    kind: 'drift',
    role: { arn: evaluation.role.arn, name: evaluation.role.name },
    environments: evaluation.located.map((l) => ({ name: l.environment.Name, region: l.region })),
    mode: evaluation.mode,
    report: {
      ...evaluation.report,
      warnings: [
        `the heal's own notice could not be read back; it wrote: ${intent.writes.join('; ')}`,
        ...evaluation.report.warnings,
      ],
    },
    outcome: 'healed',
    writes: [],
    blocked: [],
    recovered: true,
  }
}
