/**
 * The Slack incoming-webhook payload: Block Kit blocks plus a `text` fallback for notifications. Every user-controlled
 * value goes through slack-text (code / plainSafe); link previews are off and `link_names` is never set.
 * Limits (https://docs.slack.dev/reference/block-kit/blocks): at most 50 blocks a message; header text 150 characters;
 * section text 3000; section fields at most 10 of 2000 characters; context at most 10 elements.
 */
import { featureInfo } from '../baseline/features'
import type { Finding } from '../drift/findings'
import type { HealWrite } from '../drift/plan-heal'
import { describeWrite, groupByCause, listSome } from '../report/describe'
import { unresolvedFindings } from './severity'
import { clipLine, code, mrkdwn, packLines, plain, plainSafe } from './slack-text'
import type { AlertInput, BlockedFinding, Severity, SlackBlock, SlackPayload } from './types'
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

export const SLACK_LIMITS = {
  blocks: 50,
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
} as const

const MARK: Readonly<Record<Severity, string>> = { critical: '🔴', high: '🟠', medium: '🟡', info: '🟢' }

/** Builds the webhook payload for an alert. */
export function composeSlack(input: AlertInput, severity: Severity): SlackPayload {
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(header(input, severity)) },
    { type: 'section', fields: fields(input, severity).map((f) => mrkdwn(clipLine(f, SLACK_LIMITS.field))) },
    { type: 'section', text: mrkdwn(intro(input)) },
  ]
  const change = changeText(input)
  if (change) blocks.push({ type: 'section', text: mrkdwn(change) })
  if (input.changes && input.changes.length > 0)
    blocks.push({
      type: 'section',
      text: mrkdwn(
        packLines(
          '*Changed since last known good* (shown only, never written back)',
          input.changes.map((c) => `• ${code(c, 600)}`),
          SLACK_LIMITS.section,
        ),
      ),
    })
  blocks.push(...missingBlocks(input))
  const done = doneText(input)
  if (done) blocks.push({ type: 'section', text: mrkdwn(done) })
  if (input.blocked.length > 0) blocks.push({ type: 'section', text: mrkdwn(blockedText(input)) })
  blocks.push({ type: 'context', elements: contextElements(input) })
  return { text: fallback(input, severity), blocks: capBlocks(blocks), unfurl_links: false, unfurl_media: false }
}

/**
 * The notification text: severity, kind, environment names and outcome only. Names are cut to MWAA's own alphabet
 * (`^[a-zA-Z][0-9a-zA-Z-_]*$`, https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html), which holds
 * no `@`, `<`, `:` or `.`: no mention, link or domain can form, whatever the input.
 */
function fallback(input: AlertInput, severity: Severity): string {
  return `${severity.toUpperCase()}: ${titleOf(input)}: ${environmentNames(input, 3)} (${outcomeShort(input)})`
}

/** The header (plain_text, at most 150 characters) uses the same cut-down names as the fallback. */
function header(input: AlertInput, severity: Severity): string {
  const text = `${MARK[severity]} ${severity.toUpperCase()} ${titleOf(input)}: ${environmentNames(input, 2)} (${outcomeShort(input)})`
  return plainSafe(text, SLACK_LIMITS.header)
}

function environmentNames(input: AlertInput, max: number): string {
  const names = input.environments.map((e) => e.name.replace(/[^A-Za-z0-9_-]/g, '?').slice(0, 40))
  return listSome(names, max) || 'no environment'
}

function fields(input: AlertInput, severity: Severity): string[] {
  const envs = input.environments.map((e) => `${code(e.name, 80)} (${code(e.region, 30)})`)
  const out = [
    `*Environment${envs.length === 1 ? '' : 's'}*\n${packLines('', envs, SLACK_LIMITS.field - 200).trim() || 'none'}`,
    `*Execution role*\n${code(input.role.arn, 600)}`,
    `*Severity*\n${severity.toUpperCase()}`,
    `*Outcome*\n${outcomeShort(input)}`,
    `*Mode*\n${input.kind === 'reconcile-failed' ? 'not known' : input.mode === 'heal' ? 'heal' : 'alert only'}`,
  ]
  if (input.incident) out.push(`*Incident*\n${code(input.incident.ids.join(', '), 400)} (${input.incident.state})`)
  if (input.kind !== 'role-deleted' && input.kind !== 'reconcile-failed') {
    const missing = unresolvedFindings(input).length
    out.push(`*Missing now*\n${missing} of ${input.report.evaluated} required permissions`)
  }
  return out.slice(0, SLACK_LIMITS.fields)
}

function intro(input: AlertInput): string {
  switch (input.kind) {
    case 'role-deleted':
      return (
        `The execution role ${code(input.role.name, 128)} was deleted but is still in use. ${featureInfo('trust').impact} ` +
        'Nothing to heal: recreate the role with the policy `mwaa-role-guard baseline` prints, or point the environment at another role.'
      )
    case 'preflight': {
      const noun = preflightNoun(input.change)
      return `An MWAA environment ${noun} names an execution role that falls short. The ${noun} takes 20–30 minutes and would fail at the end: fix the role now, or cancel.`
    }
    case 'drift':
      return `${input.recovered ? '_Sent late: the run that healed the role stopped before sending it._ ' : ''}The execution role no longer grants everything its environment needs.`
    case 'environment-refused':
      return `Data about an environment failed validation: nothing was derived from it.\n${packLines(
        '',
        refusalLines(input).map((l) => `• ${code(l, 500)}`),
        SLACK_LIMITS.section - 200,
      ).trim()}`
    case 'mode-change':
      return `The mode tag of a watched execution role changed: ${code(modeChangeText(input), 80)}.`
    case 'reconcile-failed':
      return `The guard could not check this execution role: ${code(failureLine(input.failure ?? { error: 'unknown error', retryable: false, tries: 1 }), 600)}. Nothing more is tried for this change; the next sweep checks the role again.`
    case 'resolved':
      if (input.about === 'refusal')
        return `The environment's data is no longer refused: the incident is closed. Ended by ${code(input.resolvedBy ?? 'a change found by a later check', 600)}.`
      return `The execution role grants everything its environment needs again: the incident is closed. Fixed by ${code(input.resolvedBy ?? 'a change found by a later check', 600)}.`
    case 'contested': {
      const c = input.contest
      const actors =
        c && c.actors.length > 0
          ? c.actors
              .slice(0, 5)
              .map((a) => code(a, 300))
              .join(', ')
          : 'unknown'
      const removing =
        c && c.removing.length > 0
          ? ` They keep removing: ${c.removing
              .slice(0, 5)
              .map((r) => code(r, 300))
              .join('; ')}.`
          : ''
      return (
        `Healed ${c?.heals ?? 'several'} times within ${c?.windowMinutes ?? 60} minutes and undone each time by ${actors}: healing is stopped for this role.${removing} ` +
        `Fix the source of truth (Terraform, CloudFormation, a person's runbook), or tag the role ${code(`${modeTagKey(input)}=alert`)}. Healing resumes after a window without an undo, or when the mode tag is set again.`
      )
    }
  }
}

function changeText(input: AlertInput): string | undefined {
  const c = input.change
  if (!c) return undefined
  const lines = [
    code(c.description, 500),
    `*By* ${code(describeCaller(c.caller), 500)}`,
    `*Source IP* ${code(c.sourceIp ?? 'unknown', 100)}   *Time* ${code(c.time ?? 'unknown', 40)}`,
    `*CloudTrail event id* ${code(c.eventId ?? 'unknown', 100)} (${code(c.eventName, 40)})`,
    `*User agent* ${code(c.userAgent ?? 'unknown', 300)}`,
  ]
  return packLines('*What changed*', lines, SLACK_LIMITS.section)
}

/** One section per Airflow feature: title, impact, then each cause with its actions and resources. */
function missingBlocks(input: AlertInput): SlackBlock[] {
  if (input.kind === 'role-deleted' || input.kind === 'reconcile-failed') return []
  const healed = input.outcome === 'healed'
  const findings = healed ? input.report.findings : unresolvedFindings(input)
  if (findings.length === 0) return []
  const groups = groupByCause(byFeatureOrder(findings))
  const title = healed ? '*What was missing (restored)*' : '*What is missing now*'
  const blocks: SlackBlock[] = [
    { type: 'section', text: mrkdwn(`${title}: ${findings.length} of ${input.report.evaluated} required permissions`) },
  ]
  for (const feature of featuresOf(findings)) {
    const info = featureInfo(feature)
    const lines = groups
      .filter((g) => g.feature === feature)
      .map((g) => `• ${code(g.cause)}: ${code(listSome(g.actions, 6), 600)} on ${code(listSome(g.resources, 3), 600)}`)
    blocks.push({
      type: 'section',
      text: mrkdwn(packLines(`*✗ ${info.title}*\n_${info.impact}_`, lines, SLACK_LIMITS.section)),
    })
  }
  return blocks
}

function doneText(input: AlertInput): string | undefined {
  if (
    input.kind === 'role-deleted' ||
    input.kind === 'environment-refused' ||
    input.kind === 'mode-change' ||
    input.kind === 'resolved' ||
    input.kind === 'reconcile-failed'
  )
    return undefined
  if (input.kind === 'contested') return '*What was done*: nothing: healing is stopped for this role (contested).'
  const writes = (list: readonly HealWrite[]) => list.map((w) => `• ${code(describeWrite(w), 600)}`)
  switch (input.outcome) {
    case 'reported': {
      const proposed = input.proposed ?? []
      const title = `*What was done*: nothing (alert mode; tag the role ${code(`${modeTagKey(input)}=heal`)} to heal).`
      return proposed.length > 0
        ? packLines(`${title}\n*A heal would:*`, writes(proposed), SLACK_LIMITS.section)
        : title
    }
    case 'failed': {
      const title = `*What was done*: the heal failed: ${code(input.error ?? 'unknown error', 500)}`
      return packLines(
        input.writes.length > 0 ? `${title}\nCompleted before the failure:` : `${title}\nNo write completed.`,
        writes(input.writes),
        SLACK_LIMITS.section,
      )
    }
    default:
      return packLines(
        input.writes.length > 0 ? '*What was done*' : '*What was done*: no write.',
        writes(input.writes),
        SLACK_LIMITS.section,
      )
  }
}

function blockedText(input: AlertInput): string {
  const groups = new Map<string, BlockedFinding[]>()
  for (const b of input.blocked) groups.set(b.reason, [...(groups.get(b.reason) ?? []), b])
  const lines = [...groups].map(([reason, list]) => {
    const actions = [...new Set(list.map((b) => actionOf(b.finding)))]
    return `• ${code(listSome(actions, 4), 400)}: ${code(reason, 600)}\n    Ask: ${code(whoToAsk(list[0]!), 400)}`
  })
  const by = input.change ? `\nThe change was made by ${code(describeCaller(input.change.caller), 400)}.` : ''
  return packLines(
    `*Blocked: ${input.blocked.length} permission${input.blocked.length === 1 ? '' : 's'} no heal restores (fix by hand)*${by}`,
    lines,
    SLACK_LIMITS.section,
    'more reasons',
  )
}

function actionOf(finding: Finding): string {
  return finding.kind === 'trust-missing'
    ? `${finding.check.principal} → ${finding.check.action}`
    : finding.check.action
}

function contextElements(input: AlertInput) {
  const commands = input.environments.map((e) => code(recheckCommand(e), 200))
  const elements = [
    mrkdwn(
      packLines('Re-check:', commands.slice(0, 5), SLACK_LIMITS.section) +
        (commands.length > 5 ? `\n…and ${commands.length - 5} more` : ''),
    ),
  ]
  if (input.at) elements.push(mrkdwn(`Checked at ${code(input.at, 40)}`))
  return elements.slice(0, SLACK_LIMITS.contextElements)
}

/** Keeps at most 50 blocks: the last kept one says how many sections were left out. */
export function capBlocks(blocks: SlackBlock[]): SlackBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks
  const kept = blocks.slice(0, SLACK_LIMITS.blocks - 2)
  const context = blocks[blocks.length - 1]!
  kept.push({ type: 'section', text: mrkdwn(`…and ${blocks.length - kept.length - 1} more sections`) }, context)
  return kept
}
