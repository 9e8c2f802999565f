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
