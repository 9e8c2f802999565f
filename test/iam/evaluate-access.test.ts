import { describe, expect, it } from 'vitest'
import {
  type Caller,
  compilePolicy,
  evaluateAccess,
  type PolicyKind,
  parseCaller,
  type RequestContext,
} from '../../lib/iam/index'
import { callerContext } from '../../lib/iam/caller-context'
import { DOC } from './docs'

const v12 = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const p = (doc: unknown, kind: PolicyKind = 'identity', name: string = kind) => compilePolicy(doc, name, kind)
const A = '111122223333'
const MGMT = '999988887777'
const SESSION = parseCaller(`arn:aws:sts::${A}:assumed-role/exec/s`)!
const ADMIN = p(v12({ Effect: 'Allow', Action: '*', Resource: '*' }))
const DENY_ALL_SCP = p(v12({ Effect: 'Deny', Action: '*', Resource: '*' }), 'scp')
const DENY_ALL_RCP = p(v12({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }), 'rcp')

describe('parseCaller', () => {
  it.each<[string, Partial<Caller>]>([
    [
      `arn:aws:iam::${A}:role/service-role/exec`,
      {
        type: 'role',
        account: A,
        roleKey: `aws:${A}:exec`,
        serviceLinked: false,
        principalArn: `arn:aws:iam::${A}:role/service-role/exec`,
      },
    ],
    [
      `arn:aws:sts::${A}:assumed-role/exec/airflow`,
      { type: 'session', account: A, roleKey: `aws:${A}:exec`, principalArn: `arn:aws:iam::${A}:role/exec` },
    ],
    [
      `arn:aws:iam::${A}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`,
      { type: 'role', serviceLinked: true },
    ],
    [`arn:aws:sts::${A}:assumed-role/AWSServiceRoleForAmazonMWAA/s`, { type: 'session', serviceLinked: true }],
    [`arn:aws-cn:iam::${A}:user/path/ana`, { type: 'user', account: A, partition: 'aws-cn' }],
    ['Airflow-Env.amazonaws.com', { type: 'service', id: 'airflow-env.amazonaws.com', account: undefined }],
    ['anonymous', { type: 'anonymous', account: undefined }],
  ])(`${DOC.principal}: %s`, (text, expected) => {
    expect(parseCaller(text)).toMatchObject(expected)
  })

  it.each(['*', `arn:aws:iam::${A}:root`, `arn:aws:sts::${A}:federated-user/bob`, 'arn:aws:s3:::bucket', 'ec2'])(
    `${DOC.principal}: %s is not a caller the evaluator models`,
    (text) => expect(parseCaller(text)).toBeUndefined(),
  )
})

describe('callerContext', () => {
  const keys = (caller: Caller) => callerContext(caller, A)
  it(`${DOC.condition}: a role session's aws:PrincipalArn is its role's ARN, and the keys of signed requests are set`, () => {
    expect(keys(SESSION)).toEqual({
      'aws:PrincipalArn': `arn:aws:iam::${A}:role/exec`,
      'aws:PrincipalAccount': A,
      'aws:PrincipalIsAWSService': 'false',
      'aws:PrincipalType': 'AssumedRole',
      'aws:ResourceAccount': A,
    })
  })
  it(`${DOC.condition}: a service principal sets aws:PrincipalServiceName; anonymous has no aws:PrincipalIsAWSService`, () => {
    expect(keys(parseCaller('cloudtrail.amazonaws.com')!)).toMatchObject({
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com',
    })
    expect(keys(parseCaller('anonymous')!)).not.toHaveProperty('aws:PrincipalIsAWSService')
    expect(keys(parseCaller('anonymous')!)).toMatchObject({ 'aws:PrincipalAccount': 'anonymous' })
  })
  it(`${DOC.condition}: the request's own value wins over the derived one, whatever the case of the key name`, () => {
    const onlyA = p(
      v12({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': A } } }),
    )
    const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', caller: SESSION }
    expect(evaluateAccess({ identity: [onlyA] }, request).decision).toBe('allowed')
    const overridden = { ...request, context: { 'AWS:PRINCIPALACCOUNT': '000000000000' } satisfies RequestContext }
    expect(evaluateAccess({ identity: [onlyA] }, overridden).decision).toBe('implicitDeny')
  })
})

describe('evaluateAccess: what simulate cannot express', () => {
  const get = { action: 's3:GetObject', resource: 'arn:aws:s3:::dags/a.py' }

  it(`${DOC.scps}: SCPs don't affect users or roles in the management account`, () => {
    const caller = parseCaller(`arn:aws:sts::${MGMT}:assumed-role/exec/s`)!
    const result = evaluateAccess(
      { identity: [ADMIN], scps: [[DENY_ALL_SCP]], managementAccount: MGMT },
      { ...get, caller },
    )
    expect(result).toMatchObject({ decision: 'allowed', exempt: [{ kind: 'scp' }] })
    expect(
      evaluateAccess(
        { identity: [ADMIN], scps: [[DENY_ALL_SCP]], managementAccount: MGMT },
        { ...get, caller: SESSION },
      ).decision,
    ).toBe('explicitDeny')
  })

  it(`${DOC.rcps}: RCPs don't affect resources in the management account`, () => {
    const set = { identity: [ADMIN], rcps: [[DENY_ALL_RCP]], managementAccount: MGMT }
    expect(evaluateAccess(set, { ...get, caller: SESSION, resourceAccount: MGMT }).decision).toBe('implicitDeny')
    const mgmtCaller = parseCaller(`arn:aws:sts::${MGMT}:assumed-role/exec/s`)!
    expect(evaluateAccess(set, { ...get, caller: mgmtCaller }).exempt).toEqual([
      expect.objectContaining({ kind: 'rcp' }),
    ])
    expect(evaluateAccess(set, { ...get, caller: SESSION }).decision).toBe('explicitDeny')
  })

  const KEY = `arn:aws:kms:us-east-1:${A}:key/k`
  it(`${DOC.keyRcps}: RCPs do not apply to AWS managed keys`, () => {
    const keyPolicy = p(
      v12({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }),
      'resource',
    )
    const set = { identity: [ADMIN], resource: keyPolicy, rcps: [[DENY_ALL_RCP]] }
    const decrypt = { action: 'kms:Decrypt', resource: KEY, caller: SESSION }
    expect(evaluateAccess(set, { ...decrypt, awsManagedKey: true }).decision).toBe('allowed')
    expect(evaluateAccess(set, decrypt).decision).toBe('explicitDeny')
  })

  it(`${DOC.keyConcepts}: nobody changes an AWS managed key's key policy, rotation or deletion`, () => {
    for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation', 'kms:DisableKey']) {
      const result = evaluateAccess(
        { identity: [ADMIN] },
        { action, resource: KEY, caller: SESSION, awsManagedKey: true },
      )
      expect(result).toMatchObject({ decision: 'explicitDeny', statements: [], rule: { id: 'aws-managed-key' } })
    }
    expect(
      evaluateAccess({ identity: [ADMIN] }, { action: 'kms:PutKeyPolicy', resource: KEY, caller: SESSION }).decision,
    ).toBe('allowed')
  })

  it(`${DOC.serviceLinked}: the owning service may change its service-linked role; no one else may`, () => {
    const slr = `arn:aws:iam::${A}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`
    const put = { action: 'iam:PutRolePolicy', resource: slr }
    const owner = evaluateAccess({}, { ...put, caller: parseCaller('airflow.amazonaws.com')! })
    expect(owner.rule).toBeUndefined()
    expect(evaluateAccess({}, { ...put, caller: parseCaller('ec2.amazonaws.com')! }).rule?.id).toBe(
      'service-linked-role',
    )
  })

  it(`${DOC.reservedRoles}: IAM Identity Center changes its /aws-reserved/ roles through its service-linked role`, () => {
    const role = `arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123`
    const ssoSlr = parseCaller(`arn:aws:sts::${A}:assumed-role/AWSServiceRoleForSSO/sso`)!
    const sso = evaluateAccess(
      { identity: [ADMIN] },
      { action: 'iam:AttachRolePolicy', resource: role, caller: ssoSlr },
    )
    expect(sso).toMatchObject({ decision: 'allowed' })
    expect(sso.rule).toBeUndefined()
  })

  it(`${DOC.rcps}: RCPs do not restrict a service assuming its service-linked role`, () => {
    const slr = `arn:aws:iam::${A}:role/aws-service-role/airflow.amazonaws.com/AWSServiceRoleForAmazonMWAA`
    const trust = p(
      v12({ Effect: 'Allow', Principal: { Service: 'airflow.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      'resource',
    )
    const result = evaluateAccess(
      { resource: trust, rcps: [[DENY_ALL_RCP]] },
      { action: 'sts:AssumeRole', resource: slr, caller: parseCaller('airflow.amazonaws.com')! },
    )
    expect(result).toMatchObject({ decision: 'allowed', exempt: [{ kind: 'rcp' }] })
  })

  it(`${DOC.callerIdentity}: an anonymous caller is not "authenticated", so no rule answers for it`, () => {
    expect(
      evaluateAccess({}, { action: 'sts:GetCallerIdentity', resource: '*', caller: parseCaller('anonymous')! })
        .decision,
    ).toBe('implicitDeny')
  })

  it(`${DOC.evaluation}: without a caller the context is used as given and the account comes from the ARN`, () => {
    const bucket = p(
      v12({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sqs:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': A } },
      }),
      'resource',
    )
    const send = { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${A}:q` }
    // no aws:PrincipalAccount derived for the default caller: the Deny's condition does not hold
    expect(evaluateAccess({ identity: [ADMIN], resource: bucket }, send).decision).toBe('allowed')
    expect(evaluateAccess({ identity: [ADMIN], resource: bucket }, { ...send, caller: SESSION }).decision).toBe(
      'explicitDeny',
    )
  })
})
