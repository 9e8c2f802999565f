import { describe, expect, it } from 'vitest'
import { loadConfig, modeOf } from '../../lib/config'
import { InputError } from '../../lib/input-error'

const TAGS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html'
const CONDITION_KEYS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag'
const SSM_NAMES = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html'

describe('loadConfig: the Lambda and CLI environment variables', () => {
  it('defaults: alert mode, the standard tag key, the function region as the only MWAA region', () => {
    const config = loadConfig({ AWS_REGION: 'eu-west-1' })
    expect(config).toMatchObject({
      defaultMode: 'alert',
      modeTagKey: 'mwaa-role-guard:mode',
      mwaaRegions: ['eu-west-1'],
      ownRoleArns: [],
    })
  })

  it('memory: the settle window, reminders, history and fight detection default as documented; the stack sets them', () => {
    // SQS DelaySeconds 0-900: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
    expect(loadConfig({})).toMatchObject({
      stateTable: undefined,
      settleSeconds: 30,
      memory: { remindAfterMs: 24 * 3_600_000, historyDays: 400, maxHeals: 3, fightWindowMs: 3_600_000 },
    })
    const set = loadConfig({
      STATE_TABLE: 'mwaa-role-guard-dev-StateTable-1ABC',
      SETTLE_SECONDS: '0',
      REMIND_AFTER_HOURS: '4',
      HISTORY_DAYS: '30',
      MAX_HEALS: '5',
      FIGHT_WINDOW_MINUTES: '15',
    })
    expect(set).toMatchObject({
      stateTable: 'mwaa-role-guard-dev-StateTable-1ABC',
      settleSeconds: 0,
      memory: { remindAfterMs: 4 * 3_600_000, historyDays: 30, maxHeals: 5, fightWindowMs: 15 * 60_000 },
    })
  })

  it('MWAA_REGIONS is a comma-separated list; empty strings mean unset (serverless passes "")', () => {
    const config = loadConfig({
      MWAA_REGIONS: 'us-east-1, eu-west-1',
      SLACK_WEBHOOK_PARAMETER: '',
      ALERT_TOPIC_ARN: '',
    })
    expect(config.mwaaRegions).toEqual(['us-east-1', 'eu-west-1'])
    expect(config.slackWebhookParameter).toBeUndefined()
    expect(config.alertTopicArn).toBeUndefined()
  })

  it.each([
    ['/mwaa-role-guard/extras', '/mwaa-role-guard/extras'],
    ['mwaa-role-guard.extras_v2', 'mwaa-role-guard.extras_v2'],
    ['', undefined],
  ])(
    `EXTRAS_PARAMETER %j: a parameter name with or without a leading slash; empty means no extras (${SSM_NAMES})`,
    (value, expected) => {
      expect(loadConfig({ EXTRAS_PARAMETER: value }).extrasParameter).toBe(expected)
    },
  )

  it.each([
    ['DEFAULT_MODE', 'repair', /DEFAULT_MODE/],
    [
      'EXTRAS_PARAMETER',
      'arn:aws:ssm:us-east-1:111122223333:parameter/extras',
      /EXTRAS_PARAMETER: expected an SSM parameter name \(letters, digits, _.-\/\), not an ARN/,
    ],
    ['EXTRAS_PARAMETER', 'my extras', /EXTRAS_PARAMETER: expected an SSM parameter name/],
    ['MWAA_REGIONS', 'us-east-1,Ireland', /MWAA_REGIONS\[1\]: expected region names/],
    ['ALERT_TOPIC_ARN', 'my-topic', /ALERT_TOPIC_ARN: expected an SNS topic ARN/],
    ['CONSISTENCY_WAIT_MS', 'soon', /CONSISTENCY_WAIT_MS/],
    ['AWS_ACCOUNT_ID', '1234', /AWS_ACCOUNT_ID: expected a 12-digit AWS account id/],
    ['HEAL_EXTRAS', 'yes', /HEAL_EXTRAS: expected true or false/],
    ['EXTRAS_PARAMETER_SHA256', 'abc', /EXTRAS_PARAMETER_SHA256: expected the SHA-256/],
    ['HEAL_ROLE_PATTERN', 'arn:aws:iam::1:role/*', /HEAL_ROLE_PATTERN: expected role\/PATH\/NAME/],
    [
      'STATE_TABLE',
      'arn:aws:dynamodb:us-east-1:111122223333:table/state',
      /STATE_TABLE: expected a DynamoDB table name/,
    ],
    ['SETTLE_SECONDS', '901', /SETTLE_SECONDS/],
    ['MAX_HEALS', '0', /MAX_HEALS/],
    ['RECONCILE_QUEUE_URL', 'reconcile.fifo', /RECONCILE_QUEUE_URL: expected an SQS queue URL/],
  ])('a bad %s is a one-line error naming the variable', (name, value, message) => {
    const run = () => loadConfig({ [name]: value })
    expect(run).toThrow(InputError)
    expect(run).toThrow(message)
    try {
      run()
    } catch (error) {
      expect((error as Error).message.split('\n')).toHaveLength(1)
    }
  })
})

describe('modeOf: the role tag, else the deployment default', () => {
  const config = {
    modeTagKey: 'mwaa-role-guard:mode',
    defaultMode: 'alert' as const,
    healRolePattern: 'role/service-role/AmazonMWAA-*',
  }
  const role = (tags: Record<string, string>, arn = 'arn:aws:iam::111122223333:role/service-role/AmazonMWAA-a') => ({
    arn,
    tags,
  })
  it.each<[Record<string, string>, string, string]>([
    [{}, 'alert', `no tag -> default (${TAGS})`],
    [{ 'mwaa-role-guard:mode': 'heal' }, 'heal', 'tag heal'],
    [
      { 'MWAA-ROLE-GUARD:MODE': 'off' },
      'off',
      `tag keys compare case-insensitively, as IAM condition keys do (${CONDITION_KEYS})`,
    ],
    [
      { 'mwaa-role-guard:mode': 'Heal' },
      'alert',
      `values are exact: the remediator's IAM policy uses StringEquals "heal" (${CONDITION_KEYS})`,
    ],
  ])('%j -> %s (%s)', (tags, mode, _doc) => {
    expect(modeOf(role(tags), config).mode).toBe(mode)
  })

  it('an unknown value warns and falls back to the default', () => {
    expect(modeOf(role({ 'mwaa-role-guard:mode': 'fix' }), config).warning).toMatch(/not one of heal, alert, off/)
  })

  it.each<[string, Record<string, string>, string]>([
    ['arn:aws:iam::111122223333:role/service-role/AmazonMWAA-prod-x1', {}, 'heal'],
    ['arn:aws:iam::111122223333:role/ci-deployer', {}, 'alert'],
    ['arn:aws:iam::111122223333:role/service-role/ci-deployer', {}, 'alert'],
    ['arn:aws:iam::111122223333:role/ci-deployer', { 'mwaa-role-guard:mode': 'heal' }, 'heal'],
    ['arn:aws:iam::111122223333:role/ci-deployer', { 'mwaa-role-guard:mode': 'Heal' }, 'alert'],
  ])(
    `DEFAULT_MODE=heal: untagged %s -> %s only inside HEAL_ROLE_PATTERN, the stack's Resource for untagged roles (${CONDITION_KEYS})`,
    (arn, tags, mode) => {
      const result = modeOf(role(tags, arn), { ...config, defaultMode: 'heal' })
      expect(result.mode).toBe(mode)
      if (Object.keys(tags).length === 0 && mode === 'alert') expect(result.note).toMatch(/outside HEAL_ROLE_PATTERN/)
    },
  )
})
