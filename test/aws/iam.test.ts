/** Error paths and pagination of the IAM adapter, with a mocked client (and a scripted wire for retries). */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam'
import { mockClient, type AwsStub } from 'aws-sdk-client-mock'
import type { IAMClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-iam'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiCallCounter } from '../../lib/aws/call-counter'
import { createIamClient, RETRY } from '../../lib/aws/clients'
import { createIamAdapter, RoleChangedDuringReadError } from '../../lib/aws/iam'
import { iamError, listRolePoliciesXml, scriptedHandler } from '../support/scripted-http-handler'

const ROLE = 'exec'
const ROLE_ARN = `arn:aws:iam::123456789012:role/service-role/${ROLE}`
const POLICY_ARN = 'arn:aws:iam::123456789012:policy/queue'
const doc = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
})
const encoded = (value: object) => encodeURIComponent(JSON.stringify(value))
const noSuchEntity = (message: string) => new NoSuchEntityException({ message, $metadata: {} })

let client: IAMClient
// Mock one instance, not the class: the retry tests below need real clients.
let iamMock: AwsStub<ServiceInputTypes, ServiceOutputTypes, IAMClientResolvedConfig>

beforeEach(() => {
  client = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
  iamMock = mockClient(client)
  iamMock.on(GetRoleCommand).resolves({
    Role: {
      RoleName: ROLE,
      Arn: ROLE_ARN,
      Path: '/service-role/',
      RoleId: 'AROA1',
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: encoded(doc('sts:AssumeRole')),
    },
  })
  iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] })
  iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] })
})
afterEach(() => iamMock.reset())

describe('readRole error paths', () => {
  it('maps NoSuchEntity on GetRole to not-found (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html#API_GetRole_Errors)', async () => {
    iamMock.on(GetRoleCommand).rejects(noSuchEntity(`The role with name ${ROLE} cannot be found.`))
    expect(await createIamAdapter(client).readRole(ROLE)).toEqual({ kind: 'not-found', roleName: ROLE })
  })

  it.each([
    {
      doc: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html#API_GetPolicyVersion_Errors',
      what: 'a managed policy detached and deleted between GetPolicy and GetPolicyVersion',
      arrange: () => {
        iamMock
          .on(ListAttachedRolePoliciesCommand)
          .resolves({ AttachedPolicies: [{ PolicyArn: POLICY_ARN, PolicyName: 'queue' }] })
        iamMock
          .on(GetPolicyCommand)
          .resolves({ Policy: { Arn: POLICY_ARN, PolicyId: 'ANPA1', PolicyName: 'queue', DefaultVersionId: 'v1' } })
        iamMock.on(GetPolicyVersionCommand).rejects(noSuchEntity('Policy not found'))
      },
    },
    {
      doc: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html#API_GetRolePolicy_Errors',
      what: 'an inline policy deleted between ListRolePolicies and GetRolePolicy',
      arrange: () => {
        iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['dags'] })
        iamMock.on(GetRolePolicyCommand).rejects(noSuchEntity('The role policy with name dags cannot be found.'))
      },
    },
    {
      doc: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html#API_ListRolePolicies_Errors',
      what: 'the role deleted right after GetRole',
      arrange: () =>
        iamMock.on(ListRolePoliciesCommand).rejects(noSuchEntity(`The role with name ${ROLE} cannot be found.`)),
    },
  ])('$what is a retryable RoleChangedDuringReadError ($doc)', async ({ arrange }) => {
    arrange()
    const error = await createIamAdapter(client)
      .readRole(ROLE)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RoleChangedDuringReadError)
    expect(error).toMatchObject({ retryable: true, roleName: ROLE })
    expect((error as Error).cause).toBeInstanceOf(NoSuchEntityException)
  })

  it('lets other service errors through unchanged', async () => {
    const failure = new ServiceFailureException({ message: 'boom', $metadata: {} })
    iamMock.on(GetRoleCommand).rejects(failure)
    await expect(createIamAdapter(client).readRole(ROLE)).rejects.toBe(failure)
  })
})

describe('pagination (IsTruncated / Marker, https://docs.aws.amazon.com/IAM/latest/APIReference/pagination.html)', () => {
  it('reads every page of inline and attached policies', async () => {
    iamMock
      .on(ListRolePoliciesCommand, { RoleName: ROLE })
      .resolvesOnce({ PolicyNames: ['a'], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ PolicyNames: ['b'], IsTruncated: false })
    iamMock.on(GetRolePolicyCommand).callsFake(async (input: { PolicyName: string }) => ({
      RoleName: ROLE,
      PolicyName: input.PolicyName,
      PolicyDocument: encoded(doc(`s3:${input.PolicyName}`)),
    }))
    iamMock
      .on(ListAttachedRolePoliciesCommand)
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: `${POLICY_ARN}1` }], IsTruncated: true, Marker: 'n1' })
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: `${POLICY_ARN}2` }], IsTruncated: false })
    iamMock.on(GetPolicyCommand).callsFake(async (input: { PolicyArn: string }) => ({
      Policy: { Arn: input.PolicyArn, PolicyId: `ID-${input.PolicyArn}`, PolicyName: 'p', DefaultVersionId: 'v1' },
    }))
    iamMock
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { Document: encoded(doc('sqs:SendMessage')), VersionId: 'v1' } })

    const result = await createIamAdapter(client).readRole(ROLE)
    if (result.kind !== 'found') throw new Error('expected the role')
    expect(result.role.inlinePolicies.map((p) => p.name)).toEqual(['a', 'b'])
    expect(result.role.attachedPolicies.map((p) => p.arn)).toEqual([`${POLICY_ARN}1`, `${POLICY_ARN}2`])
    expect(iamMock.commandCalls(ListRolePoliciesCommand)[1]?.args[0].input).toMatchObject({ Marker: 'm1' })
    expect(iamMock.commandCalls(ListAttachedRolePoliciesCommand)[1]?.args[0].input).toMatchObject({ Marker: 'n1' })
  })

  it('rolesForPolicy reads every page and asks for roles only', async () => {
    iamMock
      .on(ListEntitiesForPolicyCommand)
      .resolvesOnce({ PolicyRoles: [{ RoleName: 'r1' }], IsTruncated: true, Marker: 'x' })
      .resolvesOnce({ PolicyRoles: [{ RoleName: 'r2' }], IsTruncated: false })
    expect(await createIamAdapter(client).rolesForPolicy(POLICY_ARN)).toEqual(['r1', 'r2'])
    const calls = iamMock.commandCalls(ListEntitiesForPolicyCommand).map((c) => c.args[0].input)
    expect(calls).toHaveLength(2)
    expect(calls[0]).toMatchObject({ PolicyArn: POLICY_ARN, EntityFilter: 'Role' })
    expect(calls[1]).toMatchObject({ PolicyArn: POLICY_ARN, EntityFilter: 'Role', Marker: 'x' })
  })
})

describe('throttling (over a scripted wire, so the SDK retry middleware runs)', () => {
  it('retries IAM Throttling and succeeds; one call, two attempts', async () => {
    // IAM's throttling error code is `Throttling` (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
    const handler = scriptedHandler([
      { status: 400, body: iamError('Throttling', 'Rate exceeded') },
      { status: 200, body: listRolePoliciesXml(['dags']) },
    ])
    const counter = new ApiCallCounter()
    const iam = createIamClient({
      env: {},
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      counter,
      requestHandler: handler,
    })
    const out = await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))
    expect(out.PolicyNames).toEqual(['dags'])
    expect(counter.count({ operation: 'ListRolePolicies' })).toBe(1)
    expect(counter.attempts).toHaveLength(2)
    expect(counter.throttled).toEqual([{ service: 'iam', operation: 'ListRolePolicies' }])
    expect(counter.totals).toEqual({ calls: 1, attempts: 2, throttled: 1 })
  })

  it('counts a 500 as an attempt, not as throttled; totals only when told not to keep every call', async () => {
    const handler = scriptedHandler([
      { status: 500, body: iamError('ServiceFailure', 'internal') },
      { status: 400, body: iamError('Throttling', 'Rate exceeded') },
      { status: 200, body: listRolePoliciesXml(['dags']) },
    ])
    const counter = new ApiCallCounter({ keep: false })
    const iam = createIamClient({
      env: {},
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      counter,
      requestHandler: handler,
    })
    await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))
    expect(counter.totals).toEqual({ calls: 1, attempts: 3, throttled: 1 })
    expect(counter.calls).toEqual([])
    expect(counter.attempts).toEqual([])
  }, 20_000)

  it(`gives up after RETRY.maxAttempts (${RETRY.maxAttempts}) attempts and surfaces IAM's error`, async () => {
    // A 500 backs off from 50 ms (throttling from 1 s), so the five attempts take well under a second.
    const handler = scriptedHandler([{ status: 500, body: iamError('ServiceFailure', 'internal failure') }])
    const iam = createIamClient({
      env: {},
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      requestHandler: handler,
    })
    await expect(iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))).rejects.toMatchObject({
      name: 'ServiceFailureException',
    })
    expect(handler.seen).toHaveLength(RETRY.maxAttempts)
  }, 20_000)
})
