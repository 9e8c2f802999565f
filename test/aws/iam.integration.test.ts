/** The IAM adapter over the real wire, against moto. */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createIamClient } from '../../lib/aws/clients'
import { createIamAdapter, roleNameFromArn, type IamAdapter } from '../../lib/aws/iam'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument } from '../../lib/iam/types'
import { startMoto, type Moto } from '../support/moto'
import { openMotoAccount, type MotoAccount } from '../support/moto-account'
import { uniqueName } from '../support/names'

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    },
  ],
}
const allow = (Action: string, Resource: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action, Resource }],
})
// '+', spaces and '*' survive URL-encoding only if decoding is RFC 3986 (no '+' -> space).
const trickyResource = 'arn:aws:s3:::dags-bucket/a+b c/*'

let moto: Moto
let client: IAMClient
let counter: ApiCallCounter
let iam: IamAdapter
let account: MotoAccount

async function createManaged(name: string, document: object): Promise<string> {
  const out = await client.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: JSON.stringify(document) }))
  return out.Policy!.Arn!
}

/** A role under /service-role/ with 2 inline and 2 managed policies (and optionally a boundary and tags). */
async function createRole(options: { boundaryArn?: string; tags?: Record<string, string> } = {}) {
  const roleName = uniqueName('exec')
  await client.send(
    new CreateRoleCommand({
      RoleName: roleName,
      Path: '/service-role/',
      AssumeRolePolicyDocument: JSON.stringify(trust),
      ...(options.boundaryArn ? { PermissionsBoundary: options.boundaryArn } : {}),
      Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    }),
  )
  for (const [name, doc] of [
    ['dags', allow('s3:GetObject', trickyResource)],
    ['logs', allow('logs:PutLogEvents', 'arn:aws:logs:*:*:log-group:airflow-*')],
  ] as const) {
    await client.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: name, PolicyDocument: JSON.stringify(doc) }),
    )
  }
  const managed = [
    await createManaged(uniqueName('queue'), allow('sqs:SendMessage', 'arn:aws:sqs:*:*:airflow-celery-*')),
    await createManaged(uniqueName('metrics'), allow('cloudwatch:PutMetricData', '*')),
  ]
  for (const arn of managed) await client.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }))
  return { roleName, managed }
}

async function found(roleName: string): Promise<RoleState> {
  const result = await iam.readRole(roleName)
  if (result.kind !== 'found') throw new Error(`${roleName} not found`)
  return result.role
}

beforeAll(async () => {
  moto = await startMoto()
  // An account of its own: CI's shared moto holds every suite's roles, and moto's ListEntitiesForPolicy looks only at
  // the first 100 roles of an account (see test/support/moto-account.ts).
  account = await openMotoAccount(moto.endpoint)
  counter = new ApiCallCounter()
  client = createIamClient({ env: { AWS_ENDPOINT_URL_IAM: moto.endpoint }, credentials: account, counter })
  iam = createIamAdapter(client)
})
afterAll(async () => {
  await moto?.stop()
})

describe('readRole against moto', () => {
  it('decodes the URL-encoded trust and inline documents exactly', async () => {
    // GetRole/GetRolePolicy return documents URL-encoded: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
    const { roleName } = await createRole()
    const role = await found(roleName)
    expect(role.trustPolicy).toEqual(trust)
    expect(role.inlinePolicies.map((p) => p.name).sort()).toEqual(['dags', 'logs'])
    expect(role.inlinePolicies.find((p) => p.name === 'dags')?.document).toEqual(allow('s3:GetObject', trickyResource))
  })

  it('keeps the service-role/ path in the ARN and the bare name', async () => {
    const { roleName } = await createRole()
    const role = await found(roleName)
    expect(role.arn).toBe(`arn:aws:iam::${account.accountId}:role/service-role/${roleName}`)
    expect(role.name).toBe(roleName)
    expect(roleNameFromArn(role.arn)).toBe(roleName)
  })

  it('reads managed policies at their default version, boundary and tags', async () => {
    const boundaryArn = await createManaged(uniqueName('boundary'), allow('*', '*'))
    const { roleName, managed } = await createRole({
      boundaryArn,
      tags: { 'mwaa-role-guard:heal': 'true', team: 'data' },
    })
    // Changing a managed policy creates a new version; the role is governed by the default one.
    await client.send(
      new CreatePolicyVersionCommand({
        PolicyArn: managed[0],
        PolicyDocument: JSON.stringify(allow('sqs:*', 'arn:aws:sqs:*:*:airflow-celery-*')),
        SetAsDefault: true,
      }),
    )
    const role = await found(roleName)
    const queue = role.attachedPolicies.find((p) => p.arn === managed[0])
    expect(queue?.versionId).toBe('v2')
    expect(queue?.document).toEqual(allow('sqs:*', 'arn:aws:sqs:*:*:airflow-celery-*'))
    expect(role.attachedPolicies.map((p) => p.arn).sort()).toEqual([...managed].sort())
    expect(role.permissionsBoundary).toEqual({ arn: boundaryArn, document: allow('*', '*') })
    expect(role.tags).toEqual({ 'mwaa-role-guard:heal': 'true', team: 'data' })
  })

  it('reports a role that does not exist as not-found', async () => {
    const missing = uniqueName('deleted')
    expect(await iam.readRole(missing)).toEqual({ kind: 'not-found', roleName: missing })
  })
})

describe('readRole call budget (2 inline + 2 managed)', () => {
  it('costs 9 IAM calls cold and 7 warm, and never simulates', async () => {
    const { roleName } = await createRole()
    counter.reset()
    await found(roleName)
    expect(counter.summary()).toEqual({
      'iam:GetRole': 1,
      'iam:ListRolePolicies': 1,
      'iam:GetRolePolicy': 2,
      'iam:ListAttachedRolePolicies': 1,
      'iam:GetPolicy': 2,
      'iam:GetPolicyVersion': 2,
    })
    counter.reset()
    await found(roleName)
    expect(counter.count({ service: 'iam' })).toBe(7)
    expect(counter.count({ operation: 'GetPolicyVersion' })).toBe(0)
    expect(counter.count({ operation: 'SimulatePrincipalPolicy' })).toBe(0)
  })

  it('with a permissions boundary: 11 cold, 8 warm', async () => {
    const { roleName } = await createRole({ boundaryArn: await createManaged(uniqueName('boundary'), allow('*', '*')) })
    counter.reset()
    await found(roleName)
    expect(counter.count({ service: 'iam' })).toBe(11)
    counter.reset()
    await found(roleName)
    expect(counter.summary()).toEqual({
      'iam:GetRole': 1,
      'iam:ListRolePolicies': 1,
      'iam:GetRolePolicy': 2,
      'iam:ListAttachedRolePolicies': 1,
      'iam:GetPolicy': 3,
    })
  })

  it('a new default version is read even when the old one is cached', async () => {
    const { roleName, managed } = await createRole()
    await found(roleName)
    await client.send(
      new CreatePolicyVersionCommand({
        PolicyArn: managed[1],
        PolicyDocument: JSON.stringify(allow('cloudwatch:*', '*')),
        SetAsDefault: true,
      }),
    )
    counter.reset()
    const role = await found(roleName)
    expect(role.attachedPolicies.find((p) => p.arn === managed[1])?.document).toEqual(allow('cloudwatch:*', '*'))
    expect(counter.count({ operation: 'GetPolicyVersion' })).toBe(1)
  })
})

describe('readAccountRoles against moto (GetAccountAuthorizationDetails)', () => {
  /** Order carries no meaning in a RoleState: compare sorted. */
  const sorted = (role: RoleState): RoleState => ({
    ...role,
    inlinePolicies: [...role.inlinePolicies].sort((a, b) => a.name.localeCompare(b.name)),
    attachedPolicies: [...role.attachedPolicies].sort((a, b) => a.arn.localeCompare(b.arn)),
  })

  it('gives every role the same RoleState readRole gives it (default versions, boundary, tags, path), in one call', async () => {
    const boundaryArn = await createManaged(uniqueName('boundary'), allow('*', '*'))
    const plain = await createRole()
    const bounded = await createRole({ boundaryArn, tags: { 'mwaa-role-guard:mode': 'heal', team: 'data' } })
    await client.send(
      new CreatePolicyVersionCommand({
        PolicyArn: bounded.managed[0],
        PolicyDocument: JSON.stringify(allow('sqs:*', 'arn:aws:sqs:*:*:airflow-celery-*')),
        SetAsDefault: true,
      }),
    )
    counter.reset()
    const bulk = await iam.readAccountRoles()
    expect(counter.summary()).toEqual({ 'iam:GetAccountAuthorizationDetails': 1 })
    for (const { roleName } of [plain, bounded]) {
      const fromBulk = await bulk.role(roleName)
      expect(fromBulk.kind).toBe('found')
      const live = await found(roleName)
      expect(sorted((fromBulk as { role: RoleState }).role)).toEqual(sorted(live))
    }
    const bulkBounded = await bulk.role(bounded.roleName.toUpperCase())
    expect(bulkBounded.kind === 'found' && bulkBounded.role.attachedPolicies.map((p) => p.versionId).sort()).toEqual([
      'v1',
      'v2',
    ])
  })

  it('a role the read did not list (deleted, or created after it) is not-listed', async () => {
    const bulk = await iam.readAccountRoles()
    const missing = uniqueName('created-later')
    expect(await bulk.role(missing)).toEqual({ kind: 'not-listed', roleName: missing })
  })
})

describe('readManagedPolicy', () => {
  it('reads a detached policy at its default version, and null for one that does not exist', async () => {
    const arn = await createManaged(uniqueName('detached'), allow('sqs:SendMessage', '*'))
    await client.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: JSON.stringify(allow('sqs:*', '*')),
        SetAsDefault: true,
      }),
    )
    expect(await iam.readManagedPolicy(arn)).toMatchObject({ arn, versionId: 'v2', document: allow('sqs:*', '*') })
    expect(await iam.readManagedPolicy(`arn:aws:iam::${account.accountId}:policy/${uniqueName('gone')}`)).toBeNull()
  })
})

describe('rolesForPolicy', () => {
  it('names the roles a managed policy is attached to, paths dropped', async () => {
    const { roleName, managed } = await createRole()
    const other = await createRole()
    await client.send(new AttachRolePolicyCommand({ RoleName: other.roleName, PolicyArn: managed[0] }))
    expect((await iam.rolesForPolicy(managed[0]!)).sort()).toEqual([roleName, other.roleName].sort())
  })

  it('answers none for a policy that does not exist', async () => {
    expect(await iam.rolesForPolicy(`arn:aws:iam::${account.accountId}:policy/${uniqueName('gone')}`)).toEqual([])
  })
})

describe('writes used by heal', () => {
  it('attach, put and update-trust are visible to the next read', async () => {
    const { roleName } = await createRole()
    const extra = await createManaged(uniqueName('extra'), allow('kms:Decrypt', '*'))
    const healed = allow('airflow:PublishMetrics', `arn:aws:airflow:eu-west-1:${account.accountId}:environment/env`)
    const newTrust: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'airflow-env.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }
    await iam.attachRolePolicy(roleName, extra)
    await iam.putRolePolicy(roleName, 'mwaa-role-guard-heal', healed)
    await iam.updateAssumeRolePolicy(roleName, newTrust)
    const role = await found(roleName)
    expect(role.attachedPolicies.map((p) => p.arn)).toContain(extra)
    expect(role.inlinePolicies.find((p) => p.name === 'mwaa-role-guard-heal')?.document).toEqual(healed)
    expect(role.trustPolicy).toEqual(newTrust)
  })
})
