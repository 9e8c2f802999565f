import { describe, expect, it } from 'vitest'
import { attributeStrings, composeAlert, severityOf, type AlertInput, type Severity } from '../../lib/alerts'
import { MWAA_CREATE, MWAA_NAME, MWAA_ROLE, SNS_ATTRIBUTE_VALUE, SNS_ATTRIBUTES } from './docs'
import { blockedBy, denied, driftInput, QUEUE, ref, ROLE_ARN, trustMissing } from './fixtures'

const trust = trustMissing()
const deniedTrust = { ...trustMissing(), by: [ref('trust-policy', 'DenyAll')] }
const deny = denied('task-queue', 'sqs:SendMessage', QUEUE, ref('inline:ops', 'DenySqs'))
const report = (findings = driftInput().report.findings) => ({ ...driftInput().report, findings })
const deleted: Partial<AlertInput> = {
  kind: 'role-deleted',
  outcome: 'critical',
  writes: [],
  report: { role: ROLE_ARN, environments: ['my-env'], evaluated: 0, findings: [], warnings: [] },
}

// Severity is this project's rule (lib/alerts/severity.ts); each row cites the behaviour that makes it urgent.
const rules: Array<[string, Partial<AlertInput>, Severity, string]> = [
  ['a deleted role still in use', deleted, 'critical', MWAA_ROLE],
  ['trust broken, alert mode', { outcome: 'reported', writes: [], report: report([trust]) }, 'critical', MWAA_ROLE],
  [
    'trust broken by a Deny, heal blocked',
    { outcome: 'blocked', writes: [], report: report([deniedTrust]), blocked: [blockedBy(deniedTrust, 'deny')] },
    'critical',
    MWAA_ROLE,
  ],
  ['trust restored by the heal', { outcome: 'healed', report: report([trust]) }, 'info', MWAA_ROLE],
  [
    'trust restored, a Deny left',
    { outcome: 'partially-healed', report: report([trust, deny]), blocked: [blockedBy(deny, 'deny')] },
    'medium',
    MWAA_ROLE,
  ],
  ['a failed heal', { outcome: 'failed', error: 'Throttling', writes: [] }, 'high', MWAA_ROLE],
  ['preflight, alert mode', { kind: 'preflight', outcome: 'reported', writes: [] }, 'high', MWAA_CREATE],
  ['preflight, healed before the environment needs it', { kind: 'preflight', outcome: 'healed' }, 'info', MWAA_CREATE],
  ['drift, alert mode', { outcome: 'reported', mode: 'alert', writes: [] }, 'medium', MWAA_ROLE],
  [
    'drift, heal blocked',
    { outcome: 'blocked', writes: [], report: report([deny]), blocked: [blockedBy(deny, 'deny')] },
    'medium',
    MWAA_ROLE,
  ],
  [
    'drift, partially healed',
    {
      outcome: 'partially-healed',
      report: report([...driftInput().report.findings, deny]),
      blocked: [blockedBy(deny, 'deny')],
    },
    'medium',
    MWAA_ROLE,
  ],
  ['drift, healed', {}, 'info', MWAA_ROLE],
  [
    'contested: heals keep being undone',
    { kind: 'contested', outcome: 'contested', writes: [] },
    'critical',
    MWAA_ROLE,
  ],
  ['resolved', { kind: 'resolved', outcome: 'resolved', writes: [], resolvedBy: 'a person' }, 'info', MWAA_ROLE],
]

describe('severity', () => {
  it.each(rules)('%s -> %s', (_name, overrides, severity) => {
    const input = driftInput(overrides)
    expect(severityOf(input)).toBe(severity)
    expect(composeAlert(input).attributes.severity).toEqual({ DataType: 'String', StringValue: severity })
  })
})

describe('SNS message attributes', () => {
  it(`severity, environment, outcome, mode and kind, as String attributes subscribers filter on (${SNS_ATTRIBUTES})`, () => {
    const { attributes } = composeAlert(
      driftInput({ kind: 'preflight', outcome: 'reported', mode: 'alert', writes: [] }),
    )
    expect(attributeStrings(attributes)).toEqual({
      severity: 'high',
      environment: 'my-env',
      outcome: 'reported',
      mode: 'alert',
      kind: 'preflight',
      incident: 'none',
      incident_state: 'none',
    })
    for (const a of Object.values(attributes)) expect(a.DataType).toBe('String')
    // a raw-delivery SQS subscription takes at most 10 attributes
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(10)
  })

  it(`the incident id(s) and state, so subscribers thread and filter notices (${SNS_ATTRIBUTES})`, () => {
    const { attributes } = composeAlert(
      driftInput({ incident: { ids: ['inc-0123456789ab', 'inc-ba9876543210'], state: 'reminder' } }),
    )
    expect(attributeStrings(attributes)).toMatchObject({
      incident: 'inc-0123456789ab,inc-ba9876543210',
      incident_state: 'reminder',
    })
  })

  // MWAA names are ^[a-zA-Z][0-9a-zA-Z-_]*$ (MWAA_NAME): a comma never splits one.
  it(`a role shared by environments lists them all, comma-separated (${MWAA_NAME})`, () => {
    const environments = [
      { name: 'etl-prod', region: 'us-east-1' },
      { name: 'ml_prod', region: 'eu-west-1' },
    ]
    expect(composeAlert(driftInput({ environments })).attributes.environment.StringValue).toBe('etl-prod,ml_prod')
  })

  it.each([
    ['no environment', [], 'none'],
    ['a name with control characters', [{ name: 'a\u0000b\u001fc', region: 'r' }], 'abc'],
  ])(`never an empty or control-character value: %s (${SNS_ATTRIBUTE_VALUE})`, (_name, environments, expected) => {
    expect(composeAlert(driftInput({ environments })).attributes.environment.StringValue).toBe(expected)
  })
})
