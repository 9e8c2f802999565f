/** Notices about incidents: reminders, changes, resolutions, a contested role, the diff against last-known-good. */
import { describe, expect, it } from 'vitest'
import { composeAlert, SLACK_LIMITS } from '../../lib/alerts'
import { MWAA_ROLE, SNS_PUBLISH } from './docs'
import { CHANGE, driftInput } from './fixtures'

const INCIDENT = 'https://developer.pagerduty.com/docs/events-api-v2/overview/'
const ALERTMANAGER = 'https://prometheus.io/docs/alerting/latest/configuration/#route'
const terraform = 'arn:aws:sts::111122223333:assumed-role/terraform-ci/run-42'

const contested = driftInput({
  kind: 'contested',
  outcome: 'contested',
  writes: [],
  incident: { ids: ['inc-0123456789ab'], state: 'contested', openedAt: '2026-12-02T09:00:00.000Z' },
  contest: {
    actors: [terraform],
    removing: ['inline policy `logs` removed (1 statement: `AirflowLogs`)'],
    heals: 3,
    windowMinutes: 60,
  },
})
const resolved = driftInput({
  kind: 'resolved',
  outcome: 'resolved',
  writes: [],
  incident: { ids: ['inc-0123456789ab'], state: 'resolved', openedAt: '2026-12-02T09:00:00.000Z' },
  resolvedBy: 'arn:aws:iam::111122223333:user/alice (PutRolePolicy at 2026-12-02T10:00:00Z)',
})

describe('incident notices', () => {
  it(`${MWAA_ROLE}: a contested role is one critical notice naming who undid the heals, what they remove, and how to resolve it`, () => {
    const alert = composeAlert(contested)
    expect(alert.subject).toMatch(/^\[CRITICAL\] MWAA role contested: my-env .* \(healing stopped\)$/)
    expect(alert.text).toContain(`  - ${terraform}`)
    expect(alert.text).toContain('They keep removing:\n  - inline policy `logs` removed')
    expect(alert.text).toContain('tag the role mwaa-role-guard:mode=alert to stop healing it')
    expect(alert.text).toContain('What was done: nothing: healing is stopped for this role (contested).')
    expect(alert.attributes.incident_state.StringValue).toBe('contested')
    expect(JSON.stringify(alert.slack)).toContain('terraform-ci/run-42')
  })

  it(`${ALERTMANAGER}: a resolved notice says who fixed it, and that nothing is missing`, () => {
    const alert = composeAlert(resolved)
    expect(alert.subject).toBe('[INFO] MWAA role drift resolved: my-env (by alice)')
    expect(alert.text).toContain(
      'Fixed by: arn:aws:iam::111122223333:user/alice (PutRolePolicy at 2026-12-02T10:00:00Z)',
    )
    expect(alert.text).toContain('What is missing: nothing any more.')
    expect(alert.text).toContain('Incident:        inc-0123456789ab (resolved, open since 2026-12-02T09:00:00.000Z)')
    expect(alert.attributes.outcome.StringValue).toBe('resolved')
  })

  it(`${ALERTMANAGER}: a reminder and a change say so in the subject (the incident id threads them)`, () => {
    const open = (state: 'reminder' | 'changed') =>
      composeAlert(
        driftInput({ outcome: 'reported', mode: 'alert', writes: [], incident: { ids: ['inc-0123456789ab'], state } }),
      )
    expect(open('reminder').subject).toMatch(/\(not healed, reminder\)$/)
    expect(open('changed').subject).toMatch(/\(not healed, changed\)$/)
  })

  it(`${INCIDENT}: the statement-level diff against last-known-good is shown, with the coalesced changes`, () => {
    const alert = composeAlert(
      driftInput({
        changes: ['statement `S3Dags` removed from inline policy `mwaa-exec` (s3:GetObject)'],
        moreChanges: [
          { ...CHANGE, description: 'put inline policy mwaa-exec on role MwaaExecution', time: '2024-05-02T09:14:09Z' },
        ],
      }),
    )
    expect(alert.text).toContain('Changed since the role was last known good')
    expect(alert.text).toContain('  - statement `S3Dags` removed from inline policy `mwaa-exec` (s3:GetObject)')
    expect(alert.text).toContain('Then, within the settle window (1 more):')
    expect(alert.text).toContain('2024-05-02T09:14:09Z put inline policy mwaa-exec on role MwaaExecution by')
    const slack = JSON.stringify(alert.slack)
    expect(slack).toContain('Changed since last known good')
    expect(alert.slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks)
  })

  it(`${SNS_PUBLISH}: a recovered heal notice says it was sent late`, () => {
    expect(composeAlert(driftInput({ recovered: true })).text).toContain('This notice was sent late')
  })
})
