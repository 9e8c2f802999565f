import { describe, expect, it } from 'vitest'
import { isOwnCall } from '../../lib/events/own-call'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { corpusEvent, withDetail } from './corpus'

const IDENTITY =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html'
const NAMES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html'

function parsed(event: unknown): ParsedEvent {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}

const iambic = corpusEvent('iam-TagRole-iambic-1.json') // AssumedRole session of role NoqSpoke
const remediator = withDetail(iambic, (d) => {
  d.userIdentity = {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::1234567890012:assumed-role/mwaa-role-guard-heal/mwaa-role-guard-dev-heal',
    accountId: '1234567890012',
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::1234567890012:role/guard/mwaa-role-guard-heal' },
    },
  }
})
const noIssuer = withDetail(remediator, (d) => {
  delete (d.userIdentity as { sessionContext?: unknown }).sessionContext
})

const cases: Array<[name: string, event: unknown, own: string[], expected: boolean, doc: string]> = [
  ['the issuer role is ours', iambic, ['arn:aws:iam::1234567890012:role/NoqSpoke'], true, IDENTITY],
  ['another role', iambic, ['arn:aws:iam::1234567890012:role/mwaa-role-guard-heal'], false, IDENTITY],
  ['same role name in another account', iambic, ['arn:aws:iam::999999999999:role/NoqSpoke'], false, IDENTITY],
  ['role names compare regardless of case', iambic, ['arn:aws:iam::1234567890012:role/noqspoke'], true, NAMES],
  [
    'our role has a path; the issuer ARN keeps it',
    remediator,
    ['arn:aws:iam::1234567890012:role/guard/mwaa-role-guard-heal'],
    true,
    IDENTITY,
  ],
  [
    'our role given without its path',
    remediator,
    ['arn:aws:iam::1234567890012:role/mwaa-role-guard-heal'],
    true,
    IDENTITY,
  ],
  [
    'no sessionContext: the assumed-role ARN still names the role',
    noIssuer,
    ['arn:aws:iam::1234567890012:role/guard/mwaa-role-guard-heal'],
    true,
    IDENTITY,
  ],
  [
    'own roles given as assumed-role ARNs',
    remediator,
    ['arn:aws:sts::1234567890012:assumed-role/mwaa-role-guard-heal/x'],
    true,
    IDENTITY,
  ],
  [
    'an IAM user is never us',
    corpusEvent('iam-DetachRolePolicy-invictus-1.json'),
    ['arn:aws:iam::123837392027:role/bert-jan'],
    false,
    IDENTITY,
  ],
  [
    'a malformed session ARN without a session name (pantherSynthetic)',
    withDetail(corpusEvent('iam-UpdateAssumeRolePolicy-pantherSynthetic-1.json'), (d) => {
      d.requestParameters = { roleName: 'r' }
    }),
    ['arn:aws:iam::123456789012:role/tester'],
    true,
    IDENTITY,
  ],
  ['no own roles configured', iambic, [], false, IDENTITY],
  ['garbage in the own list', iambic, ['NoqSpoke', 'arn:aws:iam::1234567890012:user/NoqSpoke'], false, IDENTITY],
]

describe('isOwnCall', () => {
  it.each(cases)('%s', (_name, event, own, expected) => {
    expect(isOwnCall(parsed(event), own)).toBe(expected)
  })
})
