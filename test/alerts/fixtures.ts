/** Builders for alert inputs: findings, heal writes and a CloudTrail change, shaped like the shell's. */
import type { Feature, RequiredCheck } from '../../lib/baseline/types'
import type { Finding } from '../../lib/drift/findings'
import type { HealWrite } from '../../lib/drift/plan-heal'
import type { Change } from '../../lib/events/change'
import type { StatementRef } from '../../lib/iam/types'
import type { AlertInput, BlockedFinding } from '../../lib/alerts'

export const ROLE_ARN = 'arn:aws:iam::111122223333:role/service-role/MwaaExecution'
export const QUEUE = 'arn:aws:sqs:us-east-1:*:airflow-celery-*'
export const LOG_GROUP = 'arn:aws:logs:us-east-1:111122223333:log-group:airflow-my-env-*'

export function check(feature: Feature, action: string, resource: string, statement = 'AllowSqs'): RequiredCheck {
  return { id: `${action} ${resource}`, feature, statement, action, resource, context: {} }
}

export function notGranted(feature: Feature, action: string, resource: string, statement?: string): Finding {
  return { kind: 'not-granted', environment: 'my-env', feature, check: check(feature, action, resource, statement) }
}

export function ref(policy: string, sid?: string, index = 0): StatementRef {
  return { policy, kind: 'identity', index, effect: 'Deny', ...(sid ? { sid } : {}) }
}

export function denied(feature: Feature, action: string, resource: string, by: StatementRef): Finding {
  return { kind: 'denied', environment: 'my-env', feature, check: check(feature, action, resource), by: [by] }
}

export function trustMissing(): Finding {
  return {
    kind: 'trust-missing',
    environment: 'my-env',
    feature: 'trust',
    check: {
      id: 'trust airflow.amazonaws.com',
      principal: 'airflow.amazonaws.com',
      action: 'sts:AssumeRole',
      context: {},
    },
    by: [],
  }
}

export const CHANGE: Change = {
  eventName: 'DetachRolePolicy',
  eventId: '6f8c2f1e-1111-4a2b-9c3d-0123456789ab',
  time: '2024-05-02T09:14:07Z',
  account: '111122223333',
  region: 'us-east-1',
  caller: {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/jane',
    roleArn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123',
    viaConsole: true,
    mfa: true,
  },
  sourceIp: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
  description: 'detached arn:aws:iam::111122223333:policy/MwaaSqs from role MwaaExecution',
}

export const PUT_RESTORE: HealWrite = {
  kind: 'put-inline-policy',
  policyName: 'mwaa-role-guard-restore',
  document: { Version: '2012-10-17', Statement: [] },
  restores: ['sqs:ReceiveMessage q', 'logs:PutLogEvents g'],
}

/** A drift alert on one environment: two task-queue and one logs permission missing, healed. */
export function driftInput(overrides: Partial<AlertInput> = {}): AlertInput {
  const findings = [
    notGranted('task-queue', 'sqs:ReceiveMessage', QUEUE),
    notGranted('task-queue', 'sqs:DeleteMessage', QUEUE),
    notGranted('logs', 'logs:PutLogEvents', LOG_GROUP, 'AllowLogs'),
  ]
  return {
    kind: 'drift',
    role: { arn: ROLE_ARN, name: 'MwaaExecution' },
    environments: [{ name: 'my-env', region: 'us-east-1' }],
    mode: 'heal',
    change: CHANGE,
    report: { role: ROLE_ARN, environments: ['my-env'], evaluated: 41, findings, warnings: [] },
    outcome: 'healed',
    writes: [PUT_RESTORE],
    blocked: [],
    at: '2024-05-02T09:14:12Z',
    ...overrides,
  }
}

export function blockedBy(finding: Finding, reason: string): BlockedFinding {
  return { finding, reason }
}
