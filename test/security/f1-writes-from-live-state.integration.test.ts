/**
 * Issue 6, finding 1: writes driven by event contents. A CreateEnvironment/UpdateEnvironment request may drive a
 * preflight alert, never a write; a heal's baseline comes only from the environment as GetEnvironment describes it,
 * every value validated against the deployment first; a restore policy is rewritten to exactly what is still missing.
 * https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html, https://docs.aws.amazon.com/mwaa/latest/API/API_UpdateEnvironment.html
 */
import { PutRolePolicyCommand } from '@aws-sdk/client-iam'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sid } from '../../lib/baseline'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { PolicyDocument } from '../../lib/iam/types'
import { sweep } from '../../lib/reconcile/sweep'
import { aboutEnvironment } from '../support/alert-inbox'
import type { Caller } from '../support/cloudtrail-event'
import { describeEnvironment } from '../support/environments'
import { createEnvironmentEvent, mwaaCallEvent } from '../support/mwaa-calls'
import { uniqueName } from '../support/names'
import { startWorld, type World } from '../support/world'

let world: World
beforeAll(async () => {
  world = await startWorld()
})
afterAll(async () => {
  await world?.stop()
})

/** Someone with airflow:CreateEnvironment and iam:PassRole, or a forged event on the bus: the request is theirs. */
const attacker = (): Caller => ({ kind: 'user', arn: `arn:aws:iam::${world.account}:user/limited-dev` })
const ec2Only: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
}

describe('finding 1: a request never decides what is written', () => {
  it('a forged CreateEnvironment naming a role in another account: the local role of that name gets nothing; the data is refused in an alert', async () => {
    const local = await world.unusedRole({ mode: 'heal' })
    await world.as(world.callers.operator).updateAssumeRolePolicy(local.roleName, ec2Only)
    const name = uniqueName('forged')
    const wire = describeEnvironment(name, `arn:aws:iam::999999999999:role/service-role/${local.roleName}`)
    const handled = await world.guard().handle(createEnvironmentEvent(world.account, attacker(), wire))

    expect(handled.writes).toEqual([])
    const trust = (await world.readRole(local.roleName))!.trustPolicy
    expect(JSON.stringify(trust)).not.toContain('airflow')
    const [alert] = await world.inbox.take(aboutEnvironment(name))
    expect(alert?.message).toContain(
      `environment data refused: ExecutionRoleArn, arn:aws:iam::999999999999:role/service-role/${local.roleName}`,
    )
    expect(alert?.subject).not.toContain('(healed)')
  })

  it('SourceBucketArn arn:aws:s3:::* and KmsKey * in a CreateEnvironment: no grant on every bucket or every key', async () => {
    const role = await world.unusedRole({ mode: 'heal' })
    const name = uniqueName('wildcards')
    const wire = { ...describeEnvironment(name, role.roleArn), SourceBucketArn: 'arn:aws:s3:::*', KmsKey: '*' }
    const handled = await world.guard().handle(createEnvironmentEvent(world.account, attacker(), wire))

    expect(handled.writes).toEqual([])
    const after = await world.readRole(role.roleName)
    expect(after!.inlinePolicies.map((p) => p.name)).not.toContain(RESTORE_POLICY_NAME)
    const [alert] = await world.inbox.take(aboutEnvironment(name))
    expect(alert?.message).toContain('environment data refused: SourceBucketArn, arn:aws:s3:::*')
  })

  it('an UpdateEnvironment naming another bucket: a preflight alert, no read granted on that bucket', async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const event = mwaaCallEvent(world.account, attacker(), 'UpdateEnvironment', {
      Name: env.name,
      SourceBucketArn: 'arn:aws:s3:::attacker-exfiltration',
    })
    const handled = await world.guard().handle(event)

    expect(handled.writes).toEqual([])
    const after = await world.readRole(env.roleName)
    expect(JSON.stringify(after!.inlinePolicies)).not.toContain('attacker-exfiltration')
    const alerts = await world.inbox.take(aboutEnvironment(env.name))
    expect(alerts.map((a) => a.attributes.kind)).toEqual(['preflight'])
    expect(alerts[0]?.attributes.outcome).toBe('reported')
    expect(alerts[0]?.message).toContain('arn:aws:s3:::attacker-exfiltration')
  })

  it('a grant an earlier heal left for a bucket no environment uses any more is pruned by the next reconcile', async () => {
    const env = await world.createEnvironment({ mode: 'heal' })
    const leftover = {
      Sid: Sid.dagBucketRead,
      Effect: 'Allow' as const,
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::attacker-exfiltration/*'],
    }
    // As an earlier (pre-fix) heal wrote it: the restore policy, merged, never pruned.
    await world.iam.send(
      new PutRolePolicyCommand({
        RoleName: env.roleName,
        PolicyName: RESTORE_POLICY_NAME,
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [leftover] }),
      }),
    )
    const guard = world.guard()
    const summary = await sweep(guard.deps)

    expect(summary.roles.find((r) => r.role === env.roleName)).toMatchObject({ writes: ['delete-inline-policy'] })
    const after = await world.readRole(env.roleName)
    expect(after!.inlinePolicies.map((p) => p.name)).not.toContain(RESTORE_POLICY_NAME)
    // Every write is alerted: the prune too.
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.attributes.outcome).toBe('healed')
    expect(alert?.message).toContain(`delete inline policy ${RESTORE_POLICY_NAME}`)
    expect(alert?.subject).toContain('restore policy pruned (healed)')
  })

  it('check --env (the re-check an alert suggests) refuses the same data, naming the field', async () => {
    const env = await world.createEnvironment()
    world.mwaa.put({ ...env.wire, SourceBucketArn: 'arn:aws:s3:::*' })
    const { code, output } = await world.recheck(env)
    expect(code).toBe(1)
    expect(output).toContain(`Environment ${env.name}: environment data refused: SourceBucketArn, arn:aws:s3:::*`)
  })
})
