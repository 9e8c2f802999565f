/**
 * Every watched IAM call that can change what an execution role grants, as a real call on moto, with what a user
 * sees afterwards in heal mode and in alert mode. Shared by drift-heal and drift-alert.
 * IAM API: https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html
 */
import { expect } from 'vitest'
import { Sid } from '../../lib/baseline'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'
import type { RoleResult } from '../../lib/reconcile/types'
import type { CloudTrailEvent } from '../support/cloudtrail-event'
import type { EnvironmentSpec, WorldEnvironment } from '../support/environments'
import { policyOf } from '../support/environments'
import { isSimulate, type Guard } from '../support/guard'
import type { IamActor } from '../support/iam-actor'
import type { World } from '../support/world'

export type Mode = 'heal' | 'alert'
export type Ctx = {
  world: World
  guard: Guard
  env: WorldEnvironment
  mode: Mode
  operator: IamActor
  notes: Record<string, string>
}

export type Expected = {
  result: RoleResult['result']
  /** the heal's writes, by kind */
  writes: string[]
  /** SNS attributes of the one alert delivered; null: no alert at all */
  alert: { severity: string; outcome: string; kind: string; mode: string } | null
  /** exit code of `mwaa-role-guard check --env` afterwards: 0 the role grants everything, 1 something is missing */
  recheck: 0 | 1
  /** what IAM shows afterwards */
  state?: (role: RoleState | null, c: Ctx) => void
  /** what the alert body says */
  says?: (c: Ctx) => Array<string | RegExp>
  /** the event changed the mode tag: a mode-change alert comes first (issue 6), then the one above */
  modeChange?: string
}

export type Vector = {
  name: string
  doc: string
  spec?: (mode: Mode) => EnvironmentSpec
  /** what happened before, unseen by the guard (an event lost, or handled earlier) */
  setup?: (c: Ctx) => Promise<void>
  drift: (c: Ctx) => Promise<CloudTrailEvent>
  heal: Expected
  alert: Expected
}

const API = 'https://docs.aws.amazon.com/IAM/latest/APIReference'
const statements = (d: PolicyDocument | undefined) =>
  d === undefined ? [] : Array.isArray(d.Statement) ? d.Statement : [d.Statement]
export const sidsOf = (d: PolicyDocument | undefined) => statements(d).map((s) => s.Sid)
export const inlineOf = (role: RoleState | null, name: string) =>
  role?.inlinePolicies.find((p) => p.name === name)?.document
export const attachedOf = (role: RoleState | null) => role?.attachedPolicies.map((p) => p.arn) ?? []
const statement = (env: WorldEnvironment, sid: string): PolicyStatement =>
  env.baseline.policy.Statement.find((s) => s.Sid === sid)!
const queueKms = (env: WorldEnvironment) => env.managed[`${env.name}-queue-kms`]!

/** `logs` narrowed by hand: two of the seven log actions kept, DescribeLogGroups dropped. */
const narrowedLogs = (env: WorldEnvironment) =>
  policyOf([{ ...statement(env, Sid.logs), Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }])
/** The queue policy without its KMS statement: the task queue's messages cannot be decrypted. */
const queueWithoutKms = (env: WorldEnvironment) => policyOf([statement(env, Sid.celeryQueue)])
const denyQueues: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'FreezeCeleryQueues', Effect: 'Deny', Action: 'sqs:*', Resource: 'arn:aws:sqs:*:*:airflow-celery-*' },
  ],
}
/** A boundary that lets S3, logs and metrics through, but not SQS or KMS. */
const boundary: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DataOnly', Effect: 'Allow', Action: ['s3:*', 'logs:*', 'cloudwatch:*', 'airflow:*'], Resource: '*' },
  ],
}
const brokenTrust: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Ec2Debug', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
}

const restored = (sids: string[]) => (role: RoleState | null) =>
  expect(sidsOf(inlineOf(role, RESTORE_POLICY_NAME)).sort(), `${RESTORE_POLICY_NAME} statements`).toEqual(
    [...sids].sort(),
  )
const noRestore = (role: RoleState | null) =>
  expect(inlineOf(role, RESTORE_POLICY_NAME), 'no restore policy').toBeUndefined()

const healed = (state: Expected['state'], writes = ['put-inline-policy']): Expected => ({
  result: 'healed',
  writes,
  alert: { severity: 'info', outcome: 'healed', kind: 'drift', mode: 'heal' },
  recheck: 0,
  state,
})
const reported = (state?: Expected['state'], severity = 'medium', mode = 'alert'): Expected => ({
  result: 'reported',
  writes: [],
  alert: { severity, outcome: 'reported', kind: 'drift', mode },
  recheck: 1,
  state: (role, c) => {
    noRestore(role)
    state?.(role, c)
  },
})

/** The block the role had was alerted (an incident); lifted, the incident closes with one resolved notice. */
const resolvedBy = (mode: Mode, ...words: string[]): Expected => ({
  result: 'healthy',
  writes: [],
  alert: { severity: 'info', outcome: 'resolved', kind: 'resolved', mode },
  recheck: 0,
  state: noRestore,
  says: () => ['The execution role grants everything its environment needs again', ...words],
})

/** A drift nobody told the guard about (its event was lost): the inline `logs` policy deleted. */
const lostDeletion = async (c: Ctx) => void (await c.operator.deleteRolePolicy(c.env.roleName, 'logs'))

export const vectors: Vector[] = [
  {
    name: 'PutRolePolicy narrows an inline policy',
    doc: `${API}/API_PutRolePolicy.html`,
    drift: (c) => c.operator.putRolePolicy(c.env.roleName, 'logs', narrowedLogs(c.env)),
    heal: {
      ...healed((role, c) => {
        restored([Sid.logs, Sid.describeLogGroups])(role)
        // The guard adds what is missing next to the user's policy; it never rewrites it.
        expect(inlineOf(role, 'logs'), 'the narrowed policy, left as it is').toEqual(narrowedLogs(c.env))
      }),
      says: (c) => [
        'put inline policy logs on role',
        c.world.callerArn(c.operator.caller),
        'Apache Airflow logs (CloudWatch Logs)',
        `put inline policy ${RESTORE_POLICY_NAME}`,
      ],
    },
    alert: {
      ...reported(),
      says: () => ['What is missing now', 'logs:GetLogEvents', `A heal (mwaa-role-guard:mode=heal) would:`],
    },
  },
  {
    name: 'DeleteRolePolicy removes an inline policy',
    doc: `${API}/API_DeleteRolePolicy.html`,
    drift: (c) => c.operator.deleteRolePolicy(c.env.roleName, 'dag-bucket'),
    heal: {
      ...healed(restored([Sid.dagBucketRead, Sid.accountPublicAccessBlock])),
      says: () => ['deleted inline policy dag-bucket', 'DAGs and supporting files (Amazon S3)'],
    },
    alert: reported((role) => expect(inlineOf(role, 'dag-bucket'), 'dag-bucket still deleted').toBeUndefined()),
  },
  {
    name: 'DetachRolePolicy detaches a managed policy',
    doc: `${API}/API_DetachRolePolicy.html`,
    drift: (c) => c.operator.detachRolePolicy(c.env.roleName, queueKms(c.env).arn),
    heal: {
      // The detached policy is within the baseline: re-attached as it was, nothing inline.
      ...healed(
        (role, c) => {
          expect(attachedOf(role), 'the policy attached again').toContain(queueKms(c.env).arn)
          noRestore(role)
        },
        ['attach-managed-policy'],
      ),
      says: (c) => [`re-attach managed policy ${queueKms(c.env).arn}`],
    },
    alert: {
      ...reported((role, c) => expect(attachedOf(role), 'still detached').not.toContain(queueKms(c.env).arn)),
      says: (c) => [`re-attach managed policy ${queueKms(c.env).arn}`],
    },
  },
  {
    name: 'AttachRolePolicy attaches a policy with a Deny',
    doc: `${API}/API_AttachRolePolicy.html`,
    setup: async (c) => {
      c.notes.deny = await c.world.createPolicy('freeze-queues', denyQueues)
    },
    drift: (c) => c.operator.attachRolePolicy(c.env.roleName, c.notes.deny!),
    heal: {
      result: 'blocked',
      writes: [],
      alert: { severity: 'medium', outcome: 'blocked', kind: 'drift', mode: 'heal' },
      recheck: 1,
      // Heal never removes a Deny: the policy stays attached, nothing is added.
      state: (role, c) => {
        expect(attachedOf(role), 'the Deny still attached').toContain(c.notes.deny)
        noRestore(role)
      },
      says: (c) => [
        `explicitly denied by ${c.notes.deny} statement "FreezeCeleryQueues"`,
        'heal never removes a Deny',
        c.world.callerArn(c.operator.caller),
      ],
    },
    alert: {
      ...reported((role, c) => expect(attachedOf(role), 'the Deny still attached').toContain(c.notes.deny)),
      says: (c) => [`${c.notes.deny} statement "FreezeCeleryQueues"`],
    },
  },
  {
    name: 'UpdateAssumeRolePolicy drops the Amazon MWAA principals',
    doc: `${API}/API_UpdateAssumeRolePolicy.html`,
    drift: (c) => c.operator.updateAssumeRolePolicy(c.env.roleName, brokenTrust),
    heal: {
      ...healed(
        (role) => {
          const trust = statements(role?.trustPolicy)
          // The user's statement is kept; the airflow principals come back in a statement of their own.
          expect(
            trust.find((s) => s.Sid === 'Ec2Debug'),
            'Ec2Debug kept as it was',
          ).toEqual(statements(brokenTrust)[0])
          const ours = trust.find((s) => s.Sid === 'MwaaRoleGuardAirflowTrust')
          expect(ours?.Principal, 'both airflow principals trusted').toEqual({
            Service: ['airflow-env.amazonaws.com', 'airflow.amazonaws.com'],
          })
        },
        ['update-trust-policy'],
      ),
      says: () => [
        'replaced the trust policy of role',
        'add airflow.amazonaws.com and airflow-env.amazonaws.com to the trust policy (other statements kept)',
      ],
    },
    alert: reported((role) => expect(role?.trustPolicy, 'trust left broken').toEqual(brokenTrust), 'critical'),
  },
  {
    name: 'PutRolePermissionsBoundary adds a boundary that blocks SQS and KMS',
    doc: `${API}/API_PutRolePermissionsBoundary.html`,
    setup: async (c) => {
      c.notes.boundary = await c.world.createPolicy('data-only-boundary', boundary)
    },
    drift: (c) => c.operator.putRolePermissionsBoundary(c.env.roleName, c.notes.boundary!),
    heal: {
      result: 'blocked',
      writes: [],
      alert: { severity: 'medium', outcome: 'blocked', kind: 'drift', mode: 'heal' },
      recheck: 1,
      state: (role, c) => {
        expect(role?.permissionsBoundary?.arn, 'the boundary unchanged').toBe(c.notes.boundary)
        noRestore(role)
      },
      says: (c) => [`blocked by the permissions boundary ${c.notes.boundary}`, 'heal never changes a boundary'],
    },
    alert: reported((role, c) =>
      expect(role?.permissionsBoundary?.arn, 'the boundary unchanged').toBe(c.notes.boundary),
    ),
  },
  {
    name: 'DeleteRolePermissionsBoundary lifts the block: the role is whole again, one resolved notice',
    doc: `${API}/API_DeleteRolePermissionsBoundary.html`,
    setup: async (c) => {
      const arn = await c.world.createPolicy('data-only-boundary', boundary)
      await c.guard.handle(await c.operator.putRolePermissionsBoundary(c.env.roleName, arn))
      await c.world.inbox.take((a) => a.attributes.environment === c.env.name) // the block's alert, seen earlier
    },
    drift: (c) => c.operator.deleteRolePermissionsBoundary(c.env.roleName),
    heal: resolvedBy('heal', 'removed the permissions boundary of role'),
    alert: resolvedBy('alert', 'removed the permissions boundary of role'),
  },
  {
    name: 'CreatePolicyVersion makes a narrower default version',
    doc: `${API}/API_CreatePolicyVersion.html`,
    drift: (c) => c.operator.createPolicyVersion(queueKms(c.env).arn, queueWithoutKms(c.env), true),
    heal: {
      // A managed policy may serve other roles: the guard restores inline and leaves the policy's versions alone.
      ...healed((role, c) => {
        restored([Sid.kmsAwsOwnedKey])(role)
        expect(
          role?.attachedPolicies.find((p) => p.arn === queueKms(c.env).arn)?.versionId,
          'v2 still the default',
        ).toBe('v2')
      }),
      says: () => ['created a new version of', 'and made it the default', 'Data encryption (AWS KMS)'],
    },
    alert: reported(),
  },
  {
    name: 'SetDefaultPolicyVersion makes a narrower version the default',
    doc: `${API}/API_SetDefaultPolicyVersion.html`,
    setup: async (c) => void (await c.operator.createPolicyVersion(queueKms(c.env).arn, queueWithoutKms(c.env), false)),
    drift: (c) => c.operator.setDefaultPolicyVersion(queueKms(c.env).arn, 'v2'),
    heal: { ...healed(restored([Sid.kmsAwsOwnedKey])), says: () => ['made version v2 the default of'] },
    alert: reported(),
  },
  {
    name: 'DeletePolicyVersion removes the good version after a narrower one became the default unseen',
    doc: `${API}/API_DeletePolicyVersion.html`,
    setup: async (c) => void (await c.operator.createPolicyVersion(queueKms(c.env).arn, queueWithoutKms(c.env), true)),
    drift: (c) => c.operator.deletePolicyVersion(queueKms(c.env).arn, 'v1'),
    heal: healed(restored([Sid.kmsAwsOwnedKey])),
    alert: reported(),
  },
  {
    name: 'TagRole sets the mode: existing drift is healed (heal) or only reported (alert)',
    doc: `${API}/API_TagRole.html`,
    spec: (mode) => ({ mode: mode === 'heal' ? 'alert' : 'heal' }),
    setup: lostDeletion,
    drift: (c) => c.operator.tagRole(c.env.roleName, { 'mwaa-role-guard:mode': c.mode }),
    heal: {
      ...healed(restored([Sid.logs, Sid.describeLogGroups])),
      says: () => ['tagged role', 'with mwaa-role-guard:mode=heal'],
      modeChange: 'Mode change:     unknown (not recorded) → heal',
    },
    alert: { ...reported(), modeChange: 'Mode change:     unknown (not recorded) → alert' },
  },
  {
    name: 'UntagRole: another tag (heal) or the mode tag itself (alert: the default mode applies)',
    doc: `${API}/API_UntagRole.html`,
    spec: () => ({ mode: 'heal', tags: { owner: 'data-platform' } }),
    setup: lostDeletion,
    drift: (c) => c.operator.untagRole(c.env.roleName, [c.mode === 'heal' ? 'owner' : 'mwaa-role-guard:mode']),
    heal: healed(restored([Sid.logs, Sid.describeLogGroups])),
    alert: {
      ...reported(),
      says: () => ['removed tags mwaa-role-guard:mode from role'],
      modeChange: 'Mode change:     unknown (not recorded) → alert',
    },
  },
  {
    name: 'DeleteRole of a role an environment still uses',
    doc: `${API}/API_DeleteRole.html`,
    drift: (c) => c.operator.deleteRole(c.env.roleName),
    heal: {
      result: 'role-deleted-in-use',
      writes: [],
      alert: { severity: 'critical', outcome: 'critical', kind: 'role-deleted', mode: 'alert' },
      recheck: 1,
      state: (role) => expect(role, 'the role still deleted (nothing recreated)').toBeNull(),
      says: (c) => [
        `The execution role ${c.env.roleName} was deleted`,
        'There is nothing to heal',
        'What was done: nothing',
      ],
    },
    alert: {
      result: 'role-deleted-in-use',
      writes: [],
      alert: { severity: 'critical', outcome: 'critical', kind: 'role-deleted', mode: 'alert' },
      recheck: 1,
      state: (role) => expect(role, 'the role still deleted').toBeNull(),
    },
  },
]

/** Makes the drift on a fresh environment, hands its event to a fresh guard, and checks what a user would see. */
export async function runVector(world: World, vector: Vector, mode: Mode): Promise<void> {
  const expected = vector[mode]
  const env = await world.createEnvironment(vector.spec?.(mode) ?? { mode })
  const c: Ctx = { world, guard: world.guard(), env, mode, operator: world.as(world.callers.operator), notes: {} }
  await vector.setup?.(c)
  const handled = await c.guard.handle(await vector.drift(c))

  expect(handled.summary.roles.map((r) => r.result)).toEqual([expected.result])
  expect(handled.healWrites.map((w) => w.write.kind)).toEqual(expected.writes)
  // The counter sees every IAM call on the wire: only the heal's own writes, and no simulation of any kind.
  expect(handled.writes.map((w) => w.operation)).toHaveLength(expected.writes.length)
  expect(handled.calls.filter(isSimulate)).toEqual([])

  if (expected.modeChange) {
    const [change, ...more] = await world.inbox.take(
      (a) => a.attributes.environment === env.name && a.attributes.kind === 'mode-change',
    )
    expect(more).toEqual([])
    expect(change?.message).toContain(expected.modeChange)
  }
  if (expected.alert) {
    const [alert, ...more] = await world.inbox.take((a) => a.attributes.environment === env.name)
    expect(more).toEqual([])
    expect(alert?.attributes).toMatchObject({ ...expected.alert, environment: env.name })
    // Drift notices carry their incident (id and state), so subscribers thread and filter them.
    if (expected.alert.kind === 'drift') expect(alert?.attributes.incident).toMatch(/^inc-[0-9a-f]{12}$/)
    expect(alert?.subject).toMatch(new RegExp(`^\\[${expected.alert.severity.toUpperCase()}\\] .*${env.name}`))
    for (const words of expected.says?.(c) ?? []) expect(alert?.message).toContain(words)
  } else {
    expect(await world.inbox.about(env.name)).toEqual([])
  }
  expected.state?.(await world.readRole(env.roleName), c)
  expect((await world.recheck(env)).code, 'exit code of mwaa-role-guard check --env').toBe(expected.recheck)
}
