/**
 * The "not checked" alert (kind reconcile-failed): a role the guard could not check, after its retries ran out or for
 * an error retrying would not fix. It names the role and the error, claims nothing about what is missing or what the
 * mode is, and says how to check again. SNS limits: https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { describe, expect, it } from 'vitest'
import { composeAlert, type AlertInput } from '../../lib/alerts'

const input = (failure: NonNullable<AlertInput['failure']>): AlertInput => ({
  kind: 'reconcile-failed',
  role: { arn: 'etl-exec', name: 'etl-exec' },
  environments: [],
  mode: 'alert',
  report: { role: 'etl-exec', environments: [], evaluated: 0, findings: [], warnings: [] },
  outcome: 'failed',
  writes: [],
  blocked: [],
  error: failure.error,
  failure,
  at: '2026-12-02T10:00:00.000Z',
})

describe('the "not checked" alert', () => {
  it.each([
    [
      { error: 'Throttling: Rate exceeded', retryable: true, tries: 10 },
      '[HIGH] MWAA role not checked: role etl-exec (Throttling, 10 tries)',
      /still failing after 10 tries/,
    ],
    [
      { error: 'AccessDenied: not authorized to perform iam:GetRole', retryable: false, tries: 1 },
      '[HIGH] MWAA role not checked: role etl-exec (AccessDenied)',
      /not retryable: trying again would fail the same way/,
    ],
  ])('%o', (failure, subject, why) => {
    const alert = composeAlert(input(failure))
    expect(alert.subject).toBe(subject)
    expect(alert.attributes.severity.StringValue).toBe('high')
    expect(alert.attributes.kind.StringValue).toBe('reconcile-failed')
    expect(alert.text).toMatch(why)
    expect(alert.text).toContain(failure.error)
    expect(alert.text).toContain('Mode:            not known (the role could not be checked)')
    expect(alert.text).toContain('What is missing: not known until a check succeeds.')
    expect(alert.text).toContain('npx mwaa-role-guard history --role etl-exec')
    expect(alert.text).toContain('npx mwaa-role-guard sweep')
    expect(alert.slack.text).toBe('HIGH: MWAA role not checked: no environment (not checked)')
    expect(JSON.stringify(alert.slack)).toContain(failure.error.split(':')[0])
    expect(JSON.stringify(alert.slack)).toContain('*Mode*\\nnot known')
  })
})
