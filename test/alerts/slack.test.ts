import { describe, expect, it } from 'vitest'
import { composeAlert, SLACK_LIMITS, type AlertInput, type SlackBlock, type SlackPayload } from '../../lib/alerts'
import { capBlocks } from '../../lib/alerts/slack-payload'
import { clipLine, code, mrkdwn } from '../../lib/alerts/slack-text'
import type { Feature } from '../../lib/baseline/types'
import type { Finding } from '../../lib/drift/findings'
import {
  SLACK_BLOCKS,
  SLACK_CONTEXT,
  SLACK_ESCAPING,
  SLACK_HEADER,
  SLACK_SECTION,
  SLACK_TEXT_OBJECT,
  SLACK_WEBHOOK,
} from './docs'
import { blockedBy, CHANGE, denied, driftInput, ref } from './fixtures'

/** Every text object in the payload, with where it sits. */
type AnyText = { type: 'plain_text' | 'mrkdwn'; text: string; verbatim?: boolean }
function texts(payload: SlackPayload): AnyText[] {
  return payload.blocks.flatMap((b): AnyText[] => {
    switch (b.type) {
      case 'header':
        return [b.text]
      case 'section':
        return 'fields' in b ? b.fields : [b.text]
      case 'context':
        return b.elements
      default:
        return []
    }
  })
}

/** mrkdwn with every inline code span removed: what Slack would parse as markup. */
const outsideCode = (text: string) => text.replace(/`[^`]*`/g, '')

/** An alert whose every user-controlled value carries `payload` between ZZ markers. */
function injected(payload: string): AlertInput {
  const v = `ZZ${payload}ZZ`
  const finding: Finding = {
    kind: 'blocked-by-boundary',
    environment: v,
    feature: 'task-queue',
    check: {
      id: v,
      feature: 'task-queue',
      statement: v,
      action: `sqs:${v}`,
      resource: `arn:${v}`,
      context: { [v]: v },
    },
    boundary: `arn:aws:iam::1:policy/${v}`,
    grantedBy: [],
  }
  const deny = denied('logs', `logs:${v}`, `arn:${v}`, ref(`inline:${v}`, v))
  const base = driftInput()
  return {
    ...base,
    role: { arn: `arn:aws:iam::1:role/${v}`, name: v },
    environments: [{ name: v, region: v }],
    change: {
      ...CHANGE,
      eventId: v,
      time: v,
      sourceIp: v,
      userAgent: v,
      description: `detached ${v} from role ${v}`,
      caller: { type: v, arn: `arn:aws:sts::1:assumed-role/${v}/${v}`, roleArn: v, invokedBy: v, viaConsole: false },
    },
    report: { ...base.report, findings: [...base.report.findings, finding, deny], warnings: [v] },
    outcome: 'failed',
    error: v,
    writes: [
      { kind: 'put-inline-policy', policyName: v, document: { Version: '2012-10-17', Statement: [] }, restores: [v] },
    ],
    blocked: [blockedBy(finding, v), blockedBy(deny, `denied by ${v}`)],
    at: v,
    modeTagKey: v,
  }
}

// Slack parses <...> sequences as mentions and links and asks for &, <, > to be escaped (SLACK_ESCAPING); a mrkdwn
// text object that is not verbatim auto-links URLs and parses some mentions (SLACK_TEXT_OBJECT).
const attacks: Array<[string, string]> = [
  ['<!channel>', SLACK_ESCAPING],
  ['<!here>', SLACK_ESCAPING],
  ['<!everyone>', SLACK_ESCAPING],
  ['<@U0123ABC>', SLACK_ESCAPING],
  ['<#C0123ABC|general>', SLACK_ESCAPING],
  ['<!subteam^S0123|oncall>', SLACK_ESCAPING],
  ['<http://evil.example|click>', SLACK_ESCAPING],
  ['<mailto:a@evil.example|mail>', SLACK_ESCAPING],
  ['https://evil.example/login', SLACK_TEXT_OBJECT],
  ['evil.example', SLACK_TEXT_OBJECT],
  ['@here', SLACK_TEXT_OBJECT],
  ['@channel', SLACK_TEXT_OBJECT],
  ['jane@evil.example', SLACK_TEXT_OBJECT],
  ['` <!channel> `', SLACK_ESCAPING],
  ['```\n<!here>\n```', SLACK_ESCAPING],
  ['&lt;!channel&gt;', SLACK_ESCAPING],
  ['*bold* _it_ ~s~\n> <!channel> :rotating_light:', SLACK_ESCAPING],
]

describe('Slack: user-controlled values never mention anyone or link anywhere', () => {
  it.each(attacks)('%j', (attack) => {
    const { slack } = composeAlert(injected(attack))
    const json = JSON.stringify(slack)
    // no Slack control sequence at all: every <, > and & from a value is an entity
    expect(json).not.toMatch(/[<>]/)
    expect(json).not.toMatch(/&(?!amp;|lt;|gt;)/)
    // no @ at all, so neither <@U..> nor a bare @here / @channel / e-mail address survives
    expect(json).not.toContain('@')
    for (const t of texts(slack)) {
      if (t.type === 'mrkdwn') {
        expect(t.verbatim).toBe(true)
        expect((t.text.match(/`/g) ?? []).length % 2).toBe(0)
        // the value only ever appears inside inline code, which Slack renders literally
        expect(outsideCode(t.text)).not.toContain('ZZ')
      } else {
        expect(t.text).not.toMatch(/:\/\/|\.example/)
      }
    }
    expect(slack.text).not.toMatch(/:\/\/|\.example/)
  })

  it(`never asks Slack to link names or unfurl (${SLACK_WEBHOOK})`, () => {
    const { slack } = composeAlert(injected('<!channel>'))
    expect(slack).toMatchObject({ unfurl_links: false, unfurl_media: false })
    expect(slack).not.toHaveProperty('link_names')
    expect(slack).not.toHaveProperty('parse')
  })

  it(`shows the value, escaped, rather than dropping it (${SLACK_ESCAPING})`, () => {
    const { slack } = composeAlert(driftInput({ change: { ...CHANGE, userAgent: 'curl <x> & `y` @z' } }))
    expect(JSON.stringify(slack)).toContain('`curl &lt;x&gt; &amp; ˋyˋ ＠z`')
  })
})

describe('Slack: Block Kit limits', () => {
  const features: Feature[] = ['task-queue', 'logs', 'dag-bucket', 'metrics', 'encryption', 'trust', 'extra']
  const findings: Finding[] = Array.from({ length: 500 }, (_, i) =>
    denied(
      features[i % 7]!,
      `svc:Action${i}`,
      `arn:aws:s3:::${'b'.repeat(150)}-${i}/*`,
      ref(`arn:aws:iam::1:policy/Deny&${i}`, `Sid<${i}>`),
    ),
  )
  const input = driftInput({
    outcome: 'reported',
    mode: 'alert',
    writes: [],
    proposed: Array.from({ length: 500 }, (_, i) => ({
      kind: 'attach-managed-policy' as const,
      policyArn: `arn:aws:iam::1:policy/P&${i}`,
      restores: ['x'],
    })),
    environments: Array.from({ length: 40 }, (_, i) => ({
      name: `environment-${i}-${'n'.repeat(60)}`,
      region: 'us-east-1',
    })),
    report: { ...driftInput().report, findings, evaluated: 4000 },
    blocked: findings.map((f, i) => blockedBy(f, `explicitly denied by <Deny ${i}> & more`)),
  })
  const { slack } = composeAlert(input)

  it(`at most 50 blocks (${SLACK_BLOCKS})`, () => {
    expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks)
  })

  it(`header: plain_text, at most 150 characters (${SLACK_HEADER})`, () => {
    const header = slack.blocks[0]!
    expect(header.type).toBe('header')
    if (header.type === 'header') expect(header.text.text.length).toBeLessThanOrEqual(150)
  })

  it(`section text 1–3000 characters; fields at most 10 of 2000 (${SLACK_SECTION})`, () => {
    for (const b of slack.blocks) {
      if (b.type !== 'section') continue
      if ('fields' in b) {
        expect(b.fields.length).toBeLessThanOrEqual(10)
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000)
      } else {
        expect(b.text.text.length).toBeGreaterThan(0)
        expect(b.text.text.length).toBeLessThanOrEqual(3000)
      }
    }
  })

  it(`context: at most 10 elements (${SLACK_CONTEXT})`, () => {
    for (const b of slack.blocks) if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10)
  })

  it(`says what it left out, and truncation never breaks a code span or an entity (${SLACK_ESCAPING})`, () => {
    const all = texts(slack).map((t) => t.text)
    expect(all.some((t) => /…and \d+ more/.test(t))).toBe(true)
    expect(all.some((t) => /…and \d+ more reasons/.test(t))).toBe(true)
    for (const t of all) {
      expect((t.match(/`/g) ?? []).length % 2).toBe(0)
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/)
    }
    expect(JSON.stringify(slack)).not.toMatch(/[<>]/)
  })

  it(`capBlocks keeps 50 blocks, the context last, and counts what it dropped (${SLACK_BLOCKS})`, () => {
    const many: SlackBlock[] = Array.from({ length: 60 }, (_, i) => ({ type: 'section', text: mrkdwn(`s${i}`) }))
    many.push({ type: 'context', elements: [mrkdwn('re-check')] })
    const kept = capBlocks(many)
    expect(kept).toHaveLength(50)
    expect(kept[49]).toEqual({ type: 'context', elements: [mrkdwn('re-check')] })
    expect(kept[48]).toEqual({ type: 'section', text: mrkdwn('…and 12 more sections') })
  })
})

describe('clipLine', () => {
  it.each([
    [`• ${code('a&b<c>d'.repeat(20))} on ${code('x'.repeat(50))}`],
    [`${code('&&&&&&&&&&&&&&&&&&&&')}`],
    ['plain words then `code &amp; more code` and `another`'],
  ])(`cuts %s at every length without an open code span or a split entity (${SLACK_ESCAPING})`, (line) => {
    for (let max = 4; max <= line.length + 1; max++) {
      const cut = clipLine(line, max)
      expect(cut.length).toBeLessThanOrEqual(max)
      expect((cut.match(/`/g) ?? []).length % 2).toBe(0)
      expect(cut).not.toMatch(/&(?!amp;|lt;|gt;)/)
    }
  })
})
