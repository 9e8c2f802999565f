/** The knobs of memory: how often to remind, when a role is contested, how heals back off, how long history lives. */

export type MemorySettings = {
  /** an open incident is reminded at most this often (Alertmanager's repeat_interval) */
  remindAfterMs: number
  /** more heals than this within `fightWindowMs` make the role contested: healing stops */
  maxHeals: number
  fightWindowMs: number
  /** wait before the k-th heal of a window: min(cap, base * 2^(k-2)); the first heal never waits */
  backoffBaseMs: number
  backoffCapMs: number
  /** history items expire (DynamoDB TTL) this many days after they are written */
  historyDays: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/**
 * Defaults. 24 h between reminders. AWS Config's automatic remediation raises an exception after 5 attempts in 60 s by
 * default (MaximumAutomaticAttempts, RetryAttemptSeconds:
 * https://docs.aws.amazon.com/config/latest/APIReference/API_RemediationConfiguration.html); a heal here is a person
 * being overruled, so 3 in an hour is the limit. Between heals the wait doubles from 1 minute up to 15 minutes, as a
 * controller's rate-limited work queue backs off.
 */
export const DEFAULT_MEMORY_SETTINGS: MemorySettings = {
  remindAfterMs: 24 * HOUR,
  maxHeals: 3,
  fightWindowMs: HOUR,
  backoffBaseMs: MINUTE,
  backoffCapMs: 15 * MINUTE,
  historyDays: 400,
}
