/**
 * What the guard remembers about one role, between invocations: its open incidents, its recent heals (fight
 * detection), whether it is contested, its last-known-good policies, and a write-ahead intent while a heal is under
 * way. The schema is the only way a stored item becomes a RoleRecord: an item that fails it is treated as absent,
 * and nothing is ever written to IAM because of what it says without a check against live state.
 */
import * as z from 'zod'
import type { PolicyDocument } from '../iam/types'

const time = z.number().int().nonnegative()
const hash = z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 hex digits')
const text = (max: number) => z.string().max(max)

/** An incident id: `inc-` and 12 hex digits. */
export const incidentIdSchema = z.string().regex(/^inc-[0-9a-f]{12}$/, 'expected an incident id (inc-<12 hex>)')

const stringOrList = z.union([text(2048), z.array(text(2048)).max(500)])
const statementSchema = z.looseObject({
  Sid: text(128).optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: stringOrList.optional(),
  NotAction: stringOrList.optional(),
  Resource: stringOrList.optional(),
  NotResource: stringOrList.optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
})

/**
 * A policy document kept as the JSON text IAM returned (IAM's inline policy quota is 10,240 characters per role:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length).
 */
export const storedPolicySchema = text(20_480)
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' })
      return z.NEVER
    }
  })
  .pipe(
    z.looseObject({
      Version: text(20).optional(),
      Statement: z.union([statementSchema, z.array(statementSchema).min(1).max(200)]),
    }),
  )
  .transform((doc) => doc as PolicyDocument)

export const incidentSchema = z.object({
  id: incidentIdSchema,
  /** absent: drift (what the role misses); `refused`: the environment's data failed validation (refusals.ts) */
  kind: z.literal('refused').optional(),
  environment: text(80),
  region: text(30),
  /** which permissions are missing and why (see fingerprintOf), or which values are refused (refusalFingerprint) */
  fingerprint: hash,
  openedAt: time,
  notifiedAt: time,
  /** permissions missing, or values refused */
  missing: z.number().int().nonnegative(),
  /** the features missing something, or the fields refused (the top-level field of each refused value) */
  features: z.array(text(40)).max(20),
})

export const healSchema = z.object({
  at: time,
  /** who made the change(s) that made this heal necessary */
  actors: z.array(text(2048)).max(20),
})

export const contestedSchema = z.object({
  since: time,
  lastUndoAt: time,
  actors: z.array(text(2048)).max(50),
  /** what they keep removing, one line each */
  removing: z.array(text(1000)).max(50),
})

export const lastKnownGoodSchema = z.object({
  hash,
  at: time,
  inline: z.array(z.object({ name: text(128), document: storedPolicySchema })).max(100),
  managed: z.array(z.object({ arn: text(2048), versionId: text(64).optional() })).max(100),
})

/** Recorded before the first IAM write of a heal, cleared when its outcome is recorded and its notice sent. */
export const intentSchema = z.object({
  id: text(64),
  at: time,
  /** the writes, described (for the history and the recovered notice) */
  writes: z.array(text(2000)).max(50),
  /** the notice to send if the run that wrote never got to it (JSON of the alert request) */
  notice: text(350_000),
})

export const roleRecordSchema = z.object({
  v: z.literal(1),
  role: text(64),
  rev: z.number().int().nonnegative(),
  /** the role's mode when last reconciled (a mode-change alert says what it was) */
  modeSeen: z.enum(['heal', 'alert', 'off']).optional(),
  incidents: z.array(incidentSchema).max(50),
  heals: z.array(healSchema).max(50),
  nextHealAt: time.optional(),
  contested: contestedSchema.optional(),
  lastKnownGood: lastKnownGoodSchema.optional(),
  intent: intentSchema.optional(),
  leaseOwner: text(64).optional(),
  leaseUntil: time.optional(),
})

export type IncidentRecord = z.output<typeof incidentSchema>
export type HealRecord = z.output<typeof healSchema>
export type ContestedRecord = z.output<typeof contestedSchema>
export type LastKnownGood = z.output<typeof lastKnownGoodSchema>
export type Intent = z.output<typeof intentSchema>
export type RoleRecord = z.output<typeof roleRecordSchema>

/** The record of a role the guard has never acted on. */
export function emptyRecord(role: string): RoleRecord {
  return { v: 1, role, rev: 0, incidents: [], heals: [] }
}
