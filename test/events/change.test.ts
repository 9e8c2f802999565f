import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Caller, changeOf } from '../../lib/events/change'
import { toIsoTime } from '../../lib/events/cloudtrail-time'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { corpusEvent, readJson, SAMPLES, withDetail } from './corpus'

const IDENTITY =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html'
const RECORD =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html'

function parsed(event: unknown): ParsedEvent {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}

const callers: Array<[file: string, caller: Caller, doc: string]> = [
  [
    'iam-AttachRolePolicy-invictus-1.json',
    { type: 'IAMUser', arn: 'arn:aws:iam::123837392027:user/bert-jan', viaConsole: false },
    IDENTITY,
  ],
  [
    'iam-TagRole-iambic-1.json',
    {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::1234567890012:assumed-role/NoqSpoke/noq_principal_updater_user@example.com',
      roleArn: 'arn:aws:iam::1234567890012:role/NoqSpoke',
      viaConsole: false,
      mfa: false,
    },
    IDENTITY,
  ],
  [
    'iam-AttachRolePolicy-pantherSynthetic-1.json',
    {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/example-role/example-user',
      roleArn: 'arn:aws:iam::123456789012:role/example-role',
      invokedBy: 'cloudformation.amazonaws.com',
      viaConsole: false,
      mfa: true,
    },
    IDENTITY,
  ],
]

describe('changeOf: who made the call', () => {
  it.each(callers)('%s', (file, caller) => {
    expect(changeOf(parsed(corpusEvent(file))).caller).toEqual(caller)
  })

  it('a console session (sessionCredentialFromConsole "true") is flagged', () => {
    const change = changeOf(parsed(readJson(join(SAMPLES, 'iam-detach-role-policy.json'))))
    expect(change.caller.viaConsole).toBe(true)
    expect(change.caller.roleArn).toBe(
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
    )
  })

  it('carries where, when and which record', () => {
    const change = changeOf(parsed(corpusEvent('iam-DetachRolePolicy-invictus-1.json')))
    expect(change).toMatchObject({
      eventName: 'DetachRolePolicy',
      eventId: 'a1e18dc9-e6c5-4f76-83a6-52a74457e2b9',
      time: '2023-07-10T12:07:23.000Z',
      account: '123837392027',
      region: 'us-east-1',
      sourceIp: '192.168.10.20',
      description:
        'detached arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore from role stratus-red-team-usr-data-role',
    })
    expect(change.userAgent).toMatch(/^APN\/1\.0 HashiCorp/)
  })

  it(`reads a Java-style eventTime as well as ISO-8601 (an unreadable one drops the event at parse) (${RECORD})`, () => {
    const event = withDetail(corpusEvent('iam-DetachRolePolicy-invictus-1.json'), (d) => {
      d.eventTime = 'Jul 10, 2023 12:07:23 PM'
    })
    expect(changeOf(parsed(event)).time).toBe('2023-07-10T12:07:23.000Z')
  })

  it('describes a call whose cosmetic fields are missing without inventing them', () => {
    const event = withDetail(corpusEvent('iam-PutRolePolicy-invictus-1.json'), (d) => {
      d.requestParameters = { roleName: 'r' }
    })
    expect(changeOf(parsed(event)).description).toBe('put an inline policy on role r')
  })
})

describe('toIsoTime', () => {
  it.each<[text: string, iso: string | undefined, doc: string]>([
    ['2023-07-10T11:55:10Z', '2023-07-10T11:55:10.000Z', RECORD],
    ['2023-07-10T11:55:10.123Z', '2023-07-10T11:55:10.123Z', RECORD],
    ['2023-07-10T13:55:10+02:00', '2023-07-10T11:55:10.000Z', RECORD],
    ['May 31, 2023 4:56:44 AM', '2023-05-31T04:56:44.000Z', RECORD],
    ['Jul 10, 2023 12:24:07 PM', '2023-07-10T12:24:07.000Z', RECORD],
    ['Jul 10, 2023 12:24:07 AM', '2023-07-10T00:24:07.000Z', RECORD],
    ['Mar 25, 2014 8:17:37 PM', '2014-03-25T20:17:37.000Z', RECORD],
    ['2024-04-29 00:11:43+00:00', '2024-04-29T00:11:43.000Z', RECORD],
    ['Feb 30, 2023 1:00:00 AM', undefined, RECORD],
    ['13/07/2023', undefined, RECORD],
    ['', undefined, RECORD],
  ])('%s -> %s', (text, iso) => {
    expect(toIsoTime(text)).toBe(iso)
  })
})
