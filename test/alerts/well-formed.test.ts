/**
 * Every alert is text SNS, its SQS subscribers and Slack accept, whatever the event carried: a lone surrogate has no
 * UTF-8 form (the SDK's query encoding, encodeURIComponent, throws URIError and the alert is lost).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { composeAlert } from '../../lib/alerts'
import { SNS_MESSAGE_MAX_BYTES, wellFormed } from '../../lib/alerts/well-formed'
import type { Alert } from '../../lib/alerts/types'
import { changeOf } from '../../lib/events/change'
import { isIgnored, parseEvent } from '../../lib/events/parse-event'
import { mutatedEvents } from '../support/event-mutator'
import { CHANGE, driftInput } from './fixtures'

const PUBLISH = 'https://docs.aws.amazon.com/sns/latest/api/API_Publish.html'
const ATTRIBUTE = 'https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html'
const SQS_CHARACTERS = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html'

// #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF, as code points (the `u` flag reads pairs).
const SQS_TEXT = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u

/** Every string a channel sends: SNS subject, message and attribute values; Slack text and block texts. */
function channelTexts(alert: Alert): string[] {
  const slack = alert.slack.blocks.flatMap((b) =>
    b.type === 'context' ? b.elements.map((e) => e.text) : 'fields' in b ? b.fields.map((f) => f.text) : [b.text.text],
  )
  return [
    alert.subject,
    alert.text,
    ...Object.values(alert.attributes).map((a) => a.StringValue),
    alert.slack.text,
    ...slack,
  ]
}

/** What SNS Publish accepts (PUBLISH, ATTRIBUTE) and what the SDK can encode. */
function acceptable(alert: Alert): void {
  for (const text of channelTexts(alert)) {
    expect(text).toMatch(SQS_TEXT)
    expect(() => encodeURIComponent(text)).not.toThrow()
  }
  expect(alert.subject).toMatch(/^[\x20-\x7e]{1,99}$/)
  expect(new TextEncoder().encode(alert.text).length).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES)
  for (const a of Object.values(alert.attributes)) expect(a.StringValue).not.toBe('')
}

describe('wellFormed', () => {
  it.each([
    ['a lone high surrogate', 'aws-cli/2.15 \ud800 x', 'aws-cli/2.15 \ufffd x'],
    ['a lone low surrogate', '\udc00x', '\ufffdx'],
    ['a reversed pair', '\udc00\ud800', '\ufffd\ufffd'],
    ['a real pair stays', 'rocket \ud83d\ude80', 'rocket \ud83d\ude80'],
    ['a NUL and a vertical tab', 'a\u0000b\u000bc', 'a\ufffdb\ufffdc'],
    ['noncharacters U+FFFE and U+FFFF', 'a\ufffe\uffff', 'a\ufffd\ufffd'],
    ['tab, line feed and carriage return stay', 'a\tb\nc\rd', 'a\tb\nc\rd'],
  ])(`${SQS_CHARACTERS}: %s`, (_name, input, expected) => {
    expect(wellFormed(input)).toBe(expected)
  })
})

describe('composeAlert: every channel well-formed', () => {
  it(`a lone surrogate in the user agent, caller and description reaches no channel (${PUBLISH})`, () => {
    const change = {
      ...CHANGE,
      userAgent: 'aws-cli/2.15.0 \ud800',
      caller: { ...CHANGE.caller, arn: 'arn:aws:sts::111122223333:assumed-role/Admin/\udfff' },
      description: 'detached a policy from role \udbff',
    }
    const alert = composeAlert(driftInput({ change, environments: [{ name: 'my-env', region: '\ud800' }] }))
    acceptable(alert)
    expect(alert.text).toContain('User agent:  aws-cli/2.15.0 \ufffd')
  })

  it(`changes made from mutated real events always compose an alert SNS accepts (${PUBLISH}, ${ATTRIBUTE})`, () => {
    fc.assert(
      fc.property(mutatedEvents(), (m) => {
        const parsed = parseEvent(JSON.parse(m.text))
        if (isIgnored(parsed)) return
        acceptable(composeAlert(driftInput({ change: changeOf(parsed) })))
      }),
      { numRuns: 150 },
    )
  })
})
