import { describe, expect, it } from 'vitest'
import type { Decision, EvaluationRequest } from '../../lib/iam/index'
import { DOC } from './docs'
import { ALLOW_ALL, decide } from './harness'

type Row = { doc: string; name: string; policies: unknown[]; request: EvaluationRequest; expected: Decision }

const allow = (Action: unknown, Resource: unknown = '*') => [{ Effect: 'Allow', Action, Resource }]
const req = (action: string, resource = '*', context?: Record<string, string>): EvaluationRequest => ({
  action,
  resource,
  context,
})

const actionRows: Row[] = [
  {
    doc: DOC.action,
    name: 'prefix and action name are case insensitive (iam:ListAccessKeys = IAM:listaccesskeys)',
    policies: [allow('iam:ListAccessKeys')],
    request: req('IAM:listaccesskeys'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: 'a lowercase policy action matches the catalogue casing',
    policies: [allow('sqs:sendmessage')],
    request: req('sqs:SendMessage'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"s3:*" applies to all S3 actions',
    policies: [allow('s3:*')],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"s3:*" does not apply to another service',
    policies: [allow('s3:*')],
    request: req('sqs:SendMessage'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.action,
    name: '"iam:*AccessKey*" matches CreateAccessKey',
    policies: [allow('iam:*AccessKey*')],
    request: req('iam:CreateAccessKey'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"iam:*AccessKey*" matches DeleteAccessKey',
    policies: [allow('iam:*AccessKey*')],
    request: req('iam:DeleteAccessKey'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"iam:*AccessKey*" matches ListAccessKeys',
    policies: [allow('iam:*AccessKey*')],
    request: req('iam:ListAccessKeys'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"iam:*AccessKey*" matches UpdateAccessKey',
    policies: [allow('iam:*AccessKey*')],
    request: req('iam:UpdateAccessKey'),
    expected: 'allowed',
  },
  {
    doc: DOC.action,
    name: '"iam:*AccessKey*" does not match ListUsers',
    policies: [allow('iam:*AccessKey*')],
    request: req('iam:ListUsers'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.action,
    name: 'one of several listed actions is enough',
    policies: [
      allow(['sqs:SendMessage', 'sqs:ReceiveMessage', 'ec2:StartInstances', 'iam:ChangePassword', 's3:GetObject']),
    ],
    request: req('ec2:StartInstances'),
    expected: 'allowed',
  },
  {
    doc: DOC.grammar,
    name: '"Action": "*" matches every action of every service',
    policies: [allow('*')],
    request: req('cloudformation:CreateStack'),
    expected: 'allowed',
  },
  {
    doc: DOC.grammar,
    name: '"s3:Get*" does not match s3:PutObject',
    policies: [allow(['s3:Get*', 's3:List*'])],
    request: req('s3:PutObject'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.grammar,
    name: 'the ? wildcard matches exactly one character',
    policies: [allow('ec2:?tartInstances')],
    request: req('ec2:StartInstances'),
    expected: 'allowed',
  },
  {
    doc: DOC.grammar,
    name: 'the ? wildcard does not match an empty string',
    policies: [allow('ec2:S?tartInstances')],
    request: req('ec2:StartInstances'),
    expected: 'implicitDeny',
  },
]

const notActionRows: Row[] = [
  {
    doc: DOC.notAction,
    name: 'Allow NotAction s3:DeleteBucket allows other S3 actions on S3 resources',
    policies: [[{ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' }]],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k'),
    expected: 'allowed',
  },
  {
    doc: DOC.notAction,
    name: 'Allow NotAction s3:DeleteBucket does not allow deleting a bucket',
    policies: [[{ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' }]],
    request: req('s3:DeleteBucket', 'arn:aws:s3:::b'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.notAction,
    name: 'it does not allow s3:ListAllMyBuckets, which needs the "*" resource',
    policies: [[{ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' }]],
    request: req('s3:ListAllMyBuckets', '*'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.notAction,
    name: 'it does not allow actions of other services on their resources',
    policies: [[{ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' }]],
    request: req('ec2:StartInstances', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.notAction,
    name: 'Allow NotAction iam:* allows every other service',
    policies: [[{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]],
    request: req('sqs:SendMessage'),
    expected: 'allowed',
  },
  {
    doc: DOC.notAction,
    name: 'Allow NotAction iam:* does not allow IAM',
    policies: [[{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]],
    request: req('iam:CreateUser'),
    expected: 'implicitDeny',
  },
  ...(['ec2:RunInstances', 's3:GetObject'] as const).map((action) => ({
    doc: DOC.notAction,
    name: `DenyAllUsersNotUsingMFA denies ${action} without MFA (BoolIfExists, key absent)`,
    policies: [
      [
        ALLOW_ALL,
        {
          Sid: 'DenyAllUsersNotUsingMFA',
          Effect: 'Deny',
          NotAction: 'iam:*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    ],
    request: req(action),
    expected: 'explicitDeny' as Decision,
  })),
  {
    doc: DOC.notAction,
    name: 'DenyAllUsersNotUsingMFA does not deny when signed in with MFA',
    policies: [
      [
        ALLOW_ALL,
        {
          Effect: 'Deny',
          NotAction: 'iam:*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    ],
    request: req('ec2:RunInstances', '*', { 'aws:MultiFactorAuthPresent': 'true' }),
    expected: 'allowed',
  },
  {
    doc: DOC.notAction,
    name: 'DenyAllUsersNotUsingMFA never denies IAM actions',
    policies: [
      [
        ALLOW_ALL,
        {
          Effect: 'Deny',
          NotAction: 'iam:*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    ],
    request: req('iam:ChangePassword'),
    expected: 'allowed',
  },
]

const REGION_DENY = {
  Sid: 'DenyAllOutsideRequestedRegions',
  Effect: 'Deny',
  NotAction: ['cloudfront:*', 'iam:*', 'route53:*', 'support:*'],
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3'] } },
}
const regionRows: Row[] = [
  {
    doc: DOC.exDenyRegion,
    name: 'an EC2 call in us-east-1 is denied',
    policies: [[ALLOW_ALL, REGION_DENY]],
    request: req('ec2:RunInstances', '*', { 'aws:RequestedRegion': 'us-east-1' }),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exDenyRegion,
    name: 'an EC2 call in eu-west-1 is not denied',
    policies: [[ALLOW_ALL, REGION_DENY]],
    request: req('ec2:RunInstances', '*', { 'aws:RequestedRegion': 'eu-west-1' }),
    expected: 'allowed',
  },
  {
    doc: DOC.exDenyRegion,
    name: 'IAM (a global service) in us-east-1 is not denied',
    policies: [[ALLOW_ALL, REGION_DENY]],
    request: req('iam:CreateUser', '*', { 'aws:RequestedRegion': 'us-east-1' }),
    expected: 'allowed',
  },
]

const OBJECTS_MATCHING = [
  '1/test/object.jpg',
  '1/2/test/object.jpg',
  '1/2/test/3/object.jpg',
  '1/2/3/test/4/object.jpg',
  '1///test///object.jpg',
  '1/test/.jpg',
  '/test/object.jpg',
  '1/test/',
]
const OBJECTS_NOT_MATCHING = ['1-test/object.jpg', 'test/object.jpg', '1/2/test.jpg']
const resourceRows: Row[] = [
  ...OBJECTS_MATCHING.map((o) => ({
    doc: DOC.resource,
    name: `"amzn-s3-demo-bucket/*/test/*" matches ${o}`,
    policies: [allow('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*/test/*')],
    request: req('s3:GetObject', `arn:aws:s3:::amzn-s3-demo-bucket/${o}`),
    expected: 'allowed' as Decision,
  })),
  ...OBJECTS_NOT_MATCHING.map((o) => ({
    doc: DOC.resource,
    name: `"amzn-s3-demo-bucket/*/test/*" does not match ${o}`,
    policies: [allow('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*/test/*')],
    request: req('s3:GetObject', `arn:aws:s3:::amzn-s3-demo-bucket/${o}`),
    expected: 'implicitDeny' as Decision,
  })),
  {
    doc: DOC.resource,
    name: 'users whose path is /accounting',
    policies: [allow('iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/*')],
    request: req('iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/ana'),
    expected: 'allowed',
  },
  {
    doc: DOC.resource,
    name: 'a user outside /accounting',
    policies: [allow('iam:GetUser', 'arn:aws:iam::111122223333:user/accounting/*')],
    request: req('iam:GetUser', 'arn:aws:iam::111122223333:user/Bob'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.resource,
    name: 'the IAM user name in Resource is case sensitive',
    policies: [allow('iam:GetUser', 'arn:aws:iam::111122223333:user/Bob')],
    request: req('iam:GetUser', 'arn:aws:iam::111122223333:user/bob'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.resource,
    name: 'one of several resources is enough',
    policies: [
      allow('dynamodb:GetItem', [
        'arn:aws:dynamodb:us-east-2:111122223333:table/books_table',
        'arn:aws:dynamodb:us-east-2:111122223333:table/magazines_table',
      ]),
    ],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/magazines_table'),
    expected: 'allowed',
  },
  {
    doc: DOC.resource,
    name: 'a table not listed',
    policies: [
      allow('dynamodb:GetItem', [
        'arn:aws:dynamodb:us-east-2:111122223333:table/books_table',
        'arn:aws:dynamodb:us-east-2:111122223333:table/magazines_table',
      ]),
    ],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/users'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.resource,
    name: 'a * that ends a segment expands beyond the colon',
    policies: [allow('logs:PutLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-env-*')],
    request: req('logs:PutLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-env-Task:log-stream:abc'),
    expected: 'allowed',
  },
  {
    doc: DOC.resource,
    name: 'resource matching is case sensitive in the bucket name',
    policies: [allow('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/*')],
    request: req('s3:GetObject', 'arn:aws:s3:::AMZN-S3-DEMO-BUCKET/k'),
    expected: 'implicitDeny',
  },
]

const HR_DENY = {
  Effect: 'Deny',
  Action: 's3:*',
  NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
}
const BUCKET_ONLY = [
  { Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::bucket-name', 'arn:aws:s3:::bucket-name/*'] },
  { Effect: 'Deny', NotAction: 's3:*', NotResource: ['arn:aws:s3:::bucket-name', 'arn:aws:s3:::bucket-name/*'] },
]
const notResourceRows: Row[] = [
  {
    doc: DOC.notResource,
    name: 'HRPayroll members keep access to the Payroll folder',
    policies: [[ALLOW_ALL, HR_DENY]],
    request: req('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/march.csv'),
    expected: 'allowed',
  },
  {
    doc: DOC.notResource,
    name: 'HRPayroll members are denied every other S3 resource',
    policies: [[ALLOW_ALL, HR_DENY]],
    request: req('s3:GetObject', 'arn:aws:s3:::HRBucket/Other/x'),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notResource,
    name: 'a new bucket is denied automatically',
    policies: [[ALLOW_ALL, HR_DENY]],
    request: req('s3:ListBucket', 'arn:aws:s3:::NewBucket'),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.notResource,
    name: 'the NotResource Deny on S3 actions does not deny EC2',
    policies: [[ALLOW_ALL, HR_DENY]],
    request: req('ec2:RunInstances', 'arn:aws:ec2:us-east-1:111122223333:instance/*'),
    expected: 'allowed',
  },
  {
    doc: DOC.notResource,
    name: 'the NotResource Deny grants nothing by itself',
    policies: [[HR_DENY]],
    request: req('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/x'),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.exS3Bucket,
    name: 'S3 actions on the named bucket are allowed',
    policies: [BUCKET_ONLY],
    request: req('s3:PutObject', 'arn:aws:s3:::bucket-name/k'),
    expected: 'allowed',
  },
  {
    doc: DOC.exS3Bucket,
    name: 'every other service is denied even when another policy allows it',
    policies: [BUCKET_ONLY, [ALLOW_ALL]],
    request: req('ec2:RunInstances', 'arn:aws:ec2:us-east-1:111122223333:instance/*'),
    expected: 'explicitDeny',
  },
  {
    doc: DOC.exS3Bucket,
    name: 'S3 on another bucket is not denied, only not allowed',
    policies: [BUCKET_ONLY],
    request: req('s3:GetObject', 'arn:aws:s3:::other-bucket/k'),
    expected: 'implicitDeny',
  },
]

const HOME = [
  { Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'], Resource: 'arn:aws:s3:::*' },
  {
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: 'arn:aws:s3:::BUCKET-NAME',
    Condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } },
  },
  {
    Effect: 'Allow',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::BUCKET-NAME/home/${aws:username}', 'arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*'],
  },
]
const statementRows: Row[] = [
  {
    doc: DOC.statement,
    name: 'listing the bucket root (empty prefix) is allowed',
    policies: [HOME],
    request: req('s3:ListBucket', 'arn:aws:s3:::BUCKET-NAME', { 's3:prefix': '', 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.statement,
    name: 'listing home/bob/ as bob is allowed',
    policies: [HOME],
    request: req('s3:ListBucket', 'arn:aws:s3:::BUCKET-NAME', { 's3:prefix': 'home/bob/', 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.statement,
    name: "listing alice's home as bob is implicitly denied",
    policies: [HOME],
    request: req('s3:ListBucket', 'arn:aws:s3:::BUCKET-NAME', { 's3:prefix': 'home/alice/', 'aws:username': 'bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.statement,
    name: 'bob may put objects in his home folder',
    policies: [HOME],
    request: req('s3:PutObject', 'arn:aws:s3:::BUCKET-NAME/home/bob/notes.txt', { 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.statement,
    name: "bob may not read alice's home folder",
    policies: [HOME],
    request: req('s3:GetObject', 'arn:aws:s3:::BUCKET-NAME/home/alice/notes.txt', { 'aws:username': 'bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.statement,
    name: 'a single statement object works like a one-element array',
    policies: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } }],
    request: req('s3:GetObject', 'arn:aws:s3:::b/k'),
    expected: 'allowed',
  },
]

const VAR_RESOURCE = (Version?: string) => ({
  ...(Version ? { Version } : {}),
  Statement: [
    {
      Effect: 'Allow',
      Action: 'dynamodb:*',
      Resource: 'arn:aws:dynamodb:us-east-2:111122223333:table/${aws:username}',
    },
  ],
})
const versionRows: Row[] = [
  {
    doc: DOC.version,
    name: '2012-10-17 resolves ${aws:username}',
    policies: [VAR_RESOURCE('2012-10-17')],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/bob', { 'aws:username': 'bob' }),
    expected: 'allowed',
  },
  {
    doc: DOC.version,
    name: '2008-10-17 treats ${aws:username} as literal text (no match for the user name)',
    policies: [VAR_RESOURCE('2008-10-17')],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/bob', { 'aws:username': 'bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.version,
    name: '2008-10-17 matches the literal "${aws:username}"',
    policies: [VAR_RESOURCE('2008-10-17')],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/${aws:username}', {
      'aws:username': 'bob',
    }),
    expected: 'allowed',
  },
  {
    doc: DOC.version,
    name: 'without Version, variables are literal too',
    policies: [VAR_RESOURCE()],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/bob', { 'aws:username': 'bob' }),
    expected: 'implicitDeny',
  },
  {
    doc: DOC.variables,
    name: 'without Version the literal text matches',
    policies: [VAR_RESOURCE()],
    request: req('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-2:111122223333:table/${aws:username}'),
    expected: 'allowed',
  },
]

describe.each([
  ['Action', actionRows],
  ['NotAction', notActionRows],
  ['NotAction with the requested-Region example', regionRows],
  ['Resource', resourceRows],
  ['NotResource', notResourceRows],
  ['Statement', statementRows],
  ['Version', versionRows],
])('policy elements: %s', (_, rows) => {
  it.each(rows)('$name — $doc', ({ policies, request, expected }) => {
    expect(decide(policies, request)).toBe(expected)
  })
})
