/**
 * Issue 6, finding 7: the Slack webhook is read only from a SecureString and only a https://hooks.slack.com/ URL is
 * posted to (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks); `handle --dry-run` replays
 * a failed event without writing. (The SNS topic policy is proven on the packaged stack, test/stack.)
 */
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../lib/cli/main'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import { createNotifier } from '../../lib/reconcile/notifier'
import type { AlertRequest } from '../../lib/reconcile/types'
import { scratch } from '../cli/support'
import { startWorld, type World } from '../support/world'

const request: AlertRequest = {
  kind: 'drift',
  role: { arn: 'arn:aws:iam::111122223333:role/exec', name: 'exec' },
  environments: [{ name: 'env-a', region: 'us-east-1' }],
  mode: 'alert',
  report: {
    role: 'arn:aws:iam::111122223333:role/exec',
    environments: ['env-a'],
    evaluated: 1,
    findings: [],
    warnings: [],
  },
  outcome: 'reported',
  writes: [],
  blocked: [],
}

function slack(value: string, type: string) {
  const posted: string[] = []
  const errors: string[] = []
  const notify = createNotifier({
    config: {
      alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
      slackWebhookParameter: '/slack',
      modeTagKey: 'mwaa-role-guard:mode',
    },
    sns: { publish: async () => 'id' },
    ssm: { getParameter: async () => ({ value, type }) },
    postSlack: async (url) => void posted.push(url),
    now: () => new Date('2026-12-01T00:00:00Z'),
    log: { debug() {}, info() {}, warn() {}, error: (m, f) => void errors.push(`${m} ${String(f?.error)}`) },
  })
  return { notify, posted, errors }
}

describe('finding 7: Slack webhook from a SecureString, to hooks.slack.com only', () => {
  it.each([
    ['https://evil.example/services/T/B/x', 'SecureString', /https:\/\/hooks\.slack\.com\//],
    ['http://hooks.slack.com/services/T/B/x', 'SecureString', /https:\/\/hooks\.slack\.com\//],
    ['https://hooks.slack.com.evil.example/services/T/B/x', 'SecureString', /https:\/\/hooks\.slack\.com\//],
    ['https://hooks.slack.com/services/T/B/x', 'String', /SecureString/],
  ])('%s (%s): not posted, a clear error', async (url, type, error) => {
    const s = slack(url, type)
    await s.notify(request)
    expect(s.posted).toEqual([])
    expect(s.errors.join('\n')).toMatch(error)
    expect(s.errors.join('\n')).not.toContain('/T/B/x')
  })

  it('a SecureString https://hooks.slack.com/ URL is posted to', async () => {
    const s = slack('https://hooks.slack.com/services/T/B/x', 'SecureString')
    await s.notify(request)
    expect(s.posted).toEqual(['https://hooks.slack.com/services/T/B/x'])
  })
})

describe('finding 7: handle --dry-run', () => {
  let world: World
  const files = scratch('dry-run')
  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(async () => {
    await world?.stop()
    files.remove()
  })

  it('plans and reports what a heal would write, writes nothing, publishes nothing', async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const event = await world.as(world.callers.operator).deleteRolePolicy(env.roleName, 'logs')
    const path = files.file('', 'event.json')
    writeFileSync(path, JSON.stringify(event))
    const out: string[] = []
    const err: string[] = []
    const code = await main(['handle', '--event', path, '--dry-run'], {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
      env: world.env,
    })

    expect({ code, err: err.join('\n') }).toMatchObject({ code: 0 })
    const summary = JSON.parse(out.join('\n')) as { dryRun: boolean; roles: Array<Record<string, unknown>> }
    expect(summary.dryRun).toBe(true)
    expect(summary.roles[0]).toMatchObject({ result: 'dry-run', writes: [] })
    expect(String(summary.roles[0]!.wouldWrite)).toContain(`put inline policy ${RESTORE_POLICY_NAME}`)
    const role = await world.readRole(env.roleName)
    expect(role!.inlinePolicies.map((p) => p.name)).not.toContain(RESTORE_POLICY_NAME)
    expect(await world.inbox.about(env.name)).toEqual([])
  })
})
