/**
 * The two alerts that are not about drift (issue 6): environment data refused, and a change of a watched role's mode
 * tag. Refused values come from whoever wrote the environment data (or forged the request): escaped like every other
 * user-controlled value, in the e-mail body and in Slack.
 */
import { describe, expect, it } from 'vitest'
import { composeAlert, type AlertInput } from '../../lib/alerts'
import { SLACK_ESCAPING } from './docs'
import { CHANGE, driftInput, ROLE_ARN } from './fixtures'

const SNS_PUBLISH = 'https://docs.aws.amazon.com/sns/latest/api/API_Publish.html'

const refused = (value: string): AlertInput => ({
  ...driftInput(),
  kind: 'environment-refused',
  outcome: 'refused',
  change: CHANGE,
  report: { role: ROLE_ARN, environments: [], evaluated: 0, findings: [], warnings: [] },
  writes: [],
  blocked: [],
  refusals: [{ environment: 'my-env', field: 'SourceBucketArn', value, why: 'not concrete' }],
})

const modeChange = (mode: 'heal' | 'alert' | 'off', previousMode?: 'heal' | 'alert' | 'off'): AlertInput => ({
  ...driftInput(),
  kind: 'mode-change',
  outcome: 'noted',
  mode,
  change: CHANGE,
  report: { role: ROLE_ARN, environments: ['my-env'], evaluated: 0, findings: [], warnings: [] },
  writes: [],
  blocked: [],
  ...(previousMode ? { previousMode } : {}),
})

describe('environment-refused alerts', () => {
  it(`${SNS_PUBLISH}: HIGH, the field in the subject, "environment data refused: field, value, why" in the body`, () => {
    const alert = composeAlert(refused('arn:aws:s3:::*'))
    expect(alert.subject).toBe('[HIGH] MWAA data refused: my-env SourceBucketArn (nothing written)')
    expect(alert.attributes.kind.StringValue).toBe('environment-refused')
    expect(alert.text).toContain('my-env: environment data refused: SourceBucketArn, arn:aws:s3:::*, not concrete')
    expect(alert.text).toContain('What was done: nothing (refused data is never used).')
  })

  it(`${SLACK_ESCAPING}: a refused value cannot mention a channel or form a link in Slack`, () => {
    const alert = composeAlert(refused('<!channel> @here <https://evil.example|click>'))
    const body = JSON.stringify(alert.slack)
    expect(body).not.toContain('<!channel>')
    expect(body).not.toContain('@here')
    expect(body).not.toContain('<https://evil.example')
    expect(alert.text).not.toMatch(/[\u0000-\u0008]/)
  })
})

describe('environment-refused incidents (with memory): state in the subject and attributes, a resolved notice of its own', () => {
  const ALERTMANAGER = 'https://prometheus.io/docs/alerting/latest/configuration/#route'
  const incident = (state: 'open' | 'changed' | 'reminder' | 'resolved') => ({
    incident: { ids: ['inc-0123456789ab'], state, openedAt: '2026-12-02T09:00:00.000Z' },
  })

  it.each([
    ['open', '[HIGH] MWAA data refused: my-env SourceBucketArn (nothing written)'],
    ['changed', '[HIGH] MWAA data refused: my-env SourceBucketArn (nothing written, changed)'],
    ['reminder', '[HIGH] MWAA data refused: my-env SourceBucketArn (nothing written, reminder)'],
  ] as const)(`${ALERTMANAGER}: %s -> %s, the incident id and state as attributes`, (state, subject) => {
    const alert = composeAlert({ ...refused('arn:aws:s3:::*'), ...incident(state) })
    expect(alert.subject).toBe(subject)
    expect(alert.attributes.incident.StringValue).toBe('inc-0123456789ab')
    expect(alert.attributes.incident_state.StringValue).toBe(state)
    expect(alert.text).toContain(`Incident:        inc-0123456789ab (${state}, open since 2026-12-02T09:00:00.000Z)`)
  })

  it(`${ALERTMANAGER}: a refusal resolved says so, not "the role grants everything again"`, () => {
    const alert = composeAlert({
      ...driftInput(),
      kind: 'resolved',
      about: 'refusal',
      outcome: 'resolved',
      report: { role: ROLE_ARN, environments: ['my-env'], evaluated: 0, findings: [], warnings: [] },
      writes: [],
      blocked: [],
      resolvedBy: "the environment's description (GetEnvironment) passes validation again, found by the periodic check",
      ...incident('resolved'),
    })
    expect(alert.subject).toBe('[INFO] MWAA data refusal resolved: my-env (valid again)')
    expect(alert.attributes.kind.StringValue).toBe('resolved')
    expect(alert.text).toContain('Ended by: the environment')
    expect(alert.text).toContain('What is refused: nothing any more.')
    expect(alert.text).not.toContain('grants everything')
    expect(JSON.stringify(alert.slack)).toContain('no longer refused')
  })
})

describe('mode-change alerts', () => {
  it.each<['heal' | 'alert' | 'off', string]>([
    ['heal', 'HIGH'],
    ['off', 'HIGH'],
    ['alert', 'MEDIUM'],
  ])('to %s: severity %s, who changed it and from where', (mode, severity) => {
    const alert = composeAlert(modeChange(mode))
    expect(alert.subject).toBe(`[${severity}] MWAA role mode changed: role MwaaExecution -> ${mode} (no write)`)
    expect(alert.text).toContain(`Mode change:     unknown (not recorded) → ${mode}`)
    expect(alert.text).toContain(CHANGE.sourceIp!)
  })

  it('says the previous mode once a store knows it (previousMode)', () => {
    expect(composeAlert(modeChange('heal', 'alert')).text).toContain('Mode change:     alert → heal')
  })
})
