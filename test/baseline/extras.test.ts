import { describe, expect, it } from 'vitest'
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import { ExtrasParseError } from '../../lib/baseline/errors'
import { extrasFor, parseExtras } from '../../lib/baseline/extras'
import { baselineCatalogue } from '../../lib/catalogue/baseline-catalogue'
import { loadFullCatalogue } from '../../lib/catalogue/load-full'
import { compilePolicy, evaluateRequest } from '../../lib/iam'
import { DOC, sample } from './corpus'

const full = loadFullCatalogue()
const ADD = `${DOC.role} (How to add permission to use other AWS services)`

const YAML_FILE = `
version: 1
environments:
  "*":
    # the doc's Secrets Manager example
    - Effect: Allow
      Action:
        - secretsmanager:GetResourcePolicy
        - secretsmanager:GetSecretValue
        - secretsmanager:DescribeSecret
        - secretsmanager:ListSecretVersionIds
      Resource: "*"
  mwaa-2-8-1-public-primary:
    - Sid: ReadLandingZone
      Effect: Allow
      Action: [s3:GetObject*, s3:ListBucket]
      Resource:
        - arn:\${Partition}:s3:::landing-\${Account}
        - arn:\${Partition}:s3:::landing-\${Account}/*
    - Effect: Allow
      Action: sqs:SendMessage
      Resource: arn:aws:sqs:\${Region}:\${Account}:results
      Condition:
        StringEquals:
          aws:ResourceTag/team: [data, ml]
`

const JSON_FILE = JSON.stringify({
  version: 1,
  environments: {
    '*': [
      {
        Effect: 'Allow',
        Action: [
          'secretsmanager:GetResourcePolicy',
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:ListSecretVersionIds',
        ],
        Resource: ['*'],
      },
    ],
  },
})

describe('parseExtras: valid files', () => {
  it(`${ADD}: YAML with shared and per-environment statements`, () => {
    const file = parseExtras(YAML_FILE, 'extras.yaml', full)
    const mine = extrasFor(file, 'mwaa-2-8-1-public-primary')
    expect(mine.map((e) => e.sid)).toEqual(['ExtraShared1', 'ReadLandingZone', 'ExtraEnv2'])
    expect(extrasFor(file, 'another-env').map((e) => e.sid)).toEqual(['ExtraShared1'])
    expect(mine[1]!.actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']))
  })

  it(`${ADD}: the same statement in JSON gives the same extras`, () => {
    const fromJson = extrasFor(parseExtras(JSON_FILE, 'extras.json', full), 'x')
    const fromYaml = extrasFor(parseExtras(YAML_FILE, 'extras.yaml', full), 'x')
    expect(fromJson.map((e) => [e.actions, e.statement.Resource])).toEqual(fromYaml.map((e) => [e.actions, ['*']]))
  })
})

describe('parseExtras: errors are one line naming the file and the field', () => {
  const statement = (body: string) => `version: 1\nenvironments:\n  my-env:\n    - ${body.replace(/\n/g, '\n      ')}\n`
  it.each([
    [
      'a typo in an action',
      statement('Effect: Allow\nAction: [secretsmanager:GetSecretValue, secretsmanager:GetSecretValu]\nResource: "*"'),
      'extras.yaml: environments.my-env[0].Action[1]: unknown action "secretsmanager:GetSecretValu" (did you mean secretsmanager:GetSecretValue?)',
    ],
    [
      'a typo in the service',
      statement('Effect: Allow\nAction: secretmanager:GetSecretValue\nResource: "*"'),
      'extras.yaml: environments.my-env[0].Action: unknown service "secretmanager" in "secretmanager:GetSecretValue" (did you mean secretsmanager:GetSecretValue?)',
    ],
    [
      'a Deny statement',
      statement('Effect: Deny\nAction: s3:DeleteObject\nResource: "*"'),
      'extras.yaml: environments.my-env[0].Effect: Deny is not supported: extras list what the role must allow (keep Deny statements in the role itself)',
    ],
    [
      'a wildcard that expands to nothing',
      statement('Effect: Allow\nAction: [sqs:Recieve*]\nResource: "*"'),
      'extras.yaml: environments.my-env[0].Action[0]: "sqs:Recieve*" matches no action in the IAM catalogue',
    ],
    [
      'a bucket name instead of an ARN',
      statement('Effect: Allow\nAction: s3:GetObject\nResource: [my-bucket/*]'),
      'extras.yaml: environments.my-env[0].Resource[0]: expected "*" or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), got "my-bucket/*"',
    ],
    [
      'NotAction',
      statement('Effect: Allow\nNotAction: s3:DeleteObject\nAction: s3:GetObject\nResource: "*"'),
      'extras.yaml: environments.my-env[0].NotAction: not supported: list the actions the role needs in Action',
    ],
    [
      'an unsupported condition operator',
      statement('Effect: Allow\nAction: s3:GetObject\nResource: "*"\nCondition: {Bool: {aws:SecureTransport: true}}'),
      'extras.yaml: environments.my-env[0].Condition.Bool: unsupported condition operator (supported: StringEquals, StringLike)',
    ],
    [
      'an unknown placeholder',
      statement('Effect: Allow\nAction: s3:GetObject\nResource: "arn:aws:s3:::b-${aws:username}/*"'),
      'extras.yaml: environments.my-env[0].Resource: unknown placeholder "${aws:username}" (supported: ${Partition}, ${Region}, ${Account}, ${EnvironmentName})',
    ],
    [
      'every action',
      statement('Effect: Allow\nAction: "*"\nResource: "*"'),
      'extras.yaml: environments.my-env[0].Action: "*" (every action) is not supported: name the actions your DAGs need',
    ],
    [
      'a baseline Sid',
      statement('Sid: AirflowLogs\nEffect: Allow\nAction: s3:GetObject\nResource: "*"'),
      'extras.yaml: environments.my-env[0].Sid: "AirflowLogs" is reserved for the baseline',
    ],
    [
      'an invalid environment name',
      'version: 1\nenvironments:\n  "my env": []\n',
      'extras.yaml: environments.my env: expected "*" or an MWAA environment name',
    ],
    ['a wrong version', 'version: 2\nenvironments: {}\n', 'extras.yaml: version: expected 1'],
    [
      'a YAML syntax error',
      'version: 1\nenvironments: [\n',
      'extras.yaml: line 3: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ])(`${ADD}: %s`, (_case, text, message) => {
    let error: unknown
    try {
      parseExtras(text, 'extras.yaml', full)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ExtrasParseError)
    expect((error as Error).message).toBe(message)
    expect((error as Error).message).not.toContain('\n')
  })

  it(`${ADD}: duplicate Sids across the shared and an environment's statements`, () => {
    const text =
      'version: 1\nenvironments:\n  "*":\n    - {Sid: Secrets, Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "*"}\n' +
      '  my-env:\n    - {Sid: Secrets, Effect: Allow, Action: secretsmanager:DescribeSecret, Resource: "*"}\n'
    expect(() => parseExtras(text, 'extras.yaml', full)).toThrow(
      'extras.yaml: environments.my-env[0]: duplicate Sid "Secrets"',
    )
  })
})

describe('deriveBaseline with extras', () => {
  const env = sample('mwaaDR-1')
  const extras = extrasFor(parseExtras(YAML_FILE, 'extras.yaml', full), env.Name)
  const b = deriveBaseline(env, { catalogue: full, extras })
  const extraChecks = b.checks.filter((c) => c.feature === 'extra')

  it(`${ADD}: the doc's Secrets Manager example is four checks on "*"`, () => {
    const secrets = extraChecks.filter((c) => c.statement === 'ExtraShared1')
    expect(secrets.map((c) => `${c.action} ${c.resource}`)).toEqual([
      'secretsmanager:GetResourcePolicy *',
      'secretsmanager:GetSecretValue *',
      'secretsmanager:DescribeSecret *',
      'secretsmanager:ListSecretVersionIds *',
    ])
  })

  it(`${DOC.s3}: placeholders are filled, and object actions go to the object ARN only`, () => {
    const landing = extraChecks.filter((c) => c.statement === 'ReadLandingZone')
    expect(landing.filter((c) => c.action === 's3:ListBucket').map((c) => c.resource)).toEqual([
      'arn:aws:s3:::landing-123456789999',
    ])
    expect(landing.filter((c) => c.action === 's3:GetObject').map((c) => c.resource)).toEqual([
      'arn:aws:s3:::landing-123456789999/*',
    ])
  })

  it(`${DOC.conditions}: each StringEquals value is one context`, () => {
    const send = extraChecks.filter((c) => c.statement === 'ExtraEnv2')
    expect(send.map((c) => c.context)).toEqual([{ 'aws:ResourceTag/team': 'data' }, { 'aws:ResourceTag/team': 'ml' }])
    expect(send[0]!.resource).toBe('arn:aws:sqs:us-east-1:123456789999:results')
  })

  it(`${ADD}: the extras statements join the policy, which grants every check`, () => {
    expect(b.policy.Statement.map((s) => s.Sid)).toEqual(
      expect.arrayContaining(['ExtraShared1', 'ReadLandingZone', 'ExtraEnv2']),
    )
    const compiled = compilePolicy(b.policy, 'role', 'identity')
    const denied = b.checks.filter((c) => evaluateRequest({ identity: [compiled] }, c).decision !== 'allowed')
    expect(denied).toEqual([])
  })

  it(`${DOC.s3}: actions that cannot apply to any of the statement's resources are reported, not checked`, () => {
    const text =
      'version: 1\nenvironments:\n  "*":\n    - {Effect: Allow, Action: [s3:GetObject, s3:ListAllMyBuckets], Resource: "arn:aws:s3:::b/*"}\n'
    const only = deriveBaseline(env, {
      catalogue: full,
      extras: extrasFor(parseExtras(text, 'extras.yaml', full), env.Name),
    })
    expect(only.checks.filter((c) => c.feature === 'extra').map((c) => c.action)).toEqual(['s3:GetObject'])
    expect(only.warnings).toEqual([
      "extras.yaml: environments.*[0]: 1 of 2 actions cannot apply to the statement's resources (by their resource types), so they are not checked: s3:ListAllMyBuckets",
    ])
  })

  it(`${ADD}: with the shipped subset (no secretsmanager), extras validated elsewhere are still checked`, () => {
    const subset = deriveBaseline(env, { catalogue: baselineCatalogue(), extras })
    expect(subset.checks.filter((c) => c.statement === 'ExtraShared1')).toHaveLength(4)
  })
})
