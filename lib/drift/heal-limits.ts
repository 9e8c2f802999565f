/**
 * What a heal may write of the extras: nothing unless HEAL_EXTRAS turns it on, and never what lib/baseline/heal-limits
 * forbids (identity services, Permissions management, wildcard resources). The baseline's own statements are the
 * User Guide's and always healable. Pure.
 */
import { extraNeverHealed } from '../baseline/heal-limits'
import { Feature } from '../baseline/types'
import { type ActionLevels, actionLevels } from '../catalogue/action-levels'
import type { Finding } from './findings'

export type HealLimits = {
  /** HEAL_EXTRAS: whether extras statements may be written at all */
  healExtras: boolean
  /** the catalogue the function ships: access levels of extras actions */
  levels: ActionLevels
}

/** Extras are checked and alerted, never written (the stack's default). */
export const DEFAULT_HEAL_LIMITS: HealLimits = {
  healExtras: false,
  get levels() {
    return actionLevels()
  },
}

/** Why a heal does not restore this not-granted finding, or undefined when it may. */
export function extraBlockReason(
  finding: Extract<Finding, { kind: 'not-granted' }>,
  limits: HealLimits,
): string | undefined {
  if (finding.feature !== Feature.extra) return undefined
  if (!limits.healExtras)
    return 'heal of extras is off (HEAL_EXTRAS, stack parameter healExtras): extras are checked and alerted, not written'
  const never = extraNeverHealed(finding.check.action, finding.check.resource, limits.levels)
  return never ? `${never}: extras that need it are checked and alerted, never healed` : undefined
}
