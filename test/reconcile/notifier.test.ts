import { describe, expect, it } from 'vitest'
import { createNotifier } from '../../lib/reconcile/notifier'
import type { AlertRequest } from '../../lib/reconcile/types'

const request: AlertRequest = {
  kind: 'drift',
  role: { arn: 'arn:aws:iam::111122223333:role/exec', name: 'exec' },
  environments: [{ name: 'env-a', region: 'us-east-1' }],
  mode: 'alert',
  report: {
    role: 'arn:aws:iam::111122223333:role/exec',
    environments: ['env-a'],
    evaluated: 10,
    findings: [],
    warnings: [],
  },
  outcome: 'reported',
  writes: [],
  blocked: [],
}

function setup(options: { topic?: string; slack?: string; snsFails?: boolean; slackFails?: boolean }) {
  const published: Array<{ subject: string; attributes: Record<string, string> }> = []
  const posted: unknown[] = []
  const errors: string[] = []
  const notify = createNotifier({
    config: { alertTopicArn: options.topic, slackWebhookParameter: options.slack, modeTagKey: 'mwaa-role-guard:mode' },
    sns: {
      async publish(_topic, subject, _message, attributes = {}) {
        if (options.snsFails) throw new Error('SNS down')
        published.push({ subject, attributes })
        return 'id'
      },
    },
    ssm: { getParameter: async () => ({ value: 'https://hooks.slack.com/services/T/B/secret', type: 'SecureString' }) },
    postSlack: async (_url, payload) => {
      if (options.slackFails) throw new Error('Slack answered 500')
      posted.push(payload)
    },
    now: () => new Date('2026-11-28T10:00:00Z'),
    log: { debug() {}, info() {}, warn() {}, error: (m) => void errors.push(m) },
  })
  return { notify, published, posted, errors }
}

describe('notifier: SNS is the channel of record, Slack is best effort', () => {
  it('publishes to SNS with the filterable attributes (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html)', async () => {
    const s = setup({ topic: 'arn:aws:sns:us-east-1:111122223333:alerts' })
    await s.notify(request)
    expect(s.published).toHaveLength(1)
    expect(Object.keys(s.published[0]!.attributes)).toEqual(
      expect.arrayContaining(['severity', 'environment', 'outcome', 'mode']),
    )
    expect(s.published[0]!.attributes.environment).toBe('env-a')
  })

  it('an SNS failure is thrown, so the Lambda retries and the on-failure destination keeps the event', async () => {
    const s = setup({ topic: 'arn:aws:sns:us-east-1:111122223333:alerts', snsFails: true })
    await expect(s.notify(request)).rejects.toThrow('SNS down')
  })

  it('a Slack failure is logged and does not lose the SNS alert', async () => {
    const s = setup({ topic: 'arn:aws:sns:us-east-1:111122223333:alerts', slack: '/mwaa/slack', slackFails: true })
    await s.notify(request)
    expect(s.published).toHaveLength(1)
    expect(s.errors).toEqual(['Slack alert failed'])
  })

  it('Slack only: its failure is thrown (nothing else would carry the alert)', async () => {
    const s = setup({ slack: '/mwaa/slack', slackFails: true })
    await expect(s.notify(request)).rejects.toThrow('Slack answered 500')
  })
})
