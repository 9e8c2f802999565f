/**
 * An event must come from the deployment's account (both the EventBridge `account` and CloudTrail's
 * `recipientAccountId`) and from a watched region: MWAA_REGIONS for MWAA, the partition's IAM region for IAM (issue 6).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { describe, expect, it } from 'vitest'
import { originProblem } from '../../lib/events/origin'
import { isIgnored, parseEvent, type ParsedEvent } from '../../lib/events/parse-event'
import { corpusEvent, withDetail } from './corpus'

const ENVELOPE = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html'
const RECORD =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html'
const IAM_REGION = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html'

// The corpus's one real EventBridge envelope: a TagRole in account 1234567890012's records, us-east-1.
const real = corpusEvent('iam-TagRole-iambic-1.json') as Record<string, unknown> & { detail: Record<string, unknown> }
const account = String(real.account)
const deployment = { partition: 'aws', accountId: account, regions: ['us-east-1'] }
const parsed = (event: unknown): ParsedEvent => {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}
const mwaa = (region: string) =>
  withDetail(corpusEvent('mwaa-CreateEnvironment-project-1.json'), (d) => {
    delete d.errorCode
    d.awsRegion = region
    d.recipientAccountId = account
  })

describe('originProblem', () => {
  it(`${ENVELOPE}: the real envelope, deployed in its own account, is this deployment's`, () => {
    expect(originProblem(parsed(real), deployment)).toBeUndefined()
  })

  it.each<[string, string, unknown, RegExp]>([
    [ENVELOPE, 'another EventBridge account', { ...real, account: '999999999999' }, /^account: '999999999999'/],
    [ENVELOPE, 'no EventBridge account', { ...real, account: undefined }, /^account: missing/],
    [
      RECORD,
      'another recipientAccountId',
      withDetail(real, (d) => (d.recipientAccountId = '999999999999')),
      /^detail\.recipientAccountId: '999999999999'/,
    ],
    [
      RECORD,
      'no recipientAccountId',
      withDetail(real, (d) => delete d.recipientAccountId),
      /^detail\.recipientAccountId: missing/,
    ],
    [
      IAM_REGION,
      'an IAM call from another region',
      withDetail(real, (d) => (d.awsRegion = 'eu-west-1')),
      /is not us-east-1, where IAM records/,
    ],
  ])('%s: %s is dropped', (_doc, _name, event, reason) => {
    expect(originProblem(parsed(event), deployment)).toMatch(reason)
  })

  it(`${RECORD}: an MWAA call from a region MWAA_REGIONS does not list is dropped`, () => {
    const event = { ...mwaa('eu-west-1'), account }
    expect(originProblem(parsed(event), deployment)).toMatch(/'eu-west-1' is not one of MWAA_REGIONS \(us-east-1\)/)
    expect(originProblem(parsed(event), { ...deployment, regions: ['eu-west-1'] })).toBeUndefined()
  })

  it(`${RECORD}: a region that is not a region name never gets past the parser (it names an MWAA host)`, () => {
    const event = withDetail(real, (d) => (d.awsRegion = 'evil.example/x#'))
    const result = parseEvent(event)
    expect(isIgnored(result) && result.reason).toBe('detail.awsRegion: expected a region name such as us-east-1')
  })
})
