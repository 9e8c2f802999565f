/**
 * Issue 6, finding 2: extras decide the grant. The compiled extras in EXTRAS_PARAMETER are validated against the
 * catalogue the Lambda ships, never against the catalogue slice the parameter carries; no identity-service action, no
 * Permissions management action and no "*" resource is ever healed; heal of extras is off unless HEAL_EXTRAS turns it
 * on; a plain String parameter is refused (SecureString, or its SHA-256 pinned in EXTRAS_PARAMETER_SHA256).
 * Access levels: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * SecureString: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
 */
import { createHash } from 'node:crypto'
import { PutParameterCommand, type ParameterType, type SSMClient } from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSsmClient } from '../../lib/aws/clients'
import { COMPILED_EXTRAS_FORMAT, COMPILED_EXTRAS_VERSION } from '../../lib/baseline/compiled-extras'
import type { PolicyStatement } from '../../lib/iam/types'
import { SECRETS_ONLY_EXTRAS } from '../baseline/extras-sample'
import { run, scratch } from '../cli/support'
import { aboutEnvironment } from '../support/alert-inbox'
import { uniqueName } from '../support/names'
import { startWorld, type World } from '../support/world'

const files = scratch('security-extras')
let world: World
let ssm: SSMClient
let secretsOnly: string
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
  const compiled = await run('extras', '--extras', files.file(SECRETS_ONLY_EXTRAS, 'extras.yaml'))
  expect(compiled.code).toBe(0)
  secretsOnly = compiled.out
})
afterAll(async () => {
  ssm?.destroy()
  await world?.stop()
  files.remove()
})

async function parameter(value: string, type: ParameterType): Promise<string> {
  const name = uniqueName('/mwaa-role-guard/extras')
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }))
  return name
}

/** Compiled extras whose catalogue slice is whatever the writer of the parameter says. */
function forged(statements: PolicyStatement[], slice: Record<string, Record<string, string[]>>): string {
  return JSON.stringify({
    format: COMPILED_EXTRAS_FORMAT,
    formatVersion: COMPILED_EXTRAS_VERSION,
    source: 'extras.yaml',
    iamDataVersion: '0.0.0',
    extras: { version: 1, environments: { '*': statements } },
    catalogue: { actions: slice, arnFormats: {} },
  })
}

const written = (handled: { healWrites: Array<{ write: unknown }> }) => JSON.stringify(handled.healWrites)

describe('finding 2: extras cannot widen beyond what the Lambda verifies', () => {
  it('a slice declaring iam and sts actions: none is written, even with HEAL_EXTRAS on; the alert says they are never healed', async () => {
    const name = await parameter(
      forged([{ Sid: 'Escalate', Effect: 'Allow', Action: ['iam:*', 'sts:AssumeRole'], Resource: '*' }], {
        iam: { PassRole: ['role'], CreateAccessKey: ['user'] },
        sts: { AssumeRole: ['role'] },
      }),
      'SecureString',
    )
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard({ env: { EXTRAS_PARAMETER: name, HEAL_EXTRAS: 'true' } })
    const handled = await guard.handle(await world.as(world.callers.operator).tagRole(env.roleName, { a: 'b' }))

    expect(written(handled)).not.toMatch(/"(iam|sts):/)
    const role = await world.readRole(env.roleName)
    expect(JSON.stringify(role!.inlinePolicies)).not.toMatch(/"(iam|sts):/)
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.subject).not.toContain('(healed)')
    expect(alert?.message).toMatch(/never healed/)
  })

  it('a slice declaring an action the shipped catalogue does not know: the parameter is refused', async () => {
    const name = await parameter(
      forged([{ Effect: 'Allow', Action: 's3:GetEverything', Resource: 'arn:aws:s3:::data-bucket/*' }], {
        s3: { GetEverything: ['object'] },
      }),
      'SecureString',
    )
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard({ env: { EXTRAS_PARAMETER: name, HEAL_EXTRAS: 'true' } })
    const handled = await guard.handle(await world.as(world.callers.operator).tagRole(env.roleName, { a: 'b' }))

    expect(handled.summary.extrasSkipped).toMatch(/s3:GetEverything.*not in the IAM catalogue/)
    expect(handled.writes).toEqual([])
  })

  it('a plain String parameter is refused with a clear reason; pinned by its SHA-256 it is used', async () => {
    const name = await parameter(secretsOnly, 'String')
    const env = await world.createEnvironment({ mode: 'alert' })
    const tag = async () => world.as(world.callers.operator).tagRole(env.roleName, { a: uniqueName('b') })

    const refused = await world.guard({ env: { EXTRAS_PARAMETER: name } }).handle(await tag())
    expect(refused.summary.extrasSkipped).toMatch(/is a String parameter.*SecureString.*EXTRAS_PARAMETER_SHA256/)
    const sha256 = createHash('sha256').update(secretsOnly).digest('hex')
    const pinned = await world
      .guard({ env: { EXTRAS_PARAMETER: name, EXTRAS_PARAMETER_SHA256: sha256 } })
      .handle(await tag())
    expect(pinned.summary.extrasSkipped).toBeUndefined()
    const wrongPin = await world
      .guard({ env: { EXTRAS_PARAMETER: name, EXTRAS_PARAMETER_SHA256: '0'.repeat(64) } })
      .handle(await tag())
    expect(wrongPin.summary.extrasSkipped).toMatch(/SHA-256/)
    await world.inbox.take(aboutEnvironment(env.name), { timeoutMs: 100 })
  })

  it('heal of extras is off by default: a lost extras permission is reported as blocked, not written', async () => {
    const name = await parameter(secretsOnly, 'SecureString')
    const env = await world.createEnvironment({ mode: 'heal' })
    const guard = world.guard({ env: { EXTRAS_PARAMETER: name } })
    const handled = await guard.handle(await world.as(world.callers.operator).tagRole(env.roleName, { a: 'b' }))

    expect(handled.summary.roles[0]).toMatchObject({ result: 'blocked', writes: [] })
    expect(written(handled)).not.toContain('secretsmanager:')
    const [alert] = await world.inbox.take(aboutEnvironment(env.name))
    expect(alert?.message).toContain('heal of extras is off')
  })
})
