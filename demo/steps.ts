/**
 * The demo's story: two MWAA environments, five real drifts spread over their execution roles, and what the guard
 * is expected to make of each (the demo fails when it does something else).
 */
import { Sid } from '../lib/baseline'
import type { PolicyDocument } from '../lib/iam/types'
import type { RoleResult } from '../lib/reconcile/types'
import type { Caller, CloudTrailEvent } from '../test/support/cloudtrail-event'
import { policyOf, type WorldEnvironment } from '../test/support/environments'
import type { World } from '../test/support/world'

export type Step = {
  title: string
  /** which environment's role drifts */
  target: 'heal' | 'alert'
  who: (world: World) => Caller
  drift: (world: World, env: WorldEnvironment, who: Caller) => Promise<CloudTrailEvent>
  /** what the guard should conclude */
  expected: RoleResult['result']
  /** exit code of the re-check afterwards: 0 the role grants everything again */
  recheck: 0 | 1
}

const terraform = (world: World): Caller => ({
  kind: 'role-session',
  roleArn: `arn:aws:iam::${world.account}:role/terraform-ci`,
  session: 'gha-run-4242',
})

const freezeQueues: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'FreezeCeleryQueues', Effect: 'Deny', Action: 'sqs:*', Resource: 'arn:aws:sqs:*:*:airflow-celery-*' },
  ],
}

export const steps: Step[] = [
  {
    title: 'Detach the managed policy that grants the Celery queue and KMS',
    target: 'heal',
    who: (w) => w.callers.operator,
    drift: (w, env, who) => w.as(who).detachRolePolicy(env.roleName, env.managed[`${env.name}-queue-kms`]!.arn),
    expected: 'healed',
    recheck: 0,
  },
  {
    title: 'Delete the inline policy that grants the Airflow logs',
    target: 'alert',
    who: (w) => w.callers.admin,
    drift: (w, env, who) => w.as(who).deleteRolePolicy(env.roleName, 'logs'),
    expected: 'reported',
    recheck: 1,
  },
  {
    title: 'Narrow the DAG bucket policy to s3:GetObject on dags/ only',
    target: 'heal',
    who: terraform,
    drift: (w, env, who) => {
      const bucket = env.wire.SourceBucketArn
      return w
        .as(who)
        .putRolePolicy(
          env.roleName,
          'dag-bucket',
          policyOf([{ Sid: Sid.dagBucketRead, Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}/dags/*` }]),
        )
    },
    expected: 'healed',
    recheck: 0,
  },
  {
    title: 'Attach a policy that denies every SQS action on the Celery queues',
    target: 'alert',
    who: (w) => w.callers.operator,
    drift: async (w, env, who) =>
      w.as(who).attachRolePolicy(env.roleName, await w.createPolicy('freeze-celery-queues', freezeQueues)),
    expected: 'reported',
    recheck: 1,
  },
  {
    title: 'Replace the trust policy: only EC2 may assume the role now',
    target: 'heal',
    who: (w) => w.callers.admin,
    drift: (w, env, who) =>
      w.as(who).updateAssumeRolePolicy(env.roleName, {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Ec2Debugging',
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    expected: 'healed',
    recheck: 0,
  },
]
