import { describe, expect, it } from 'vitest'
import { compilePolicy, evaluateResourcePolicy } from '../../lib/iam'
import { mergeTrust, TRUST_STATEMENT_SID, type TrustNeed } from '../../lib/drift/merge-trust'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'
import { DOC } from './docs'
import { clone, doc, statementsOf } from './support'

const ACCOUNT = '644160558196'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/exec`
const ENV_A = `arn:aws:airflow:us-east-1:${ACCOUNT}:environment/env-a`
const ENV_B = `arn:aws:airflow:us-east-1:${ACCOUNT}:environment/env-b`
const CONFUSED_DEPUTY = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'
const SERVICES = ['airflow.amazonaws.com', 'airflow-env.amazonaws.com']

const assume = (trust: PolicyDocument, service: string, env = ENV_A, account = ACCOUNT) =>
  evaluateResourcePolicy(compilePolicy(trust, 'trust', 'resource'), {
    action: 'sts:AssumeRole',
    resource: ROLE,
    principal: { type: 'Service', id: service },
    context: { 'aws:SourceAccount': account, 'aws:SourceArn': env },
  }).decision
const needs = (env: string, services = SERVICES): TrustNeed[] =>
  services.map((principal) => ({ principal, sourceAccount: ACCOUNT, sourceArn: env }))

/** The doc's confused-deputy trust policy, for env-a (https://docs.aws.amazon.com/mwaa/latest/userguide/cross-service-confused-deputy-prevention.html). */
const userPinned: PolicyStatement = {
  Effect: 'Allow',
  Principal: { Service: SERVICES },
  Action: 'sts:AssumeRole',
  Condition: { ArnLike: { 'aws:SourceArn': ENV_A }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
}

describe('mergeTrust: pinned to the account and the environments, never unconditioned', () => {
  it.each<[string, string, PolicyDocument]>([
    [
      DOC.principal,
      'a single Statement object',
      {
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      },
    ],
    [
      DOC.denyAllow,
      'a Deny of another principal and a conditioned Allow',
      doc(
        { Sid: 'NoLambda', Effect: 'Deny', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ),
    ],
    [DOC.principal, 'no statement at all', doc()],
  ])(
    `%s: keeps every statement of %s and adds one statement with aws:SourceAccount and aws:SourceArn (${CONFUSED_DEPUTY})`,
    (_doc, _title, trust) => {
      const before = clone(statementsOf(trust))
      const merged = mergeTrust(trust, needs(ENV_A), ROLE)
      const after = statementsOf(merged)
      for (const statement of before) expect(after).toContainEqual(statement)
      expect(after.at(-1)).toEqual({
        Sid: TRUST_STATEMENT_SID,
        Effect: 'Allow',
        Principal: { Service: [...SERVICES].sort() },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': [ENV_A] } },
      })
      for (const service of SERVICES) {
        expect(assume(merged, service)).toBe('allowed')
        // another environment, or the same name in another account: the confused deputy is kept out
        expect(assume(merged, service, ENV_B)).toBe('implicitDeny')
        expect(assume(merged, service, ENV_A, '999999999999')).toBe('implicitDeny')
      }
      expect(statementsOf(trust)).toEqual(before) // the input is not mutated
    },
  )

  it(`${DOC.deputy}: a statement the user pinned to env-a is extended with env-b, not joined by another`, () => {
    const merged = mergeTrust(doc(clone(userPinned)), needs(ENV_B), ROLE)
    expect(statementsOf(merged)).toEqual([
      { ...userPinned, Condition: { ...userPinned.Condition, ArnLike: { 'aws:SourceArn': [ENV_A, ENV_B].sort() } } },
    ])
    for (const service of SERVICES) expect(assume(merged, service, ENV_B)).toBe('allowed')
  })

  it(`${DOC.mwaaRole}: a second merge extends the statement it added (principals and environments)`, () => {
    const once = mergeTrust(doc(), needs(ENV_A, ['airflow.amazonaws.com']), ROLE)
    const twice = mergeTrust(once, needs(ENV_B), ROLE)
    expect(statementsOf(twice)).toHaveLength(1)
    expect(statementsOf(twice)[0]).toMatchObject({
      Principal: { Service: ['airflow-env.amazonaws.com', 'airflow.amazonaws.com'] },
      Condition: { ArnLike: { 'aws:SourceArn': [ENV_A, ENV_B] } },
    })
  })

  it(`${DOC.denyAllow}: a Deny of an MWAA principal stays, so the merged policy still denies it`, () => {
    const trust = doc({
      Sid: 'NoEnv',
      Effect: 'Deny',
      Principal: { Service: 'airflow-env.amazonaws.com' },
      Action: 'sts:AssumeRole',
    })
    const merged = mergeTrust(trust, needs(ENV_A), ROLE)
    expect(statementsOf(merged)[0]).toEqual(statementsOf(trust)[0])
    expect(assume(merged, 'airflow-env.amazonaws.com')).toBe('explicitDeny')
  })

  it(`${DOC.sid}: an unconditioned statement an earlier version wrote is left alone; the new one gets a free Sid`, () => {
    const legacy: PolicyStatement = {
      Sid: TRUST_STATEMENT_SID,
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    }
    const merged = mergeTrust(doc(legacy), needs(ENV_A), ROLE)
    expect(statementsOf(merged).map((s) => s.Sid)).toEqual([TRUST_STATEMENT_SID, `${TRUST_STATEMENT_SID}2`])
    expect(statementsOf(merged)[0]).toEqual(legacy)
  })

  it(`${DOC.deputy}: a need already met changes nothing`, () => {
    const trust = doc(clone(userPinned))
    expect(mergeTrust(trust, needs(ENV_A), ROLE)).toEqual({ Version: '2012-10-17', Statement: [userPinned] })
  })
})
