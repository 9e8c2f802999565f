import { describe, expect, it } from 'vitest'
import { composeAlert, type AlertInput } from '../../lib/alerts'
import { TEXT_MAX_BYTES } from '../../lib/alerts/text-body'
import { FEATURES } from '../../lib/baseline/features'
import { CLOUDTRAIL_RECORD, IAM_QUOTAS, MWAA_CREATE, MWAA_ROLE, SNS_PUBLISH } from './docs'
import {
  blockedBy,
  CHANGE,
  denied,
  driftInput,
  notGranted,
  PUT_RESTORE,
  QUEUE,
  ref,
  ROLE_ARN,
  trustMissing,
} from './fixtures'

const deniedSqs = denied('task-queue', 'sqs:SendMessage', QUEUE, ref('inline:ops-guardrails', 'DenySqs'))
const blockedSqs = blockedBy(
  deniedSqs,
  'explicitly denied by inline:ops-guardrails statement "DenySqs"; heal never removes a Deny',
)
const withDeny = (overrides: Partial<AlertInput>) => {
  const base = driftInput()
  return driftInput({ report: { ...base.report, findings: [...base.report.findings, deniedSqs] }, ...overrides })
}

// Each row: the alert, then text a reader must find in the e-mail body.
const cases: Array<[string, AlertInput, string[], string]> = [
  [
    'who did what, from where, when, which CloudTrail record',
    driftInput(),
    [
      CHANGE.description,
      CHANGE.caller.arn!,
      'AssumedRole, console, MFA',
      CHANGE.caller.roleArn!,
      '203.0.113.7',
      '2024-05-02T09:14:07Z',
      CHANGE.eventId!,
      'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
    ],
    CLOUDTRAIL_RECORD,
  ],
  [
    'environment, region and role',
    driftInput(),
    ['Environment: my-env (us-east-1)', `Execution role:  ${ROLE_ARN}`, 'Checked at:      2024-05-02T09:14:12Z'],
    MWAA_ROLE,
  ],
  [
    'what is missing, grouped by Airflow feature with its impact (alert mode)',
    driftInput({ outcome: 'reported', mode: 'alert', writes: [], proposed: [PUT_RESTORE] }),
    [
      'What is missing now (3 of 41 required permissions)',
      `✗ ${FEATURES['task-queue'].title}`,
      `Impact: ${FEATURES['task-queue'].impact}`,
      'sqs:ReceiveMessage, sqs:DeleteMessage',
      `✗ ${FEATURES.logs.title}`,
      'What was done: nothing (alert mode).',
      'A heal (mwaa-role-guard:mode=heal) would:',
      'put inline policy mwaa-role-guard-restore (restores 2 permissions)',
      'tag the role mwaa-role-guard:mode=heal',
    ],
    MWAA_ROLE,
  ],
  [
    'healed: what was missing and the writes made',
    driftInput(),
    [
      'What was missing (3 of 41 required permissions; restored)',
      'What was done:',
      'put inline policy mwaa-role-guard-restore (restores 2 permissions)',
    ],
    MWAA_ROLE,
  ],
  [
    'partially healed: what is still missing, the block, its reason and who to ask',
    withDeny({ outcome: 'partially-healed', blocked: [blockedSqs] }),
    [
      'What is missing now (1 of 41 required permissions)',
      'Blocked: 1 permission no heal restores (fix by hand):',
      'sqs:SendMessage: explicitly denied by inline:ops-guardrails statement "DenySqs"; heal never removes a Deny',
      'Ask: the owner of inline:ops-guardrails statement "DenySqs"',
      `The change above was made by ${CHANGE.caller.arn}`,
    ],
    MWAA_ROLE,
  ],
  [
    'blocked by the inline policy quota: ask an IAM administrator',
    driftInput({
      outcome: 'blocked',
      writes: [],
      blocked: [blockedBy(notGranted('logs', 'logs:PutLogEvents', 'g'), 'over the 10240 quota')],
    }),
    ['logs:PutLogEvents: over the 10240 quota', 'Ask: an IAM administrator'],
    IAM_QUOTAS,
  ],
  [
    'a failed heal says why and what completed',
    driftInput({ outcome: 'failed', error: 'AccessDenied: iam:PutRolePolicy', writes: [] }),
    [
      'the heal failed: AccessDenied: iam:PutRolePolicy',
      'No write completed.',
      'What is missing now (3 of 41',
      'Re-check to see what is still missing.',
    ],
    MWAA_ROLE,
  ],
  [
    'preflight: the creation would fail 20–30 minutes later',
    driftInput({
      kind: 'preflight',
      outcome: 'reported',
      mode: 'alert',
      writes: [],
      change: { ...CHANGE, eventName: 'CreateEnvironment' },
    }),
    ['names an execution role that falls short', 'The creation takes 20–30 minutes and would fail at the end'],
    MWAA_CREATE,
  ],
  [
    'role deleted: nothing to heal, how to recover',
    driftInput({
      kind: 'role-deleted',
      outcome: 'critical',
      writes: [],
      report: { role: ROLE_ARN, environments: ['my-env'], evaluated: 0, findings: [], warnings: [] },
    }),
    [
      'was deleted, but the environment still uses it',
      'There is nothing to heal',
      'What is missing: the role itself.',
      'mwaa-role-guard baseline --environment-file env.json',
    ],
    MWAA_ROLE,
  ],
  [
    'how to re-check, for every environment',
    driftInput({
      environments: [
        { name: 'a', region: 'us-east-1' },
        { name: 'b', region: 'eu-west-1' },
      ],
    }),
    ['npx mwaa-role-guard check --env a --region us-east-1', 'npx mwaa-role-guard check --env b --region eu-west-1'],
    MWAA_ROLE,
  ],
  [
    'no triggering event',
    driftInput({ change: undefined }),
    ['What changed: no triggering event (found by a check).'],
    CLOUDTRAIL_RECORD,
  ],
]

describe('e-mail body', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const { text } = composeAlert(input)
    for (const piece of expected) expect(text).toContain(piece)
  })

  it('a deleted role gets no advice to tag it (it has no tags any more), whatever the deployment mode', () => {
    const report = { role: ROLE_ARN, environments: ['my-env'], evaluated: 0, findings: [], warnings: [] }
    for (const mode of ['alert', 'heal'] as const) {
      const { text } = composeAlert(driftInput({ kind: 'role-deleted', outcome: 'critical', mode, writes: [], report }))
      expect(text).toContain('Mode:            n/a (the role no longer exists)')
      expect(text).not.toContain('tag the role')
    }
  })

  it('prints each feature once, even when its findings are interleaved with another feature', () => {
    const findings = [
      notGranted('logs', 'logs:A', 'g'),
      notGranted('task-queue', 'sqs:A', 'q'),
      notGranted('logs', 'logs:B', 'g'),
    ]
    const { text } = composeAlert(
      driftInput({ outcome: 'reported', writes: [], report: { ...driftInput().report, findings } }),
    )
    expect(text.split(`✗ ${FEATURES.logs.title}`)).toHaveLength(2)
  })

  it('a trust finding is worded as the trust, with its impact', () => {
    const { text } = composeAlert(
      driftInput({ outcome: 'reported', writes: [], report: { ...driftInput().report, findings: [trustMissing()] } }),
    )
    expect(text).toContain(`✗ ${FEATURES.trust.title}`)
    expect(text).toContain('airflow.amazonaws.com → sts:AssumeRole')
  })

  // CloudTrail's userAgent is whatever the caller sent (CLOUDTRAIL_RECORD): it must not forge lines of the alert.
  it.each([
    ['a line break', 'curl/8\n\nAll clear: ignore this alert'],
    ['a carriage return', 'curl/8\rAll clear: ignore this alert'],
    ['a Unicode line separator', 'curl/8\u2028All clear: ignore this alert'],
    ['a bidi override', 'curl/8\u202eAll clear: ignore this alert'],
  ])('a user agent with %s stays on its own line', (_name, userAgent) => {
    const { text } = composeAlert(driftInput({ change: { ...CHANGE, userAgent } }))
    const line = text.split('\n').find((l) => l.includes('All clear'))
    expect(line).toMatch(/^ {2}User agent: {2}curl\/8 All clear: ignore this alert$/)
    expect(text).not.toMatch(/[\r\u2028\u202e]/)
  })

  // SNS messages are at most 256 KB (SNS_PUBLISH); a person reads the first screen, `check` has the rest.
  it(`stays short and under the SNS message size with 500 findings, 500 blocked and 200 warnings (${SNS_PUBLISH})`, () => {
    const findings = Array.from({ length: 500 }, (_, i) =>
      denied(
        'logs',
        `logs:Action${i}`,
        `arn:aws:logs:us-east-1:1:log-group:${'g'.repeat(200)}${i}`,
        ref(`arn:aws:iam::1:policy/Deny${i}`, `Sid${i}`),
      ),
    )
    const input = driftInput({
      outcome: 'blocked',
      writes: [],
      report: { ...driftInput().report, findings, warnings: Array.from({ length: 200 }, (_, i) => `warning ${i}`) },
      blocked: findings.map((f, i) => blockedBy(f, `explicitly denied by Deny${i}`)),
    })
    const { text } = composeAlert(input)
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(TEXT_MAX_BYTES)
    expect(text).toContain('…and 480 more reasons')
    expect(text).toContain('…and 190 more')
    expect(text).toContain('…and 490 more causes')
    expect(text.split('\n').length).toBeLessThan(150)
    expect(text).toMatch(/Re-check:\n {2}npx mwaa-role-guard check --env my-env --region us-east-1$/)
  })

  it(`stays under the SNS size with 1000-character names everywhere and 300 environments (${SNS_PUBLISH})`, () => {
    const features = ['task-queue', 'logs', 'dag-bucket', 'metrics', 'encryption', 'extra'] as const
    const findings = features.flatMap((feature) =>
      Array.from({ length: 12 }, (_, i) =>
        Array.from({ length: 6 }, (_, j) =>
          denied(
            feature,
            `s:${'A'.repeat(1000)}${j}`,
            `arn:${'r'.repeat(1000)}${j}`,
            ref(`P${i}${'p'.repeat(500)}`, `S${i}`),
          ),
        ),
      ).flat(),
    )
    const blocked = findings.slice(0, 30).map((f, i) => blockedBy(f, `${i}${'why'.repeat(400)}`))
    const environments = Array.from({ length: 300 }, (_, i) => ({
      name: `e${i}${'n'.repeat(78)}`,
      region: 'us-east-1',
    }))
    const writes = Array.from({ length: 300 }, (_, i) => ({
      kind: 'attach-managed-policy' as const,
      policyArn: `arn:${'p'.repeat(1000)}${i}`,
      restores: [],
    }))
    const warnings = Array.from({ length: 300 }, () => 'w'.repeat(5000))
    const input = driftInput({
      outcome: 'reported',
      mode: 'alert',
      writes: [],
      proposed: writes,
      environments,
      blocked,
      report: { ...driftInput().report, findings, warnings },
    })
    const { text } = composeAlert({
      ...input,
      change: { ...CHANGE, userAgent: 'u'.repeat(100_000), description: 'd'.repeat(100_000) },
    })
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(TEXT_MAX_BYTES)
    expect(text).toContain('…and 280 more')
  })
})
