/** Public API of lib/incidents: what the guard remembers about a role, and the decisions made from it. Pure. */
export { canonicalJson, stableHash } from './hash'
export { DEFAULT_MEMORY_SETTINGS, type MemorySettings } from './settings'
export {
  emptyRecord,
  incidentIdSchema,
  roleRecordSchema,
  type ContestedRecord,
  type HealRecord,
  type IncidentRecord,
  type Intent,
  type LastKnownGood,
  type RoleRecord,
} from './role-record'
export { fingerprintOf, newIncidentId } from './fingerprint'
export {
  incidentTransitions,
  isUnseen,
  markNotified,
  type EnvironmentFindings,
  type ResolvedBy,
  type Transition,
  type Unseen,
} from './transitions'
export { IncidentState, isRefusalNotice, planNotices, type NoticeIncident, type NoticePlan } from './notices'
export { incidentEnvironment, isRefusal, refusalFingerprint, refusalTransitions, type RefusedView } from './refusals'
export { backoffMs, healGate, recordHeal, settleFight, type FightInput, type FightState, type HealGate } from './fight'
export { lastKnownGoodChanged, lastKnownGoodOf } from './last-known-good'
export { describeChange, diffAgainstLastKnownGood, type PolicyChange } from './policy-diff'
export {
  conclude,
  decide,
  type Action,
  type ConcludeInput,
  type DecideInput,
  type Decision,
  type EnvironmentView,
} from './decide'
export { formatIncidents, formatTimeline } from './timeline'
export { historyEntrySchema, type HistoryEntry, type HistoryTrigger } from './history-entry'
