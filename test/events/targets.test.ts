import { describe, expect, it } from 'vitest'
import { isIgnored, type ParsedEvent, parseEvent } from '../../lib/events/parse-event'
import { type Target, targetsOf } from '../../lib/events/targets'
import { corpusEvent, withDetail } from './corpus'

const IAM_API = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_'

function parsed(event: unknown): ParsedEvent {
  const result = parseEvent(event)
  if (isIgnored(result)) throw new Error(result.reason)
  return result
}

const cases: Array<[file: string, targets: Target[], doc: string]> = [
  [
    'iam-AttachRolePolicy-project-1.json',
    [{ kind: 'role', roleName: 'analytics-dev-mwaa-execution' }],
    `${IAM_API}AttachRolePolicy.html`,
  ],
  [
    'iam-AttachRolePolicy-pantherSynthetic-1.json',
    [{ kind: 'role', roleName: 'LambdaFunctionRole-1111' }],
    `${IAM_API}AttachRolePolicy.html`,
  ],
  [
    'iam-DetachRolePolicy-invictus-2.json',
    [{ kind: 'role', roleName: 'stratus-red-team-ec2lui-role-pcccexdthk' }],
    `${IAM_API}DetachRolePolicy.html`,
  ],
  [
    'iam-PutRolePolicy-invictus-2.json',
    [{ kind: 'role', roleName: 'stratus-red-team-ec2-steal-credentials-role' }],
    `${IAM_API}PutRolePolicy.html`,
  ],
  [
    'iam-DeleteRolePolicy-invictus-2.json',
    [{ kind: 'role', roleName: 'stratus-red-team-get-usr-data-role' }],
    `${IAM_API}DeleteRolePolicy.html`,
  ],
  [
    'iam-UpdateAssumeRolePolicy-stratus-1.json',
    [{ kind: 'role', roleName: 'stratus-red-team-backdoor-r-role' }],
    `${IAM_API}UpdateAssumeRolePolicy.html`,
  ],
  ['iam-TagRole-iambic-1.json', [{ kind: 'role', roleName: 'test_detect_role' }], `${IAM_API}TagRole.html`],
  [
    'iam-DeleteRole-invictus-1.json',
    [{ kind: 'role-deleted', roleName: 'stratus-red-team-usr-data-role' }],
    `${IAM_API}DeleteRole.html`,
  ],
]

describe('targetsOf over the corpus', () => {
  it.each(cases)('%s', (file, targets) => {
    // Stratus records carry a fake, anonymised awsRegion; IAM records its calls in us-east-1.
    const event = withDetail(corpusEvent(file), (d) => {
      if (file.includes('stratus')) d.awsRegion = 'us-east-1'
    })
    expect(targetsOf(parsed(event))).toEqual(targets)
  })
})

describe('targetsOf for calls the corpus does not hold (edited copies of real records)', () => {
  const detach = corpusEvent('iam-DetachRolePolicy-invictus-1.json')
  const asCall = (eventName: string, requestParameters: unknown) =>
    parsed(withDetail(detach, (d) => Object.assign(d, { eventName, requestParameters })))

  it.each([
    [
      'PutRolePermissionsBoundary',
      { roleName: 'r', permissionsBoundary: 'arn:aws:iam::111122223333:policy/b' },
      { kind: 'role', roleName: 'r' },
    ],
    ['DeleteRolePermissionsBoundary', { roleName: 'r' }, { kind: 'role', roleName: 'r' }],
    ['UntagRole', { roleName: 'r', tagKeys: ['k'] }, { kind: 'role', roleName: 'r' }],
    [
      'CreatePolicyVersion',
      { policyArn: 'arn:aws:iam::111122223333:policy/p', policyDocument: '{}', setAsDefault: true },
      { kind: 'policy', policyArn: 'arn:aws:iam::111122223333:policy/p' },
    ],
    [
      'SetDefaultPolicyVersion',
      { policyArn: 'arn:aws:iam::111122223333:policy/p', versionId: 'v2' },
      { kind: 'policy', policyArn: 'arn:aws:iam::111122223333:policy/p' },
    ],
    [
      'DeletePolicyVersion',
      { policyArn: 'arn:aws:iam::111122223333:policy/p', versionId: 'v1' },
      { kind: 'policy', policyArn: 'arn:aws:iam::111122223333:policy/p' },
    ],
  ] as const)('%s (%s)', (eventName, request, target) => {
    expect(targetsOf(asCall(eventName, request))).toEqual([target])
  })

  // https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html: MWAA is regional, the call's region is the environment's
  it('a successful copy of the CreateEnvironment record names the environment in the call region', () => {
    const event = withDetail(corpusEvent('mwaa-CreateEnvironment-project-1.json'), (d) => delete d.errorCode)
    expect(targetsOf(parsed(event))).toEqual([
      {
        kind: 'environment',
        operation: 'create',
        name: 'analytics-dev',
        region: 'eu-west-1',
        executionRoleArn: 'arn:aws:iam::742180356914:role/service-role/analytics-dev-mwaa-execution',
        request: {
          Name: 'analytics-dev',
          ExecutionRoleArn: 'arn:aws:iam::742180356914:role/service-role/analytics-dev-mwaa-execution',
          SourceBucketArn: 'arn:aws:s3:::analytics-dev-airflow-742180356914',
          DagS3Path: 'dags',
        },
      },
    ])
  })

  it('an UpdateEnvironment that keeps the role has no executionRoleArn', () => {
    const event = withDetail(corpusEvent('mwaa-CreateEnvironment-project-1.json'), (d) => {
      delete d.errorCode
      d.eventName = 'UpdateEnvironment'
      d.requestParameters = { Name: 'analytics-dev', MaxWorkers: 5 }
    })
    const [target] = targetsOf(parsed(event))
    expect(target).toEqual({
      kind: 'environment',
      operation: 'update',
      name: 'analytics-dev',
      region: 'eu-west-1',
      request: { Name: 'analytics-dev' },
    })
  })
})
