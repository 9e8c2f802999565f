import { afterAll, describe, expect, it } from 'vitest'
import type { RoleState } from '../../lib/drift/types'
import { DOC } from '../drift/docs'
import { baselineOf, doc, policyWithout, roleOf } from '../drift/support'
import { authorizationDetails, environmentFile, run, scratch, type Encoding } from './support'

const files = scratch('check')
afterAll(() => files.remove())

const NAME = 'custodian-5' as const
const b = baselineOf(NAME)
const ENV = environmentFile(NAME)
const MANAGED = 'arn:aws:iam::644160558196:policy/MWAA-Execution-Policy'
const BOUNDARY = 'arn:aws:iam::644160558196:policy/mwaa-boundary'
const check = (auth: unknown, ...more: string[]) =>
  run('check', '--environment-file', ENV, '--authorization-details', files.file(auth), ...more)

describe('check reads get-account-authorization-details output', () => {
  it.each<[string, Encoding]>([
    [DOC.authDetails, 'object'],
    [DOC.authDetails, 'json'],
    [DOC.rolePolicy, 'url'],
  ])('%s: policy documents as %s', async (_doc, encoding) => {
    const role = roleOf(b, {
      inlinePolicies: [{ name: 'part1', document: policyWithout(b, 'CeleryQueue') }],
      attachedPolicies: [
        { arn: MANAGED, name: 'queue', document: doc(b.policy.Statement.find((s) => s.Sid === 'CeleryQueue')!) },
      ],
    })
    expect((await check(authorizationDetails(role, { encoding }))).code).toBe(0)
    const broken = { ...role, attachedPolicies: [] }
    const result = await check(authorizationDetails(broken, { encoding, managed: [] }))
    expect(result.code).toBe(1)
    expect(result.out).toContain('(baseline statement CeleryQueue)')
  })

  const managedRole = roleOf(b, {
    inlinePolicies: [],
    attachedPolicies: [{ arn: MANAGED, name: 'MWAA-Execution-Policy', document: b.policy }],
  })
  const versions = (defaultIs: 'v1' | 'v2') => [
    {
      arn: MANAGED,
      name: 'MWAA-Execution-Policy',
      versions: [
        {
          id: 'v1',
          document: doc({ Effect: 'Allow' as const, Action: '*', Resource: '*' }),
          default: defaultIs === 'v1',
        },
        { id: 'v2', document: policyWithout(b, 'CeleryQueue'), default: defaultIs === 'v2' },
      ],
    },
  ]

  it.each([
    [DOC.managedVersions, 'DefaultVersionId', false],
    [DOC.managedVersions, 'IsDefaultVersion (no DefaultVersionId)', true],
  ] as const)(
    '%s: a managed policy counts by its default version, found by %s; a non-default version granting more does not count',
    async (_doc, _how, omit) => {
      const drift = await check(
        authorizationDetails(managedRole, { managed: versions('v2'), omitDefaultVersionId: omit }),
        '--json',
      )
      expect(drift.code).toBe(1)
      expect(JSON.parse(drift.out).findings.map((f: { check: { statement: string } }) => f.check.statement)).toEqual(
        Array(6).fill('CeleryQueue'),
      )
      expect(
        (await check(authorizationDetails(managedRole, { managed: versions('v1'), omitDefaultVersionId: omit }))).code,
      ).toBe(0)
    },
  )

  it(`${DOC.getEnvironment}: the role checked is the environment's ExecutionRoleArn, not another role in the file`, async () => {
    const admin: RoleState = {
      ...roleOf(b, {}, doc({ Effect: 'Allow', Action: '*', Resource: '*' })),
      arn: 'arn:aws:iam::644160558196:role/admin',
      name: 'admin',
    }
    const result = await check(
      authorizationDetails(roleOf(b, {}, policyWithout(b, 'AirflowLogs')), { otherRoles: [admin] }),
      '--json',
    )
    expect(result.code).toBe(1)
    expect(JSON.parse(result.out).role).toBe(b.environment.executionRoleArn)
  })
})

describe('check --json', () => {
  it(`${DOC.mwaaRole}: a healthy role: status ok, exit 0, warnings allowed, no heal plan`, async () => {
    const result = await check(authorizationDetails(roleOf(b)), '--json')
    expect(result.code).toBe(0)
    const json = JSON.parse(result.out)
    expect(json).toMatchObject({
      status: 'ok',
      role: b.environment.executionRoleArn,
      environments: [b.environment.name],
      evaluated: b.checks.length + 2,
      findings: [],
      healPlan: null,
    })
    expect(Array.isArray(json.warnings)).toBe(true)
  })

  it.each<[string, string, Partial<RoleState>, object]>([
    [
      DOC.denyAllow,
      'denied by an inline policy statement',
      {
        inlinePolicies: [
          { name: 'execution', document: b.policy },
          {
            name: 'guardrail',
            document: doc({ Sid: 'NoQueue', Effect: 'Deny', Action: 'sqs:ReceiveMessage', Resource: '*' }),
          },
        ],
      },
      {
        kind: 'denied',
        feature: 'task-queue',
        check: { action: 'sqs:ReceiveMessage' },
        by: [{ policy: 'inline:guardrail', sid: 'NoQueue', index: 0, effect: 'Deny' }],
      },
    ],
    [
      DOC.denyAllow,
      'denied by a managed policy statement without Sid',
      {
        attachedPolicies: [
          {
            arn: MANAGED,
            name: 'guard',
            document: doc(
              { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
              { Effect: 'Deny', Action: 'airflow:PublishMetrics', Resource: '*' },
            ),
          },
        ],
      },
      {
        kind: 'denied',
        feature: 'metrics',
        check: { action: 'airflow:PublishMetrics' },
        by: [{ policy: MANAGED, index: 1, effect: 'Deny' }],
      },
    ],
    [
      DOC.boundaries,
      'blocked by the permissions boundary',
      {
        permissionsBoundary: {
          arn: BOUNDARY,
          document: doc({
            Effect: 'Allow',
            Action: ['s3:*', 'logs:*', 'sqs:*', 'kms:*', 'cloudwatch:*'],
            Resource: '*',
          }),
        },
      },
      {
        kind: 'blocked-by-boundary',
        feature: 'metrics',
        check: { action: 'airflow:PublishMetrics' },
        boundary: BOUNDARY,
      },
    ],
    [
      DOC.principal,
      'a trust principal missing',
      {
        trustPolicy: doc({
          Effect: 'Allow',
          Principal: { Service: 'airflow-env.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      },
      { kind: 'trust-missing', feature: 'trust', check: { principal: 'airflow.amazonaws.com' }, by: [] },
    ],
  ])('%s: %s', async (_doc, _title, over, finding) => {
    const result = await check(authorizationDetails(roleOf(b, over)), '--json')
    expect(result.code).toBe(1)
    const json = JSON.parse(result.out)
    expect(json.status).toBe('drift')
    expect(json.findings[0]).toMatchObject(finding)
    expect(json.healPlan).toMatchObject({ role: b.environment.executionRoleArn })
  })

  it(`${DOC.mwaaRole}: the heal plan in --json holds the documents a heal would write`, async () => {
    const result = await check(authorizationDetails(roleOf(b, {}, policyWithout(b, 'CloudWatchMetrics'))), '--json')
    const plan = JSON.parse(result.out).healPlan
    expect(plan.writes).toEqual([
      {
        kind: 'put-inline-policy',
        policyName: 'mwaa-role-guard-restore',
        document: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'CloudWatchMetrics', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'] },
          ],
        },
        restores: ['cloudwatch:PutMetricData *'],
      },
    ])
    expect(plan.blocked).toEqual([])
  })
})

describe('bad input: exit 2 and one line naming the file and the field, never a stack trace', () => {
  const role = roleOf(b)
  const good = authorizationDetails(role)
  const withRole = (patch: (r: ReturnType<typeof authorizationDetails>['RoleDetailList'][number]) => void) => {
    const auth = structuredClone(good)
    patch(auth.RoleDetailList[0]!)
    return auth
  }
  const managed = authorizationDetails(
    roleOf(b, { inlinePolicies: [], attachedPolicies: [{ arn: MANAGED, name: 'm', document: b.policy }] }),
  )

  it.each<[string, string, () => string[], RegExp]>([
    [
      DOC.authDetails,
      'a missing authorization-details file',
      () => ['--environment-file', ENV, '--authorization-details', `${files.dir}/nope.json`],
      /^mwaa-role-guard check: .*nope\.json: no such file$/,
    ],
    [
      DOC.getEnvironment,
      'a missing environment file',
      () => ['--environment-file', `${files.dir}/env.json`, '--authorization-details', files.file(good)],
      /^mwaa-role-guard check: .*env\.json: no such file$/,
    ],
    [
      DOC.authDetails,
      'a directory',
      () => ['--environment-file', ENV, '--authorization-details', files.dir],
      /: is a directory, expected a file$/,
    ],
    [
      DOC.authDetails,
      'invalid JSON (line and column)',
      () => [
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file('{\n  "RoleDetailList": [\n    oops\n  ]\n}'),
      ],
      /\.json: not valid JSON \(.* at line 3, column 5\)$/,
    ],
    [
      DOC.authDetails,
      'a truncated file',
      () => ['--environment-file', ENV, '--authorization-details', files.file('{\n  "RoleDetailList": [\n')],
      /\.json: not valid JSON \(.* at line 3, column 1\)$/,
    ],
    [
      DOC.getEnvironment,
      'an environment file without ExecutionRoleArn',
      () => [
        '--environment-file',
        files.file({
          Environment: {
            ...structuredClone(b.environment),
            Name: b.environment.name,
            Arn: b.environment.arn,
            SourceBucketArn: 'arn:aws:s3:::x',
          },
        }),
        '--authorization-details',
        files.file(good),
      ],
      /\.json: Environment\.ExecutionRoleArn: required$/,
    ],
    [
      DOC.getEnvironment,
      'an environment file that is not a GetEnvironment response',
      () => ['--environment-file', files.file([1, 2]), '--authorization-details', files.file(good)],
      /\.json: expected a GetEnvironment response/,
    ],
    [
      DOC.authDetails,
      'no role with the ExecutionRoleArn',
      () => ['--environment-file', ENV, '--authorization-details', files.file({ ...good, RoleDetailList: [] })],
      /\.json: RoleDetailList: no role with Arn arn:aws:iam::644160558196:role\/service-role\/TestStack-MwaaExecutionRole-SBLUFN7YFHRU \(the environment's ExecutionRoleArn\)$/,
    ],
    [
      DOC.authDetails,
      'no RoleDetailList at all',
      () => ['--environment-file', ENV, '--authorization-details', files.file({ Policies: [] })],
      /\.json: RoleDetailList: /,
    ],
    [
      DOC.authDetails,
      'a managed policy without its Policies entry (a --filter Role export)',
      () => ['--environment-file', ENV, '--authorization-details', files.file({ ...managed, Policies: [] })],
      /\.json: Policies: no entry for arn:aws:iam::644160558196:policy\/MWAA-Execution-Policy, used by role /,
    ],
    [
      DOC.authDetails,
      'a managed policy whose default version has no document',
      () => [
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file({ ...managed, Policies: [{ ...managed.Policies[0]!, DefaultVersionId: 'v9' }] }),
      ],
      /\.json: Policies\[0\]\.PolicyVersionList: no document for the default version of /,
    ],
    [
      DOC.rolePolicy,
      'an inline policy that is neither JSON nor URL-encoded JSON',
      () => [
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file(
          withRole((r) => ((r.RolePolicyList[0] as { PolicyDocument: unknown }).PolicyDocument = '%7B%22Version')),
        ),
      ],
      /\.json: RoleDetailList\[0\]\.RolePolicyList\[0\]\.PolicyDocument: policy document is not valid JSON$/,
    ],
    [
      DOC.rolePolicy,
      'a trust policy without Statement',
      () => [
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file(withRole((r) => (r.AssumeRolePolicyDocument = { Version: '2012-10-17' }))),
      ],
      /\.json: RoleDetailList\[0\]\.AssumeRolePolicyDocument: policy document has no Statement$/,
    ],
    [
      DOC.evaluation,
      'a statement with an invalid Effect',
      () => [
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file(
          withRole(
            (r) =>
              ((r.RolePolicyList[0] as { PolicyDocument: unknown }).PolicyDocument = doc({
                Effect: 'Maybe' as 'Allow',
                Action: '*',
                Resource: '*',
              })),
          ),
        ),
      ],
      /\.json: RoleDetailList\[0\]\.RolePolicyList\[0\]\.PolicyDocument\.Statement\[0\]\.Effect: /,
    ],
    [
      DOC.evaluation,
      'a managed policy statement without Resource',
      () => [
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file({
          ...managed,
          Policies: [
            {
              ...managed.Policies[0]!,
              PolicyVersionList: [
                {
                  ...managed.Policies[0]!.PolicyVersionList[0]!,
                  Document: doc({ Effect: 'Allow', Action: 's3:GetObject' }),
                },
              ],
            },
          ],
        }),
      ],
      /\.json: Policies\[0\]\.PolicyVersionList\[0\]\.Document\.Statement\[0\]/,
    ],
    [
      DOC.authDetails,
      'an unknown flag',
      () => ['--environment-file', ENV, '--authorization-details', files.file(good), '--verbose'],
      /^mwaa-role-guard check: Unknown option '--verbose'.* \(see mwaa-role-guard --help\)$/,
    ],
    [
      DOC.authDetails,
      'a missing --authorization-details',
      () => ['--environment-file', ENV],
      /^mwaa-role-guard check: missing required flag --authorization-details/,
    ],
    [
      DOC.getEnvironment,
      'a missing --environment-file',
      () => ['--authorization-details', files.file(good)],
      /^mwaa-role-guard check: missing required flag --environment-file/,
    ],
    [
      DOC.getEnvironment,
      'a flag without its value',
      () => ['--authorization-details', files.file(good), '--environment-file'],
      /^mwaa-role-guard check: missing value for --environment-file \(see/,
    ],
    [
      DOC.authDetails,
      'a stray positional argument',
      () => ['--environment-file', ENV, '--authorization-details', files.file(good), 'extra'],
      /^mwaa-role-guard check: Unexpected argument 'extra'/,
    ],
  ])('%s: %s', async (_doc, _title, argv, message) => {
    for (const json of [[], ['--json']]) {
      const result = await run('check', ...argv(), ...json)
      expect(result).toMatchObject({ code: 2, out: '' })
      expect(result.err).toMatch(message)
      expect(result.err).not.toContain('\n')
    }
  })

  it.each([
    [DOC.mwaaRole, ['frob'], /^mwaa-role-guard: unknown command "frob" \(commands: simulate, baseline, check/],
    [DOC.mwaaRole, [], /Usage:/],
  ])('%s: an unknown or missing command %j exits 2', async (_doc, argv, message) => {
    const result = await run(...argv)
    expect(result.code).toBe(2)
    expect(result.err + result.out).toMatch(message)
  })
})
