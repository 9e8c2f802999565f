/**
 * `check --authorization-details` with a GetAccountAuthorizationDetails file written by another tool: moto's, made in
 * this test (roles with inline, customer managed policies and a boundary; moto omits PolicyName and PolicyId on the
 * managed policies, https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html lists them).
 * The file is what the SDK returns, pages merged, as a JS tool would save it: documents URL-encoded, dates as text.
 */
import {
  DeleteRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildEnvironment, type WorldEnvironment } from '../support/environments'
import { motoCredentials, startMoto, type Moto } from '../support/moto'
import { openMotoAccount } from '../support/moto-account'
import { isOneLineInputError, run, scratch } from './support'

const AUTH_DETAILS = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html'

let moto: Moto
let iam: IAMClient
let account: string
const files = scratch('moto-auth')

beforeAll(async () => {
  moto = await startMoto()
  const opened = await openMotoAccount(moto.endpoint)
  account = opened.accountId
  iam = new IAMClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { ...motoCredentials, ...opened, accessKeyId: opened.accessKeyId },
  })
})
afterAll(async () => {
  iam?.destroy()
  await moto?.stop()
  files.remove()
})

/** Every page of moto's GetAccountAuthorizationDetails, merged and saved as JSON, as a JS tool would. */
async function motoAuthorizationDetails(): Promise<string> {
  const merged: Record<string, unknown[]> = {
    UserDetailList: [],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  }
  let marker: string | undefined
  do {
    const page: GetAccountAuthorizationDetailsCommandOutput = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Marker: marker }),
    )
    for (const key of Object.keys(merged))
      merged[key]!.push(...((page as unknown as Record<string, unknown[]>)[key] ?? []))
    marker = page.IsTruncated ? page.Marker : undefined
  } while (marker)
  return files.file({ ...merged, IsTruncated: false })
}

function check(env: WorldEnvironment, auth: string, ...more: string[]) {
  return run(
    'check',
    '--environment-file',
    files.file({ Environment: env.wire }),
    '--authorization-details',
    auth,
    ...more,
  )
}

describe(`check --authorization-details with moto's output (${AUTH_DETAILS})`, () => {
  it('moto writes managed policies without PolicyName and PolicyId: the check still reads them, by ARN', async () => {
    const env = await buildEnvironment(iam, account, { prefix: 'auth' })
    const auth = await motoAuthorizationDetails()
    const policies = (JSON.parse(readFileSync(auth, 'utf8')) as { Policies: object[] }).Policies
    expect(policies.length).toBeGreaterThan(0)
    expect(policies.every((p) => !('PolicyName' in p) && !('PolicyId' in p))).toBe(true)

    const result = await check(env, auth, '--json')
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.out)).toMatchObject({ status: 'ok', findings: [] })
  })

  it('drift made on moto is found in the next export: an inline policy deleted', async () => {
    const env = await buildEnvironment(iam, account, { prefix: 'auth' })
    await iam.send(new DeleteRolePolicyCommand({ RoleName: env.roleName, PolicyName: 'logs' }))
    const result = await check(env, await motoAuthorizationDetails(), '--json')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.out) as { findings: Array<{ kind: string; feature: string }> }
    expect(new Set(report.findings.map((f) => `${f.kind} ${f.feature}`))).toEqual(new Set(['not-granted logs']))
  })

  it('a permissions boundary is read from the Policies entry of its ARN (moto: no PolicyName there either)', async () => {
    const env = await buildEnvironment(iam, account, { prefix: 'auth' })
    // One of the role's own managed policies as its boundary: whatever the others grant is now blocked.
    const [boundary] = Object.values(env.managed)
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: env.roleName, PermissionsBoundary: boundary!.arn }),
    )
    const result = await check(env, await motoAuthorizationDetails(), '--json')
    expect(result.code).toBe(1)
    const report = JSON.parse(result.out) as { findings: Array<{ kind: string; feature: string }> }
    expect(report.findings.length).toBeGreaterThan(0)
    expect(report.findings.every((f) => f.kind === 'blocked-by-boundary')).toBe(true)
  })

  it('an odd entry for another role is none of the check: only the role checked must be readable', async () => {
    const env = await buildEnvironment(iam, account, { prefix: 'auth' })
    const text = readFileSync(await motoAuthorizationDetails(), 'utf8')
    const details = JSON.parse(text) as { RoleDetailList: unknown[] }
    details.RoleDetailList.unshift({ RoleName: 42, Arn: 'arn:aws:iam::123456789012:role/other' }, 'not a role')
    expect((await check(env, files.file(details))).code).toBe(0)
  })

  it('the checked role missing its trust policy: exit 2 naming its place in the file', async () => {
    const env = await buildEnvironment(iam, account, { prefix: 'auth' })
    const text = readFileSync(await motoAuthorizationDetails(), 'utf8')
    const details = JSON.parse(text) as { RoleDetailList: Array<Record<string, unknown>> }
    const index = details.RoleDetailList.findIndex((r) => r.Arn === env.roleArn)
    delete details.RoleDetailList[index]!.AssumeRolePolicyDocument
    const result = await check(env, files.file(details))
    expect(isOneLineInputError(result)).toBe(true)
    expect(result.err).toContain(`RoleDetailList[${index}].AssumeRolePolicyDocument: `)
  })
})
