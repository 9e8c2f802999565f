/** The SNS message: the body a person reads in e-mail. Plain text; every user-controlled value through plainValue. */
import { featureInfo } from '../baseline/features'
import type { Finding } from '../drift/findings'
import type { HealWrite } from '../drift/plan-heal'
import { describeWrite, groupByCause, listSome, plural } from '../report/describe'
import { plainValue as v } from './plain-value'
import { unresolvedFindings } from './severity'
import type { AlertInput, BlockedFinding, Severity } from './types'
import {
  byFeatureOrder,
  describeCaller,
  featuresOf,
  modeChangeText,
  modeTagKey,
  failureLine,
  outcomeShort,
  preflightNoun,
  recheckCommand,
  refusalLines,
  titleOf,
  whoToAsk,
} from './wording'

/**
 * SNS messages are at most 256 KB (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). Every list below is
 * capped and every value clipped, so the body stays under this (tests prove it with 1000-character names everywhere).
 */
export const TEXT_MAX_BYTES = 240 * 1024

/** Renders the e-mail body: where, who did what, what is missing by feature, what was done, how to re-check. */
export function composeText(input: AlertInput, severity: Severity): string {
  const lines: string[] = []
  const envs = input.environments.map((e) => `${v(e.name)} (${v(e.region)})`)
  lines.push(`${titleOf(input)} — ${outcomeShort(input)} — severity ${severity.toUpperCase()}`, '')
  lines.push(...intro(input), '')
  lines.push(`Environment${plural(envs.length)}: ${v(envs.join(', '), 4000) || 'none'}`)
  lines.push(`Execution role:  ${v(input.role.arn)}`)
  lines.push(`Mode:            ${modeLine(input)}`)
  if (input.kind === 'mode-change') lines.push(`Mode change:     ${v(modeChangeText(input))}`)
  if (input.incident) lines.push(`Incident:        ${incidentLine(input.incident)}`)
  if (input.at) lines.push(`Checked at:      ${v(input.at)}`)
  lines.push('', ...changeSection(input))
  if (input.changes && input.changes.length > 0) lines.push('', ...sinceLastKnownGood(input.changes))
  lines.push('', ...missingSection(input), '', ...doneSection(input))
  if (input.report.warnings.length > 0) {
    lines.push('', 'Warnings:')
    for (const w of input.report.warnings.slice(0, 10)) lines.push(`  - ${v(w)}`)
    if (input.report.warnings.length > 10) lines.push(`  …and ${input.report.warnings.length - 10} more`)
  }
  lines.push('', 'Re-check:')
  if (input.environments.length === 0)
    lines.push('  npx mwaa-role-guard sweep   (every execution role; the scheduled sweep does the same)')
  for (const e of input.environments.slice(0, 20)) lines.push(`  ${v(recheckCommand(e))}`)
  if (input.environments.length > 20) lines.push(`  …and ${input.environments.length - 20} more`)
  return lines.join('\n')
}

function intro(input: AlertInput): string[] {
  switch (input.kind) {
    case 'role-deleted':
      return [
        `The execution role ${v(input.role.name)} was deleted, but the environment still uses it. ${featureInfo('trust').impact}`,
        'There is nothing to heal: recreate the role (same path and name) with the policy and trust policy that',
        '`aws mwaa get-environment --name NAME > env.json && npx mwaa-role-guard baseline --environment-file env.json`',
        'prints, or point the environment at another execution role (UpdateEnvironment).',
      ]
    case 'preflight': {
      const noun = preflightNoun(input.change)
      return [
        `An MWAA environment ${noun} names an execution role that falls short of what the environment needs.`,
        `The ${noun} takes 20–30 minutes and would fail at the end: fix the role now, or cancel the ${noun}.`,
      ]
    }
    case 'drift':
      return [
        ...(input.recovered
          ? ['This notice was sent late: the run that healed the role stopped before it could send it.']
          : []),
        'The execution role no longer grants everything its environment needs.',
      ]
    case 'environment-refused':
      return [
        'Data about an environment failed validation, so nothing was derived from it: no check, no write. It is either',
        'an environment this deployment should not act on (another account, partition or Region), or values that are',
        'not concrete (a wildcard, a policy variable). Check who made the change below.',
      ]
    case 'mode-change':
      return [
        `The tag ${v(modeTagKey(input))} of a watched execution role changed: it decides whether the guard heals`,
        'this role, only reports on it, or ignores it. Check that the change below was intended.',
      ]
    case 'reconcile-failed':
      return [
        'The guard could not check this execution role (nor heal it, in heal mode): the check failed with',
        `  ${v(failureLine(input.failure ?? { error: 'unknown error', retryable: false, tries: 1 }), 1000)}`,
        'Nothing more is tried for the change below. The next sweep checks the role again; the re-check below does it now.',
        input.failure?.retryable
          ? 'A retryable error every time usually means IAM or MWAA throttled the account for long (other tools calling it).'
          : "A permanent error needs a fix first: the guard's own permissions, an IAM quota, or the role's documents.",
      ]
    case 'resolved':
      if (input.about === 'refusal')
        return [
          "The environment's data passes validation again, or the environment no longer uses this role: the incident",
          'about its refused data is closed. Nothing was ever derived from the refused values.',
          `Ended by: ${v(input.resolvedBy ?? 'a change found by a later check', 1000)}`,
        ]
      return [
        'The execution role grants everything its environment needs again: the incident is closed.',
        `Fixed by: ${v(input.resolvedBy ?? 'a change found by a later check', 1000)}`,
      ]
    case 'contested': {
      const c = input.contest
      const lines = [
        `The guard healed this role ${c?.heals ?? 'several'} times within ${c?.windowMinutes ?? 60} minutes, and each time a change undid`,
        'the heal: two sources of truth disagree about this role. Healing is stopped for it; nothing more is written.',
        '',
        'Undone by:',
        ...(c && c.actors.length > 0
          ? c.actors.slice(0, 10).map((a) => `  - ${v(a)}`)
          : ['  - unknown (found by a check)']),
      ]
      if (c && c.removing.length > 0)
        lines.push('They keep removing:', ...c.removing.slice(0, 10).map((r) => `  - ${v(r, 1000)}`))
      lines.push(
        '',
        'To resolve: change the source of truth (the Terraform or CloudFormation code, or whoever edits the role by hand)',
        `so it keeps what the environment needs; or tag the role ${modeTagKey(input)}=alert to stop healing it. Healing`,
        'resumes on its own when a whole window passes without a new undo, or at once when the mode tag is set again.',
      )
      return lines
    }
  }
}

function incidentLine(incident: NonNullable<AlertInput['incident']>): string {
  const since = incident.openedAt ? `, open since ${v(incident.openedAt)}` : ''
  return `${v(incident.ids.join(', '), 400)} (${incident.state}${since})`
}

/** The statement-level diff against last-known-good: everything the role lost, for the reader only. */
function sinceLastKnownGood(changes: readonly string[]): string[] {
  return [
    'Changed since the role was last known good (shown only; a heal never writes back what the baseline does not need):',
    ...changes.slice(0, 20).map((c) => `  - ${v(c, 1000)}`),
    ...(changes.length > 20 ? [`  …and ${changes.length - 20} more`] : []),
  ]
}

function modeLine(input: AlertInput): string {
  // A deleted role has no tags left: its mode says nothing, and the tag advice would be for a role that is gone.
  if (input.kind === 'role-deleted') return 'n/a (the role no longer exists)'
  if (input.kind === 'reconcile-failed') return 'not known (the role could not be checked)'
  if (input.mode === 'heal') return `heal (role tagged ${modeTagKey(input)}=heal)`
  return `alert only: nothing was changed (tag the role ${modeTagKey(input)}=heal to let the guard restore what is missing)`
}

function changeSection(input: AlertInput): string[] {
  const c = input.change
  if (!c) return ['What changed: no triggering event (found by a check).']
  const lines = ['What changed:', `  ${v(c.description)}`, `  By:          ${v(describeCaller(c.caller))}`]
  const more = input.moreChanges ?? []
  if (c.caller.roleArn) lines.push(`  Session of:  ${v(c.caller.roleArn)}`)
  lines.push(`  Source IP:   ${v(c.sourceIp ?? 'unknown')}`)
  lines.push(`  Time:        ${v(c.time ?? 'unknown')}`)
  lines.push(
    `  CloudTrail event id: ${v(c.eventId ?? 'unknown')} (${v(c.eventName)} in ${v(c.region)}, account ${v(c.account)})`,
  )
  lines.push(`  User agent:  ${v(c.userAgent ?? 'unknown', 300)}`)
  if (more.length > 0) {
    lines.push(`  Then, within the settle window (${more.length} more):`)
    for (const m of more.slice(0, 10))
      lines.push(`  - ${v(m.time ?? 'unknown')} ${v(m.description)} by ${v(describeCaller(m.caller))}`)
  }
  return lines
}

function missingSection(input: AlertInput): string[] {
  if (input.kind === 'role-deleted') return ['What is missing: the role itself.']
  if (input.kind === 'environment-refused')
    return [
      'What was refused:',
      ...refusalLines(input)
        .slice(0, 30)
        .map((line) => `  - ${v(line, 1000)}`),
    ]
  if (input.kind === 'mode-change') return [`What changed: the mode is now ${v(input.mode)}.`]
  if (input.kind === 'resolved')
    return [input.about === 'refusal' ? 'What is refused: nothing any more.' : 'What is missing: nothing any more.']
  if (input.kind === 'reconcile-failed') return ['What is missing: not known until a check succeeds.']
  const { evaluated } = input.report
  const unresolved = unresolvedFindings(input)
  if (input.outcome === 'healed' && input.report.findings.length === 0)
    return ['What was missing: nothing; the restore policy held grants no environment needs any more.']
  if (input.outcome === 'healed')
    return [
      `What was missing (${input.report.findings.length} of ${evaluated} required permissions; restored):`,
      ...byFeature(input.report.findings),
    ]
  if (unresolved.length === 0) return ['What is missing: nothing.']
  return [`What is missing now (${unresolved.length} of ${evaluated} required permissions):`, ...byFeature(unresolved)]
}

/** At most this many causes per feature in the e-mail; `check` prints the rest. */
export const CAUSES_PER_FEATURE = 10

/** Feature -> impact -> cause: actions on resources (groupByCause collapses 35 lines into "7 actions on 5 log groups"). */
function byFeature(findings: readonly Finding[]): string[] {
  const lines: string[] = []
  const groups = groupByCause(byFeatureOrder(findings))
  for (const feature of featuresOf(findings)) {
    const info = featureInfo(feature)
    const mine = groups.filter((g) => g.feature === feature)
    lines.push('', `  ✗ ${info.title}`, `    Impact: ${info.impact}`)
    for (const group of mine.slice(0, CAUSES_PER_FEATURE)) {
      lines.push(`    - ${v(group.cause)}:`)
      lines.push(`        ${v(listSome(group.actions, 6), 1000)}`)
      lines.push(`        on ${v(listSome(group.resources, 3), 1000)}`)
    }
    if (mine.length > CAUSES_PER_FEATURE)
      lines.push(`    …and ${mine.length - CAUSES_PER_FEATURE} more causes (the re-check below lists them all)`)
  }
  return lines
}

function doneSection(input: AlertInput): string[] {
  if (input.kind === 'role-deleted') return ['What was done: nothing (a deleted role cannot be healed).']
  if (input.kind === 'environment-refused') return ['What was done: nothing (refused data is never used).']
  if (input.kind === 'mode-change') return ['What was done: nothing (the role is reconciled in its new mode).']
  if (input.kind === 'resolved') return ['What was done by the guard: nothing.']
  if (input.kind === 'contested') return ['What was done: nothing: healing is stopped for this role (contested).']
  if (input.kind === 'reconcile-failed')
    return [
      "What was done: the check did not finish. A heal that wrote before the failure is in the role's history",
      `(npx mwaa-role-guard history --role ${v(input.role.name)}), and its notice is sent by the next run that finds the role.`,
    ]
  const lines: string[] = []
  const writes = (list: readonly HealWrite[]) => [
    ...list.slice(0, 20).map((w) => `  - ${v(describeWrite(w))}`),
    ...(list.length > 20 ? [`  …and ${list.length - 20} more`] : []),
  ]
  switch (input.outcome) {
    case 'reported':
      lines.push(
        input.kind === 'preflight' && input.mode === 'heal'
          ? 'What was done: nothing (a request is checked, never healed from: the role is healed once GetEnvironment describes the environment).'
          : 'What was done: nothing (alert mode).',
      )
      if (input.proposed && input.proposed.length > 0)
        lines.push(`A heal (${modeTagKey(input)}=heal) would:`, ...writes(input.proposed))
      break
    case 'failed':
      lines.push(`What was done: the heal failed: ${v(input.error ?? 'unknown error')}`)
      lines.push(
        input.writes.length > 0 ? 'Writes completed before the failure:' : 'No write completed.',
        ...writes(input.writes),
      )
      lines.push('Re-check to see what is still missing.')
      break
    default:
      lines.push(input.writes.length > 0 ? 'What was done:' : 'What was done: no write.', ...writes(input.writes))
  }
  if (input.blocked.length > 0) lines.push('', ...blockedSection(input))
  return lines
}

/** Blocked findings grouped by reason, each with who can lift it, and who made the change that caused it. */
function blockedSection(input: AlertInput): string[] {
  const n = input.blocked.length
  const lines = [`Blocked: ${n} permission${plural(n)} no heal restores (fix by hand):`]
  const groups = new Map<string, BlockedFinding[]>()
  for (const b of input.blocked) groups.set(b.reason, [...(groups.get(b.reason) ?? []), b])
  let shown = 0
  for (const [reason, list] of groups) {
    if (shown === 20) {
      lines.push(`  …and ${groups.size - shown} more reasons`)
      break
    }
    const actions = [...new Set(list.map((b) => actionOf(b.finding)))]
    lines.push(`  - ${v(listSome(actions, 6), 1000)}: ${v(reason, 1000)}`)
    lines.push(`    Ask: ${v(whoToAsk(list[0]!), 1000)}`)
    shown++
  }
  if (input.change?.caller) lines.push(`  The change above was made by ${v(describeCaller(input.change.caller))}.`)
  return lines
}

function actionOf(finding: Finding): string {
  return finding.kind === 'trust-missing'
    ? `${finding.check.principal} → ${finding.check.action}`
    : finding.check.action
}
