import { describe, expect, it } from 'vitest'
import { compilePolicy, evaluateResourcePolicy } from '../../lib/iam'
import { mergeTrust, TRUST_STATEMENT_SID } from '../../lib/drift/merge-trust'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'
import { DOC } from './docs'
import { clone, doc, statementsOf } from './support'

const ROLE = 'arn:aws:iam::644160558196:role/service-role/exec'
const assume = (trust: PolicyDocument, service: string, context = {}) =>
  evaluateResourcePolicy(compilePolicy(trust, 'trust', 'resource'), {
    action: 'sts:AssumeRole',
    resource: ROLE,
    principal: { type: 'Service', id: service },
    context,
  }).decision
const SERVICES = ['airflow.amazonaws.com', 'airflow-env.amazonaws.com']

const pinned: PolicyStatement = {
  Sid: TRUST_STATEMENT_SID,
  Effect: 'Allow',
  Principal: { Service: 'airflow.amazonaws.com' },
  Action: 'sts:AssumeRole',
  Condition: { StringEquals: { 'aws:SourceAccount': '644160558196' } },
}

describe('mergeTrust', () => {
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
    [DOC.deputy, 'our own statement, pinned by the user to the account (confused-deputy prevention)', doc(pinned)],
    [DOC.principal, 'no statement at all', doc()],
  ])(
    '%s: keeps every statement of %s as it was and lets both MWAA principals assume the role',
    (_doc, _title, trust) => {
      const before = clone(statementsOf(trust))
      const merged = mergeTrust(trust, SERVICES)
      const after = statementsOf(merged)
      for (const statement of before) expect(after).toContainEqual(statement)
      expect(after.length).toBe(before.length + 1)
      const sids = after.map((s) => s.Sid).filter(Boolean)
      expect(new Set(sids).size).toBe(sids.length)
      for (const service of SERVICES) expect(assume(merged, service)).toBe('allowed')
      expect(statementsOf(trust)).toEqual(before) // the input is not mutated
    },
  )

  it(`${DOC.mwaaRole}: a second merge extends the statement it added instead of adding another`, () => {
    const once = mergeTrust(
      doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      ['airflow.amazonaws.com'],
    )
    const twice = mergeTrust(once, ['airflow-env.amazonaws.com'])
    expect(statementsOf(twice)).toHaveLength(2)
    expect(statementsOf(twice)[1]).toEqual({
      Sid: TRUST_STATEMENT_SID,
      Effect: 'Allow',
      Principal: { Service: ['airflow-env.amazonaws.com', 'airflow.amazonaws.com'] },
      Action: 'sts:AssumeRole',
    })
  })

  it(`${DOC.denyAllow}: a Deny of an MWAA principal stays, so the merged policy still denies it`, () => {
    const trust = doc({
      Sid: 'NoEnv',
      Effect: 'Deny',
      Principal: { Service: 'airflow-env.amazonaws.com' },
      Action: 'sts:AssumeRole',
    })
    const merged = mergeTrust(trust, SERVICES)
    expect(statementsOf(merged)[0]).toEqual(statementsOf(trust)[0])
    expect(assume(merged, 'airflow-env.amazonaws.com')).toBe('explicitDeny')
  })

  it(`${DOC.deputy}: a user's condition on our statement still applies to the principal it named`, () => {
    const merged = mergeTrust(doc(clone(pinned)), ['airflow-env.amazonaws.com'])
    expect(assume(merged, 'airflow.amazonaws.com', { 'aws:SourceAccount': '999999999999' })).toBe('implicitDeny')
  })
})

describe('mergeTrust next to a statement the user pinned', () => {
  it(`${DOC.sid}: later merges extend the statement added next to it, under a unique Sid`, () => {
    const first = mergeTrust(doc(clone(pinned)), ['airflow-env.amazonaws.com'])
    const second = mergeTrust(first, ['airflow.amazonaws.com'])
    expect(statementsOf(second).map((s) => s.Sid)).toEqual([TRUST_STATEMENT_SID, `${TRUST_STATEMENT_SID}2`])
    expect(statementsOf(second)[0]).toEqual(pinned)
  })
})
