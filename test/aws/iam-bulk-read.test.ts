/**
 * readAccountRoles (GetAccountAuthorizationDetails) with a mocked client: pagination, real IAM's URL-encoded
 * documents, AWS managed policies through GetPolicy and the version cache, and what the read cannot resolve.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import {
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  NoSuchEntityException,
  type IAMClientResolvedConfig,
  type ManagedPolicyDetail,
  type RoleDetail,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam'
import { mockClient, type AwsStub } from 'aws-sdk-client-mock'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createIamAdapter, PolicyVersionCache } from '../../lib/aws/iam'

const API = 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html'
const ACCOUNT = '123456789012'
const doc = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
})
// Real IAM URL-encodes every document (RFC 3986), as the Get* APIs do.
const encoded = (value: object) => encodeURIComponent(JSON.stringify(value))
const TRUST = doc('sts:AssumeRole')
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess'

function role(name: string, fields: Partial<RoleDetail> = {}): RoleDetail {
  return {
    RoleName: name,
    Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/${name}`,
    Path: '/service-role/',
    AssumeRolePolicyDocument: encoded(TRUST),
    RolePolicyList: [],
    AttachedManagedPolicies: [],
    Tags: [],
    ...fields,
  }
}

function localPolicy(name: string, versions: Array<[string, object]>, defaultVersion: string): ManagedPolicyDetail {
  return {
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    DefaultVersionId: defaultVersion,
    PolicyVersionList: versions.map(([VersionId, document]) => ({
      VersionId,
      Document: encoded(document),
      IsDefaultVersion: VersionId === defaultVersion,
    })),
  }
}

let client: IAMClient
let iamMock: AwsStub<ServiceInputTypes, ServiceOutputTypes, IAMClientResolvedConfig>

beforeEach(() => {
  client = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
  iamMock = mockClient(client)
})
afterEach(() => iamMock.reset())

describe('readAccountRoles', () => {
  it(`follows IsTruncated/Marker, asks for roles and customer managed policies only, in pages of 1,000 (${API})`, async () => {
    const queue = localPolicy('queue', [['v1', doc('sqs:SendMessage')]], 'v1')
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({
        // The role's policy is on the next page: roles are built once every page is in.
        RoleDetailList: [role('a', { AttachedManagedPolicies: [{ PolicyName: 'queue', PolicyArn: queue.Arn }] })],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({ RoleDetailList: [role('b')], Policies: [queue], IsTruncated: false })
    const bulk = await createIamAdapter(client).readAccountRoles()
    const calls = iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input)
    expect(calls).toEqual([
      { Filter: ['Role', 'LocalManagedPolicy'], MaxItems: 1000 },
      { Filter: ['Role', 'LocalManagedPolicy'], MaxItems: 1000, Marker: 'm1' },
    ])
    expect({ size: bulk.size, pages: bulk.pages }).toEqual({ size: 2, pages: 2 })
    const a = await bulk.role('a')
    expect(a).toMatchObject({ kind: 'found' })
    expect(a.kind === 'found' && a.role.attachedPolicies).toEqual([
      { arn: queue.Arn, name: 'queue', versionId: 'v1', document: doc('sqs:SendMessage') },
    ])
  })

  it('decodes URL-encoded documents into the RoleState the per-role read returns, at the default version', async () => {
    const metrics = localPolicy(
      'metrics',
      [
        ['v1', doc('cloudwatch:PutMetricData')],
        ['v3', doc('cloudwatch:*')],
      ],
      'v3',
    )
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [
        role('exec', {
          RolePolicyList: [{ PolicyName: 'dags', PolicyDocument: encoded(doc('s3:GetObject')) }],
          AttachedManagedPolicies: [{ PolicyName: 'metrics', PolicyArn: metrics.Arn }],
          PermissionsBoundary: {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: metrics.Arn,
          },
          Tags: [{ Key: 'mwaa-role-guard:mode', Value: 'heal' }],
        }),
      ],
      Policies: [metrics],
      IsTruncated: false,
    })
    const bulk = await createIamAdapter(client).readAccountRoles()
    expect(await bulk.role('EXEC')).toEqual({
      kind: 'found',
      role: {
        arn: `arn:aws:iam::${ACCOUNT}:role/service-role/exec`,
        name: 'exec',
        trustPolicy: TRUST,
        inlinePolicies: [{ name: 'dags', document: doc('s3:GetObject') }],
        attachedPolicies: [{ arn: metrics.Arn, name: 'metrics', versionId: 'v3', document: doc('cloudwatch:*') }],
        permissionsBoundary: { arn: metrics.Arn, document: doc('cloudwatch:*') },
        tags: { 'mwaa-role-guard:mode': 'heal' },
      },
    })
  })

  it('names a customer managed policy from the attachment, or the ARN, when the policy list omits PolicyName (moto)', async () => {
    const nameless = {
      ...localPolicy('queue', [['v1', doc('sqs:*')]], 'v1'),
      PolicyName: undefined,
      PolicyId: undefined,
    }
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      RoleDetailList: [
        role('listed', { AttachedManagedPolicies: [{ PolicyName: 'queue', PolicyArn: nameless.Arn }] }),
        role('bounded', { PermissionsBoundary: { PermissionsBoundaryArn: nameless.Arn } }),
      ],
      Policies: [nameless],
    })
    const bulk = await createIamAdapter(client).readAccountRoles()
    const listed = await bulk.role('listed')
    expect(listed.kind === 'found' && listed.role.attachedPolicies[0]!.name).toBe('queue')
    const bounded = await bulk.role('bounded')
    expect(bounded.kind === 'found' && bounded.role.permissionsBoundary?.arn).toBe(nameless.Arn)
  })

  it('reads an AWS managed policy once (GetPolicy, GetPolicyVersion) however many roles attach it, then from the cache', async () => {
    const attached = { AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY }] }
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolves({ RoleDetailList: [role('a', attached), role('b', attached)] })
    iamMock.on(GetPolicyCommand).resolves({
      Policy: { Arn: READ_ONLY, PolicyName: 'ReadOnlyAccess', PolicyId: 'ANPAREADONLY', DefaultVersionId: 'v120' },
    })
    iamMock
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { VersionId: 'v120', Document: encoded(doc('s3:Get*')) } })
    const iam = createIamAdapter(client, { versionCache: new PolicyVersionCache() })
    const first = await iam.readAccountRoles()
    const roles = await Promise.all([first.role('a'), first.role('b')])
    for (const r of roles) {
      expect(r.kind === 'found' && r.role.attachedPolicies).toEqual([
        { arn: READ_ONLY, name: 'ReadOnlyAccess', versionId: 'v120', document: doc('s3:Get*') },
      ])
    }
    expect(iamMock.commandCalls(GetPolicyCommand)).toHaveLength(1)
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(1)
    // The next sweep asks GetPolicy again (a new default version has no event in the account), the version is cached.
    await (await iam.readAccountRoles()).role('a')
    expect(iamMock.commandCalls(GetPolicyCommand)).toHaveLength(2)
    expect(iamMock.commandCalls(GetPolicyVersionCommand)).toHaveLength(1)
  })

  it.each([
    [
      'a customer managed policy missing from the read',
      role('r', { AttachedManagedPolicies: [{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/gone` }] }),
      /policy arn:aws:iam::123456789012:policy\/gone is not in the authorization details/,
    ],
    [
      'an AWS managed policy that no longer exists',
      role('r', { AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/Retired' }] }),
      /AWS managed policy arn:aws:iam::aws:policy\/Retired no longer exists/,
    ],
    [
      'a document that is not JSON',
      role('r', { RolePolicyList: [{ PolicyName: 'dags', PolicyDocument: '%7Bnot json' }] }),
      /role r inline policy dags: policy document is not valid JSON/,
    ],
  ])('%s: unresolved, with the reason (a live read decides)', async (_case, detail, reason) => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: [detail, role('fine')] })
    iamMock.on(GetPolicyCommand).rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }))
    const bulk = await createIamAdapter(client).readAccountRoles()
    const r = await bulk.role('r')
    expect(r).toMatchObject({ kind: 'unresolved', roleName: 'r' })
    expect(r.kind === 'unresolved' && r.reason).toMatch(reason)
    expect((await bulk.role('fine')).kind).toBe('found')
  })

  it('throws what the SDK could not retry (the sweep decides what to do)', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
    await expect(createIamAdapter(client).readAccountRoles()).rejects.toMatchObject({ name: 'Throttling' })
  })
})
