import { describe, expect, it } from 'vitest'
import { composeAlert, type AlertInput } from '../../lib/alerts'
import { toAscii } from '../../lib/alerts/subject'
import { SNS_PUBLISH } from './docs'
import { driftInput, trustMissing } from './fixtures'

const env = (name: string, region = 'us-east-1') => ({ name, region })
const long = `env-${'x'.repeat(76)}`

// "Subjects must be ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks
// or control characters; and must be less than 100 characters long." A bad subject fails the whole Publish.
const cases: Array<[string, Partial<AlertInput>, RegExp, string]> = [
  ['one short environment', {}, /^\[INFO\] MWAA role drift: my-env task queue, logs \(healed\)$/, SNS_PUBLISH],
  [
    'an 80-character environment name (the MWAA maximum)',
    { environments: [env(long)] },
    /^\[INFO\] MWAA role drift: env-x+\.\.\. \(healed\)$/,
    SNS_PUBLISH,
  ],
  [
    'twelve environments',
    { environments: Array.from({ length: 12 }, (_, i) => env(`prod-${i}`)) },
    /: prod-0 \+11 task queue, logs \(healed\)$/,
    SNS_PUBLISH,
  ],
  ['accented and CJK names', { environments: [env('données-日本')] }, /: donnees-\?\? task queue/, SNS_PUBLISH],
  ['an emoji name', { environments: [env('🚀launch')] }, /: \?launch task queue/, SNS_PUBLISH],
  ['line breaks and tabs in a name', { environments: [env('a\r\nb\tc\u2028d')] }, /: a b c d task queue/, SNS_PUBLISH],
  [
    'a deleted role with a 64-character name',
    { kind: 'role-deleted', outcome: 'critical', role: { arn: 'arn', name: 'R'.repeat(64) } },
    /^\[CRITICAL\] MWAA role deleted: my-env, role R+\.\.\.$/,
    SNS_PUBLISH,
  ],
  [
    'a preflight in alert mode',
    { kind: 'preflight', outcome: 'reported', writes: [] },
    /^\[HIGH\] MWAA preflight: my-env role lacks task queue, logs \(not healed\)$/,
    SNS_PUBLISH,
  ],
  [
    'a failed heal',
    { outcome: 'failed', error: 'AccessDenied' },
    /^\[HIGH\] MWAA role drift: my-env task queue, logs \(heal failed\)$/,
    SNS_PUBLISH,
  ],
]

describe('SNS subject', () => {
  it.each(cases)('%s', (_name, overrides, pattern) => {
    const { subject } = composeAlert(driftInput(overrides))
    expect(subject.length).toBeLessThan(100)
    expect(subject).toMatch(/^[\x20-\x7e]+$/)
    expect(subject).toMatch(/^[\p{L}\p{N}\p{P}]/u)
    expect(subject).toMatch(pattern)
  })

  it('keeps the severity in front and the outcome at the end when the middle is cut', () => {
    const input = driftInput({ outcome: 'partially-healed', environments: [env(long), env(long)] })
    const { subject } = composeAlert({ ...input, blocked: [{ finding: input.report.findings[0]!, reason: 'quota' }] })
    expect(subject).toHaveLength(99)
    expect(subject.startsWith('[MEDIUM] MWAA role drift: ')).toBe(true)
    expect(subject.endsWith('... (partly healed)')).toBe(true)
  })

  it('names the trust when the trust policy drifted', () => {
    const report = { ...driftInput().report, findings: [trustMissing()] }
    expect(composeAlert(driftInput({ report, outcome: 'reported', writes: [] })).subject).toBe(
      '[CRITICAL] MWAA role drift: my-env trust (not healed)',
    )
  })

  it.each([
    ['é', 'e'],
    ['\u0000\u001f\u007f\u0085', ''],
    ['Ωλ', '??'],
    [
      '≠ (compatibility decomposition keeps the base character)',
      '= (compatibility decomposition keeps the base character)',
    ],
  ])('toAscii(%j) = %j', (input, expected) => {
    expect(toAscii(input)).toBe(expected)
  })
})
