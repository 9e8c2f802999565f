/**
 * Extras in the Lambda, on moto: `mwaa-role-guard extras` compiles the file, the JSON goes into an SSM parameter
 * (PutParameter, https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html), and the
 * handler over wireDeps with EXTRAS_PARAMETER reports, or heals, a role that lost a permission a DAG needs. A
 * parameter that cannot be used leaves the baseline check running, with a logged error; a fixed one takes effect once
 * the 5-minute cache expires, without a redeploy.
 */
import { PutParameterCommand, type ParameterType, type SSMClient } from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSsmClient } from '../../lib/aws/clients'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { PolicyStatement } from '../../lib/iam/types'
import { SECRETS_MANAGER_DOC } from '../baseline/extras-sample'
import { run, scratch } from '../cli/support'
import { SECRETS_ONLY_EXTRAS as EXTRAS } from '../baseline/extras-sample'
import { aboutEnvironment } from '../support/alert-inbox'
import { uniqueName } from '../support/names'
import { startWorld, type World } from '../support/world'
import { inlineOf } from './drift-vectors'

const SSM_TIERS =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html'
const GRANT: PolicyStatement = {
  Effect: 'Allow',
  Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
  Resource: 'arn:aws:secretsmanager:us-east-1:*:secret:airflow/*',
}

const files = scratch('extras-integration')
let world: World
let ssm: SSMClient
let compiled: string
beforeAll(async () => {
  world = await startWorld()
  const env = world.env
  ssm = createSsmClient({
    env,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
      sessionToken: env.AWS_SESSION_TOKEN,
    },
  })
  const result = await run('extras', '--extras', files.file(EXTRAS, 'extras.yaml'))
  expect(result.code).toBe(0)
  compiled = result.out
})
afterAll(async () => {
  ssm?.destroy()
  await world?.stop()
  files.remove()
})

async function putParameter(name: string, value: string, type: ParameterType = 'SecureString'): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Tier: 'Standard', Overwrite: true }))
}

/** An environment whose role also grants the extras in an inline policy `dag-extras`, and the operator removing it. */
async function environmentWithExtras(mode: 'alert' | 'heal') {
  const env = await world.createEnvironment({ mode })
  const operator = world.as(world.callers.operator)
  const granted = await operator.putRolePolicy(env.roleName, 'dag-extras', {
    Version: '2012-10-17',
    Statement: [GRANT],
  })
  return { env, operator, granted }
}

describe('EXTRAS_PARAMETER on moto', () => {
  it(`alert mode: a role that lost an extras permission is reported, with its feature, in the SNS alert (${SECRETS_MANAGER_DOC}; ${SSM_TIERS})`, async () => {
    const name = uniqueName('/mwaa-role-guard/extras')
    await putParameter(name, compiled)
    const { env, operator, granted } = await environmentWithExtras('alert')
    const guard = world.guard({ env: { EXTRAS_PARAMETER: name } })
    const first = await guard.handle(granted)
    expect(first.summary.roles[0]?.result).toBe('healthy')

    const handled = await guard.handle(await operator.deleteRolePolicy(env.roleName, 'dag-extras'))
    expect(handled.summary.roles[0]).toMatchObject({ result: 'reported', findings: 2 })
    expect(handled.summary.extrasSkipped).toBeUndefined()
    expect(handled.writes).toEqual([])
    const [delivered] = await world.inbox.take(aboutEnvironment(env.name))
    expect(delivered?.message).toContain('✗ Permissions your DAGs need (extras file)')
    expect(delivered?.message).toContain('baseline statement AirflowSecrets')
    expect(delivered?.message).toContain(`arn:aws:secretsmanager:us-east-1:${world.account}:secret:airflow/*`)
    // One GetParameter for the first event; the second is served by the adapter's 5-minute cache.
    const reads = (h: typeof handled) => h.calls.filter((c) => c.service === 'ssm').map((c) => c.operation)
    expect([reads(first), reads(handled)]).toEqual([['GetParameter'], []])
  })

  it('heal mode with HEAL_EXTRAS=true: the extras statement is restored, and the next event finds nothing to do', async () => {
    const name = uniqueName('/mwaa-role-guard/extras')
    await putParameter(name, compiled)
    const { env, operator } = await environmentWithExtras('heal')
    const guard = world.guard({ env: { EXTRAS_PARAMETER: name, HEAL_EXTRAS: 'true' } })
    const handled = await guard.handle(await operator.deleteRolePolicy(env.roleName, 'dag-extras'))
    expect(handled.summary.roles[0]).toMatchObject({ result: 'healed', writes: ['put-inline-policy'] })
    expect(handled.calls.filter((c) => c.service === 'ssm').map((c) => c.operation)).toEqual(['GetParameter'])

    const restored = inlineOf(await world.readRole(env.roleName), RESTORE_POLICY_NAME)
    const statements = ([] as PolicyStatement[]).concat(restored?.Statement ?? [])
    expect(statements.find((s) => s.Sid === 'AirflowSecrets')).toMatchObject({
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: [`arn:aws:secretsmanager:us-east-1:${world.account}:secret:airflow/*`],
    })
    const again = await guard.handle(await operator.tagRole(env.roleName, { owner: 'data' }))
    expect(again.summary.roles[0]?.result).toBe('healthy')
  })

  it('a malformed parameter: a logged error, a baseline-only check; once fixed, it counts after the 5-minute cache', async () => {
    const name = uniqueName('/mwaa-role-guard/extras')
    await putParameter(name, EXTRAS) // the YAML file itself, not its compiled form
    const { env, operator } = await environmentWithExtras('alert')
    const guard = world.guard({ env: { EXTRAS_PARAMETER: name } })

    const handled = await guard.handle(await operator.deleteRolePolicy(env.roleName, 'dag-extras'))
    expect(handled.summary.roles[0]?.result).toBe('healthy')
    expect(handled.summary.extrasSkipped).toBe(
      `SSM parameter ${name}: not valid JSON: expected the output of mwaa-role-guard extras`,
    )
    const errors = guard.logs.filter((l) => l.level === 'error')
    expect(errors.map((l) => [l.message, l.fields?.parameter])).toEqual([
      ['extras not checked: the extras parameter cannot be used; checking the MWAA baseline alone', name],
    ])

    await putParameter(name, compiled)
    const cached = await guard.handle(await operator.tagRole(env.roleName, { owner: 'data' }))
    expect(cached.summary.extrasSkipped).toBeDefined()
    guard.advanceClock(300_000)
    const fresh = await guard.handle(await operator.tagRole(env.roleName, { owner: 'platform' }))
    expect(fresh.summary.extrasSkipped).toBeUndefined()
    expect(fresh.summary.roles[0]).toMatchObject({ result: 'reported', findings: 2 })
  })
})
