import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { corpusEvent, loadCorpus, withDetail } from './corpus'

const RECORD =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html'
const IDENTITY =
  'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html'
const ENVELOPE = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html'
const GET_ROLE = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html'
const LIST_ENTITIES = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html'

function parsed(event: unknown): ParsedEvent {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(`ignored: ${result.reason}`)
  return result
}

function reason(event: unknown): string {
  const result = parseEvent(event)
  if (!isIgnored(result)) throw new Error(`parsed as ${result.name}`)
  return result.reason
}

// Every fixture: the call it parses to, or the reason it is ignored.
const corpusOutcomes: Array<[file: string, outcome: string | RegExp, doc: string]> = [
  ['iam-AttachRolePolicy-project-1.json', 'AttachRolePolicy', RECORD],
  ['iam-AttachRolePolicy-invictus-1.json', 'AttachRolePolicy', RECORD],
  ['iam-AttachRolePolicy-invictus-2.json', 'AttachRolePolicy', RECORD],
  ['iam-AttachRolePolicy-invictus-3.json', 'AttachRolePolicy', RECORD],
  ['iam-AttachRolePolicy-pantherSynthetic-1.json', 'AttachRolePolicy', RECORD],
  [
    'iam-AttachRolePolicy-pantherSynthetic-2.json',
    /^detail\.errorCode: 'NoSuchEntity': the AttachRolePolicy call failed/,
    RECORD,
  ],
  // Stratus records carry a fake region (anonymised by the source): the region names an MWAA host, so it is checked.
  ['iam-AttachRolePolicy-stratus-1.json', /^detail\.awsRegion: expected a region name such as us-east-1$/, RECORD],
  ['iam-CreateRole-project-1.json', /^detail\.eventName: 'CreateRole' is not a watched aws\.iam call$/, RECORD],
  ['iam-CreateRole-invictus-1.json', /^detail\.eventName: 'CreateRole'/, RECORD],
  ['iam-CreateRole-invictus-2.json', /^detail\.eventName: 'CreateRole'/, RECORD],
  ['iam-CreateRole-stratus-1.json', /^detail\.awsRegion: expected a region name such as us-east-1$/, RECORD],
  ['iam-DeleteRole-invictus-1.json', 'DeleteRole', RECORD],
  ['iam-DeleteRole-invictus-2.json', 'DeleteRole', RECORD],
  ['iam-DeleteRolePolicy-invictus-1.json', 'DeleteRolePolicy', RECORD],
  ['iam-DeleteRolePolicy-invictus-2.json', 'DeleteRolePolicy', RECORD],
  ['iam-DetachRolePolicy-invictus-1.json', 'DetachRolePolicy', RECORD],
  ['iam-DetachRolePolicy-invictus-2.json', 'DetachRolePolicy', RECORD],
  ['iam-PutRolePolicy-invictus-1.json', 'PutRolePolicy', RECORD],
  ['iam-PutRolePolicy-invictus-2.json', 'PutRolePolicy', RECORD],
  ['iam-PutRolePolicy-invictus-3.json', 'PutRolePolicy', RECORD],
  ['iam-TagRole-iambic-1.json', 'TagRole', ENVELOPE],
  ['iam-UpdateAssumeRolePolicy-project-1.json', 'UpdateAssumeRolePolicy', RECORD],
  ['iam-UpdateAssumeRolePolicy-invictus-1.json', 'UpdateAssumeRolePolicy', RECORD],
  ['iam-UpdateAssumeRolePolicy-invictus-2.json', 'UpdateAssumeRolePolicy', RECORD],
  ['iam-UpdateAssumeRolePolicy-pantherSynthetic-1.json', /^detail\.requestParameters\.roleName: missing$/, GET_ROLE],
  ['iam-UpdateAssumeRolePolicy-pantherSynthetic-2.json', /^detail\.requestParameters\.roleName: missing$/, GET_ROLE],
  [
    'iam-UpdateAssumeRolePolicy-stratus-1.json',
    /^detail\.awsRegion: expected a region name such as us-east-1$/,
    RECORD,
  ],
  [
    'mwaa-CreateEnvironment-project-1.json',
    /^detail\.errorCode: 'AccessDenied': the CreateEnvironment call failed and changed nothing$/,
    RECORD,
  ],
  ['s3-PutBucketPolicy-invictus-1.json', 'PutBucketPolicy', RECORD],
  ['s3-PutBucketPolicy-invictus-2.json', 'PutBucketPolicy', RECORD],
  ['s3-PutBucketPolicy-invictus-3.json', 'PutBucketPolicy', RECORD],
  ['s3-DeleteBucketPolicy-invictus-1.json', 'DeleteBucketPolicy', RECORD],
  ['kms-PutKeyPolicy-project-1.json', 'PutKeyPolicy', RECORD],
  ['kms-DisableKey-project-1.json', 'DisableKey', RECORD],
  ['kms-ScheduleKeyDeletion-project-1.json', 'ScheduleKeyDeletion', RECORD],
  ['kms-EnableKey-project-1.json', 'EnableKey', RECORD],
  ['kms-CancelKeyDeletion-project-1.json', 'CancelKeyDeletion', RECORD],
  ['ec2-ModifyVpcEndpoint-project-1.json', 'ModifyVpcEndpoint', RECORD],
  [
    'ec2-ModifyVpcEndpoint-project-2.json',
    /^detail\.errorCode: 'Client\.UnauthorizedOperation': the ModifyVpcEndpoint call failed/,
    RECORD,
  ],
  ['organizations-AttachPolicy-project-1.json', 'AttachPolicy', RECORD],
  [
    'organizations-AttachPolicy-project-2.json',
    /^detail\.errorCode: 'PolicyTypeNotEnabledException': the AttachPolicy call failed/,
    RECORD,
  ],
  ['organizations-DetachPolicy-project-1.json', 'DetachPolicy', RECORD],
  ['organizations-UpdatePolicy-project-1.json', 'UpdatePolicy', RECORD],
  ['organizations-DisablePolicyType-project-1.json', 'DisablePolicyType', RECORD],
]

describe('parseEvent over the corpus', () => {
  it('covers every fixture', () => {
    expect(corpusOutcomes.map(([f]) => f).sort()).toEqual(loadCorpus().map((r) => r.file))
  })

  it.each(corpusOutcomes)('%s -> %s', (file, outcome) => {
    const event = corpusEvent(file)
    if (typeof outcome === 'string') expect(parsed(event).name).toBe(outcome)
    else expect(reason(event)).toMatch(outcome)
  })
})

describe('parseEvent reads the fields alerts and targets need', () => {
  it('takes account and region from the record, and keeps identity details', () => {
    const event = parsed(corpusEvent('iam-TagRole-iambic-1.json'))
    expect(event).toMatchObject({
      account: '1234567890012', // 13 digits in the source's anonymisation: accounts are not length-checked
      region: 'us-east-1',
      eventId: '07dcf958-5664-4de1-9ff4-99c76de89fb3',
      identity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::1234567890012:assumed-role/NoqSpoke/noq_principal_updater_user@example.com',
        sessionIssuerArn: 'arn:aws:iam::1234567890012:role/NoqSpoke',
        mfaAuthenticated: false,
      },
    })
  })

  it('falls back to the EventBridge id when the record has no eventID (records before eventVersion 1.01 have none)', () => {
    const event = withDetail(corpusEvent('iam-DeleteRole-invictus-1.json'), (d) => delete d.eventID)
    expect(parsed(event).eventId).toBe('wrapped-b6864c4d-fa98-43ea-9744-de457f4e70bc')
  })

  const AUDIT_EVENT_ID =
    'https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_AuditEventResultEntry.html'
  it.each([
    ['a lone surrogate', 'b6864c4d-fa98-43ea\udc00-9744-de457f4e70bc'],
    ['129 characters', 'x'.repeat(129)],
    ['a space', 'b6864c4d fa98'],
    ['empty', ''],
  ])(
    `drops an eventID that is not 1-128 letters, digits, - and _ (%s): the EventBridge id stands in (${AUDIT_EVENT_ID})`,
    (_, id) => {
      // The summary carries it into the idempotency record, stored as DynamoDB (UTF-8) text: found by the event fuzz.
      const event = withDetail(corpusEvent('iam-DeleteRole-invictus-1.json'), (d) => {
        d.eventID = id
      })
      expect(parsed(event).eventId).toBe('wrapped-b6864c4d-fa98-43ea-9744-de457f4e70bc')
    },
  )

  it(`keeps the synthetic ids of the corpus and the tests (letters, digits, -) (${AUDIT_EVENT_ID})`, () => {
    const event = withDetail(corpusEvent('iam-DeleteRole-invictus-1.json'), (d) => {
      d.eventID = 'ct-DeleteRole_1'
    })
    expect(parsed(event).eventId).toBe('ct-DeleteRole_1')
  })

  it.each([['yesterday'], ['{"Version":"2012-10-17"}'], ['2023-07-10T12:07:25Z\ud800'], ['2023-02-30T25:00:00Z']])(
    `drops an event whose eventTime is not a time (%s): no read could be told stale from superseded (${RECORD})`,
    (time) => {
      const event = withDetail(corpusEvent('iam-DeleteRole-invictus-1.json'), (d) => {
        d.eventTime = time
      })
      expect(reason(event)).toMatch(/^detail\.eventTime: expected an ISO-8601 time such as 2026-11-28T10:01:07Z$/)
    },
  )

  it('reads the console flag written as the string "true"', () => {
    const event = withDetail(corpusEvent('iam-DeleteRole-invictus-1.json'), (d) => {
      d.sessionCredentialFromConsole = 'true'
    })
    expect(parsed(event).identity.sessionCredentialFromConsole).toBe(true)
  })

  it(`keeps a DetachRolePolicy whose policyArn IAM would refuse, without it (it is never sent to IAM) (${LIST_ENTITIES})`, () => {
    const event = withDetail(corpusEvent('iam-DetachRolePolicy-invictus-1.json'), (d) => {
      ;(d.requestParameters as Record<string, unknown>).policyArn = 'arn:aws:iam::aws:policy/\ud800'
    })
    const result = parsed(event)
    expect(result.name === 'DetachRolePolicy' && result.request.policyArn).toBeUndefined()
  })

  it('keeps a drift event whose cosmetic field is malformed, dropping that field', () => {
    const event = withDetail(corpusEvent('iam-PutRolePolicy-invictus-1.json'), (d) => {
      ;(d.requestParameters as Record<string, unknown>).policyDocument = 42
    })
    const result = parsed(event)
    expect(result.name === 'PutRolePolicy' && result.request).toEqual({
      roleName: 'stratus-red-team-ec2-get-password-data-role',
      policyName: 'inline-policy',
      policyDocument: undefined,
    })
  })
})

type Edge = [name: string, event: unknown, reason: RegExp, doc: string]
const base = corpusEvent('iam-DetachRolePolicy-invictus-1.json')

const edges: Edge[] = [
  ['not an object', 'hello', /^\(top level\): Invalid input: expected object/, ENVELOPE],
  ['null', null, /^\(top level\)/, ENVELOPE],
  [
    'a bare CloudTrail record',
    base.detail,
    /^detail-type: missing; this looks like a bare CloudTrail record/,
    ENVELOPE,
  ],
  ['no detail', { ...base, detail: undefined }, /^detail: missing$/, ENVELOPE],
  [
    'another detail-type',
    { ...base, 'detail-type': 'AWS Console Sign In via CloudTrail' },
    /^detail-type: 'AWS Console Sign In via CloudTrail' is not 'AWS API Call via CloudTrail'$/,
    ENVELOPE,
  ],
  ['an unwatched source', { ...base, source: 'aws.sqs' }, /^source: 'aws\.sqs' is not watched/, ENVELOPE],
  [
    "a watched source with another service's eventSource",
    { ...base, source: 'aws.s3' },
    /^detail\.eventSource: 'iam\.amazonaws\.com' does not belong to source 'aws\.s3'$/,
    ENVELOPE,
  ],
  [
    'an eventName with a line break',
    withDetail(base, (d) => {
      d.eventName = 'Evil\nInjected'
    }),
    /^detail\.eventName: 'Evil\\nInjected' is not a watched/,
    RECORD,
  ],
  [
    'a source named like an Object property',
    { ...base, source: 'constructor' },
    /^source: 'constructor' is not watched/,
    ENVELOPE,
  ],
  [
    'eventSource of another service',
    withDetail(base, (d) => {
      d.eventSource = 'sts.amazonaws.com'
    }),
    /^detail\.eventSource: 'sts\.amazonaws\.com' does not belong to source 'aws\.iam'$/,
    RECORD,
  ],
  ['no eventName', withDetail(base, (d) => delete d.eventName), /^detail\.eventName: missing$/, RECORD],
  [
    'no userIdentity.type',
    withDetail(base, (d) => {
      d.userIdentity = {}
    }),
    /^detail\.userIdentity\.type: missing$/,
    IDENTITY,
  ],
  [
    'requestParameters null',
    withDetail(base, (d) => {
      d.requestParameters = null
    }),
    /^detail\.requestParameters\.roleName: missing$/,
    GET_ROLE,
  ],
  [
    'a role ARN where the name belongs',
    withDetail(base, (d) => {
      ;(d.requestParameters as Record<string, unknown>).roleName = 'arn:aws:iam::1:role/x'
    }),
    /^detail\.requestParameters\.roleName: expected an IAM role name/,
    GET_ROLE,
  ],
  [
    'a role path where the name belongs',
    withDetail(base, (d) => {
      ;(d.requestParameters as Record<string, unknown>).roleName = 'service-role/x'
    }),
    /^detail\.requestParameters\.roleName: expected an IAM role name/,
    GET_ROLE,
  ],
  [
    'no account anywhere',
    withDetail({ ...base, account: undefined }, (d) => {
      delete d.recipientAccountId
      delete (d.userIdentity as Record<string, unknown>).accountId
    }),
    /^detail\.recipientAccountId: missing/,
    RECORD,
  ],
  [
    'a policy event without policyArn',
    withDetail(base, (d) => {
      d.eventName = 'CreatePolicyVersion'
      d.requestParameters = {}
    }),
    /^detail\.requestParameters\.policyArn: missing$/,
    RECORD,
  ],
  [
    'an environment event without Name',
    withDetail({ ...base, source: 'aws.airflow' }, (d) => {
      d.eventSource = 'airflow.amazonaws.com'
      d.eventName = 'DeleteEnvironment'
      d.requestParameters = {}
    }),
    /^detail\.requestParameters\.Name: missing$/,
    RECORD,
  ],
  // Only a present, non-empty errorCode marks a failed call; an empty one is neither success nor failure.
  ...(
    [
      [
        'an empty errorCode',
        '',
        /^detail\.errorCode: empty \(''\): CloudTrail writes errorCode only for a failed call/,
      ],
      [
        'a blank errorCode',
        '  ',
        /^detail\.errorCode: empty \(' {2}'\): CloudTrail writes errorCode only for a failed/,
      ],
      ['a null errorCode', null, /^detail\.errorCode: null: CloudTrail writes errorCode only for a failed call/],
      ['a numeric errorCode', 0, /^detail\.errorCode: number 0: CloudTrail writes errorCode only for a failed call/],
      ['an object errorCode', {}, /^detail\.errorCode: an object: CloudTrail writes errorCode only for a failed call/],
    ] as const
  ).map(
    ([name, code, expected]): Edge => [
      name,
      withDetail(base, (d) => {
        d.errorCode = code
      }),
      expected,
      RECORD,
    ],
  ),
  ...[
    'arn:aws:iam::123:policy/x',
    'arn:aws:iam::111122223333:role/x',
    'arn:aws:iam::111122223333:policy/a b',
    'arn:aws:iam::111122223333:policy/\ud800',
    `arn:aws:iam::111122223333:policy/${'x'.repeat(3000)}`,
  ].map(
    (policyArn): Edge => [
      `a policyArn IAM would refuse (${JSON.stringify(policyArn.slice(0, 48))})`,
      withDetail(base, (d) => {
        d.eventName = 'CreatePolicyVersion'
        d.requestParameters = { policyArn }
      }),
      /^detail\.requestParameters\.policyArn: expected an IAM policy ARN/,
      LIST_ENTITIES,
    ],
  ),
  [
    'requestParameters nested 100,000 levels deep',
    withDetail(base, (d) => {
      ;(d.requestParameters as Record<string, unknown>).extra = JSON.parse(
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      )
    }),
    /^detail\.requestParameters\.extra\[0\]\.\.\.: nested deeper than 32 levels, which no CloudTrail record is$/,
    RECORD,
  ],
  [
    'a deep value under an odd key',
    { ...base, 'a\nb': JSON.parse(`${'{"k":'.repeat(50)}1${'}'.repeat(50)}`) },
    /^'a\\nb'\.k\.k\.k\.\.\.: nested deeper than 32 levels/,
    ENVELOPE,
  ],
]

describe('parseEvent on malformed events', () => {
  it.each(edges)('%s: one line naming the field', (_name, event, expected) => {
    const text = reason(event)
    expect(text).toMatch(expected)
    expect(text).not.toContain('\n')
  })

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = parseEvent(value)
        return isIgnored(result) ? /^[^\n]+$/.test(result.reason) : typeof result.name === 'string'
      }),
    )
  })

  it('never throws on a corpus event with any one detail field replaced', () => {
    const keys = Object.keys(base.detail as object)
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), (key, value) => {
        const result = parseEvent(
          withDetail(base, (d) => {
            d[key] = value
          }),
        )
        return isIgnored(result) ? /^[^\n]+$/.test(result.reason) : result.name === 'DetachRolePolicy'
      }),
    )
  })
})
