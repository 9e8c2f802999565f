/**
 * One line of a role's history: a reconcile that found or did something (time, trigger, environments, findings,
 * writes, incidents, outcome). Written by the shell, kept for `historyDays` (DynamoDB TTL), read back by
 * `mwaa-role-guard history` through this schema (an item that fails it is skipped with a warning).
 */
import * as z from 'zod'

const time = z.number().int().nonnegative()
const text = (max: number) => z.string().max(max)

export const historyTriggerSchema = z.object({
  eventId: text(128).optional(),
  eventName: text(64),
  /** the principal that made the call (CloudTrail userIdentity), or a service it came through */
  actor: text(2048),
  sourceIp: text(128).optional(),
  time: text(40).optional(),
})

export const historyEntrySchema = z.object({
  v: z.literal(1),
  id: text(64),
  at: time,
  role: text(64),
  roleArn: text(2048).optional(),
  /** event: CloudTrail events (after the settle window); sweep: the periodic check; recovery: a heal's lost notice */
  source: z.enum(['event', 'sweep', 'recovery', 'preflight']),
  triggers: z.array(historyTriggerSchema).max(20),
  environments: z.array(text(80)).max(50),
  mode: text(10),
  missing: z.number().int().nonnegative(),
  features: z.array(text(40)).max(20),
  /** statement-level changes since last-known-good */
  changes: z.array(text(1000)).max(50),
  writes: z.array(text(2000)).max(50),
  incidents: z
    .array(
      z.object({
        id: text(20),
        environment: text(80),
        transition: text(20),
        by: text(40).optional(),
        /** `refused`: the incident is about refused environment data; absent: drift */
        kind: z.literal('refused').optional(),
      }),
    )
    .max(50),
  /** environment data refused in this reconcile (never used): field, value and why, per environment */
  refusals: z
    .array(z.object({ environment: text(80), field: text(100), value: text(300), why: text(300) }))
    .max(50)
    .optional(),
  /** the subjects of the notices sent */
  notices: z.array(text(200)).max(5),
  outcome: text(40),
  note: text(1000).optional(),
})

export type HistoryTrigger = z.output<typeof historyTriggerSchema>
export type HistoryEntry = z.output<typeof historyEntrySchema>
