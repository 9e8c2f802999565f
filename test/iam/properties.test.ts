import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compilePolicy, evaluateRequest, type EvaluationRequest, type PolicyStatement } from '../../lib/iam/index'
import { encodeWildcards, globMatch } from '../../lib/iam/glob'
import { parseIp } from '../../lib/iam/ip'

// Small vocabularies so that random statements and requests actually meet.
const SERVICES = ['s3', 'iam', 'sqs']
const NAMES = ['GetObject', 'PutObject', 'ListBucket', 'GetUser', 'CreateUser', 'SendMessage']
const RESOURCES = [
  'arn:aws:s3:::b/k',
  'arn:aws:s3:::b',
  'arn:aws:s3:::logs/x',
  'arn:aws:iam::111122223333:user/ana',
  '*',
]

const randomCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''))
const actionArb = fc.tuple(fc.constantFrom(...SERVICES), fc.constantFrom(...NAMES)).map(([s, n]) => `${s}:${n}`)
const actionPatternArb = fc.oneof(
  actionArb,
  actionArb.chain(randomCase),
  fc.constantFrom('*', 's3:*', 'iam:Get*', '*:*Object', 's3:?utObject', 'sqs:*'),
)
const resourcePatternArb = fc.oneof(
  fc.constantFrom(...RESOURCES),
  fc.constantFrom('arn:aws:s3:::b/*', 'arn:aws:s3:::*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:s3:::*log*'),
)
const conditionArb = fc.oneof(
  fc
    .record({
      op: fc.constantFrom('StringEquals', 'StringNotEquals', 'StringEqualsIfExists', 'StringLike'),
      value: fc.constantFrom('red', 'blue', 'r*'),
    })
    .map(({ op, value }) => ({ [op]: { 'aws:PrincipalTag/team': value } })),
  fc.constantFrom(
    { Bool: { 'aws:SecureTransport': 'false' } },
    { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
    { 'ForAllValues:StringLike': { 'aws:TagKeys': 'a*' } },
    { Null: { 'aws:TokenIssueTime': 'true' } },
  ),
)
const statementArb: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    not: fc.boolean(),
    actions: fc.array(actionPatternArb, { minLength: 1, maxLength: 3 }),
    notResource: fc.boolean(),
    resources: fc.array(resourcePatternArb, { minLength: 1, maxLength: 2 }),
    condition: fc.option(conditionArb, { nil: undefined }),
  })
  .map(
    (s): PolicyStatement => ({
      Effect: s.Effect,
      [s.not ? 'NotAction' : 'Action']: s.actions,
      [s.notResource ? 'NotResource' : 'Resource']: s.resources,
      ...(s.condition === undefined ? {} : { Condition: s.condition as PolicyStatement['Condition'] }),
    }),
  )
const requestArb: fc.Arbitrary<EvaluationRequest> = fc.record({
  action: actionArb.chain(randomCase),
  resource: fc.constantFrom(...RESOURCES),
  context: fc.record(
    {
      'aws:PrincipalTag/team': fc.constantFrom('red', 'blue', 'green'),
      'aws:SecureTransport': fc.constantFrom('true', 'false'),
      'aws:TagKeys': fc.subarray(['a', 'b', 'c']),
      'aws:username': fc.constantFrom('ana', 'bob'),
      'aws:TokenIssueTime': fc.constant('2024-01-01T00:00:00Z'),
    },
    { requiredKeys: [] },
  ),
})
const statementsArb = fc.array(statementArb, { minLength: 0, maxLength: 5 })
// a boundary that often allows something, so the boundary property is not vacuous
const boundaryArb = fc.oneof(
  statementsArb,
  statementsArb.map((s): PolicyStatement[] => [{ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' }, ...s]),
)

const compile = (statements: PolicyStatement[], kind: 'identity' | 'boundary' = 'identity') =>
  compilePolicy({ Version: '2012-10-17', Statement: statements }, kind, kind)
const decisionOf = (statements: PolicyStatement[], request: EvaluationRequest, boundary?: PolicyStatement[]) =>
  evaluateRequest(
    { identity: [compile(statements)], boundary: boundary ? compile(boundary, 'boundary') : null },
    request,
  ).decision

const RUNS = { numRuns: 400 }

describe('evaluation properties', () => {
  it('adding a Deny statement never widens access', () => {
    fc.assert(
      fc.property(statementsArb, statementArb, requestArb, (statements, extra, request) => {
        const deny = { ...extra, Effect: 'Deny' as const }
        if (decisionOf([...statements, deny], request) === 'allowed')
          expect(decisionOf(statements, request)).toBe('allowed')
      }),
      RUNS,
    )
  })

  it('adding an Allow statement never narrows access, and never lifts an explicit deny', () => {
    fc.assert(
      fc.property(statementsArb, statementArb, requestArb, (statements, extra, request) => {
        const before = decisionOf(statements, request)
        const after = decisionOf([...statements, { ...extra, Effect: 'Allow' }], request)
        if (before === 'allowed') expect(after).toBe('allowed')
        if (before === 'explicitDeny') expect(after).toBe('explicitDeny')
      }),
      RUNS,
    )
  })

  it('a permissions boundary only narrows', () => {
    fc.assert(
      fc.property(statementsArb, boundaryArb, requestArb, (identity, boundary, request) => {
        if (decisionOf(identity, request, boundary) === 'allowed') expect(decisionOf(identity, request)).toBe('allowed')
      }),
      RUNS,
    )
  })

  it('the decision does not depend on statement order or on how statements are split into policies', () => {
    fc.assert(
      fc.property(statementsArb, requestArb, fc.nat(), (statements, request, cut) => {
        const at = statements.length === 0 ? 0 : cut % statements.length
        const whole = decisionOf(statements, request)
        expect(decisionOf([...statements].reverse(), request)).toBe(whole)
        const split = evaluateRequest(
          { identity: [compile(statements.slice(0, at)), compile(statements.slice(at))] },
          request,
        ).decision
        expect(split).toBe(whole)
      }),
      RUNS,
    )
  })

  it('Action and NotAction with the same list split every action between them', () => {
    fc.assert(
      fc.property(fc.array(actionPatternArb, { minLength: 1, maxLength: 3 }), requestArb, (actions, request) => {
        const a = decisionOf([{ Effect: 'Allow', Action: actions, Resource: '*' }], request) === 'allowed'
        const na = decisionOf([{ Effect: 'Allow', NotAction: actions, Resource: '*' }], request) === 'allowed'
        expect(a).not.toBe(na)
      }),
      RUNS,
    )
  })

  it('condition key names in the request context are not case sensitive', () => {
    fc.assert(
      fc.property(statementsArb, requestArb, (statements, request) => {
        const shouted = Object.fromEntries(Object.entries(request.context ?? {}).map(([k, v]) => [k.toUpperCase(), v]))
        expect(decisionOf(statements, { ...request, context: shouted })).toBe(decisionOf(statements, request))
      }),
      RUNS,
    )
  })
})

describe('matcher properties', () => {
  const reference = (pattern: string, s: string) =>
    new RegExp(
      `^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`,
      's',
    ).test(s)

  it('the glob matcher agrees with a regular-expression reference', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '/', ':', '*', '?'), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '/', ':'), maxLength: 10 }),
        (p, s) => {
          expect(globMatch(encodeWildcards(p), s)).toBe(reference(p, s))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('an IPv6 address parses the same compressed and expanded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
        fc.nat(7),
        fc.nat(7),
        (groups, from, len) => {
          const hex = groups.map((g) => g.toString(16))
          const full = hex.join(':')
          const start = Math.min(from, 7)
          const end = Math.min(8, start + 1 + (len % 4))
          const zeroed = hex.map((h, i) => (i >= start && i < end ? '0' : h))
          const compressed = `${zeroed.slice(0, start).join(':')}::${zeroed.slice(end).join(':')}`
          expect(parseIp(compressed)).toEqual(parseIp(zeroed.join(':')))
          expect(parseIp(full)).toHaveLength(4)
        },
      ),
      RUNS,
    )
  })
})
