/**
 * The packaged stack's RemediatorPolicy as IAM would read it in one account: intrinsics resolved with concrete
 * values, then asked our own evaluator (lib/iam) who may be written. Identity-policy evaluation:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { compilePolicy, evaluateRequest, type PolicyDocument } from '../../lib/iam'
import type { PackagedStack } from './package-stack'
import { view } from './template'

export const ACCOUNT = '111122223333'
export const OWN_ROLE = `arn:aws:iam::${ACCOUNT}:role/mwaa-role-guard-test-RemediatorRole-0ABCDEF12345`
export const TAG_KEY = 'aws:ResourceTag/mwaa-role-guard:mode'

/** Replaces Ref, Fn::Sub and Fn::GetAtt with the values of one deployment (us-east-1, account ACCOUNT). */
export function concrete(value: unknown, refs: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => concrete(v, refs))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  if (entries.length === 1) {
    const [fn, arg] = entries[0]!
    if (fn === 'Ref') return lookup(String(arg), refs)
    if (fn === 'Fn::GetAtt') return lookup((arg as string[]).join('.'), refs)
    if (fn === 'Fn::Sub') return String(arg).replace(/\$\{([^}]+)\}/g, (_, name: string) => String(lookup(name, refs)))
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, concrete(v, refs)]))
}

function lookup(name: string, refs: Record<string, string>): string {
  const value = refs[name]
  if (value === undefined) throw new Error(`no value for ${name} in the test deployment`)
  return value
}

/** RemediatorPolicy's document with the stack's parameter defaults, as deployed in ACCOUNT. */
export function remediatorPolicy(stack: PackagedStack): PolicyDocument {
  const v = view(stack.template)
  const refs: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': ACCOUNT,
    'RemediatorRole.Arn': OWN_ROLE,
    AlertTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:mwaa-role-guard-test-AlertTopic`,
    'AlertTopicKey.Arn': `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b5c3a4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d`,
    'FailedEventsQueue.Arn': `arn:aws:sqs:us-east-1:${ACCOUNT}:mwaa-role-guard-test-FailedEventsQueue`,
    'IngestLogGroup.Arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mwaa-role-guard-test-ingest`,
    'ReconcileLogGroup.Arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mwaa-role-guard-test-reconcile`,
    'StateTable.Arn': `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/mwaa-role-guard-test-StateTable-0ABCDEF`,
    'ReconcileQueue.Arn': `arn:aws:sqs:us-east-1:${ACCOUNT}:mwaa-role-guard-test-reconcile.fifo`,
    'SweepLogGroup.Arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/mwaa-role-guard-test-sweep`,
  }
  for (const [name, p] of Object.entries(stack.template.Parameters ?? {})) refs[name] = p.Default ?? ''
  const policy = v.resources('AWS::IAM::RolePolicy').RemediatorPolicy!
  return concrete((policy.Properties as { PolicyDocument: unknown }).PolicyDocument, refs) as PolicyDocument
}

export type WriteCase = {
  why: string
  action: string
  role: string
  /** the role's mode tag; undefined: untagged */
  tag?: string
  /** iam:PolicyARN of an AttachRolePolicy */
  policyArn?: string
  allowed: boolean
}

/** The evaluator's decision for one write the remediator might attempt. */
export function decide(policy: PolicyDocument, c: WriteCase): string {
  const compiled = compilePolicy(policy, 'RemediatorPolicy', 'identity')
  const context: Record<string, string> = {}
  if (c.tag !== undefined) context[TAG_KEY] = c.tag
  if (c.policyArn !== undefined) context['iam:PolicyARN'] = c.policyArn
  return evaluateRequest({ identity: [compiled] }, { action: c.action, resource: c.role, context }).decision
}

export const role = (path: string) => `arn:aws:iam::${ACCOUNT}:role/${path}`
const customer = `arn:aws:iam::${ACCOUNT}:policy/service-role/MWAA-Execution-Policy-prod`

/** Writes that must stay impossible whatever the default mode, and the opted-in ones that must work. */
export const COMMON_CASES: WriteCase[] = [
  { why: 'an untagged CI role', action: 'iam:PutRolePolicy', role: role('ci-deployer'), allowed: false },
  { why: 'an untagged CI role', action: 'iam:UpdateAssumeRolePolicy', role: role('ci-deployer'), allowed: false },
  {
    why: 'a role tagged off',
    action: 'iam:PutRolePolicy',
    role: role('service-role/AmazonMWAA-a'),
    tag: 'off',
    allowed: false,
  },
  {
    why: 'a role tagged alert',
    action: 'iam:AttachRolePolicy',
    role: role('service-role/AmazonMWAA-a'),
    tag: 'alert',
    policyArn: customer,
    allowed: false,
  },
  { why: 'its own role, tagged heal', action: 'iam:PutRolePolicy', role: OWN_ROLE, tag: 'heal', allowed: false },
  { why: 'its own role, tagged heal', action: 'iam:DeleteRolePolicy', role: OWN_ROLE, tag: 'heal', allowed: false },
  {
    why: 'an AWS managed policy on a role tagged heal',
    action: 'iam:AttachRolePolicy',
    role: role('exec'),
    tag: 'heal',
    policyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
    allowed: false,
  },
  {
    why: 'AdministratorAccess on a role tagged heal',
    action: 'iam:AttachRolePolicy',
    role: role('exec'),
    tag: 'heal',
    policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    allowed: false,
  },
  {
    why: "another account's policy on a role tagged heal",
    action: 'iam:AttachRolePolicy',
    role: role('exec'),
    tag: 'heal',
    policyArn: 'arn:aws:iam::999999999999:policy/x',
    allowed: false,
  },
  { why: 'a role tagged heal (opted in)', action: 'iam:PutRolePolicy', role: role('exec'), tag: 'heal', allowed: true },
  {
    why: 'a role tagged heal (opted in)',
    action: 'iam:DeleteRolePolicy',
    role: role('exec'),
    tag: 'heal',
    allowed: true,
  },
  {
    why: 'a role tagged heal (opted in)',
    action: 'iam:UpdateAssumeRolePolicy',
    role: role('exec'),
    tag: 'heal',
    allowed: true,
  },
  {
    why: 'a customer managed policy of this account on a role tagged heal',
    action: 'iam:AttachRolePolicy',
    role: role('exec'),
    tag: 'heal',
    policyArn: customer,
    allowed: true,
  },
]

/** Only under the default mode alert: untagged roles are never written. */
export const ALERT_DEFAULT_CASES: WriteCase[] = [
  {
    why: 'an untagged console-named role',
    action: 'iam:PutRolePolicy',
    role: role('service-role/AmazonMWAA-a'),
    allowed: false,
  },
]

/** Only under the default mode heal: untagged roles matching HealRolePattern, and no other. */
export const HEAL_DEFAULT_CASES: WriteCase[] = [
  {
    why: 'an untagged role outside the pattern',
    action: 'iam:PutRolePolicy',
    role: role('service-role/ci-deployer'),
    allowed: false,
  },
  {
    why: 'an untagged role matching the pattern',
    action: 'iam:PutRolePolicy',
    role: role('service-role/AmazonMWAA-a'),
    allowed: true,
  },
  {
    why: 'an untagged role matching the pattern',
    action: 'iam:AttachRolePolicy',
    role: role('service-role/AmazonMWAA-a'),
    policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    allowed: false,
  },
]
