import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type AccessRequest,
  arnAccount,
  type Caller,
  type CompiledPolicy,
  compilePolicy,
  evaluateAccess,
  evaluateRequest,
  type PolicyKind,
  type PolicySet,
  parseCaller,
} from '../../lib/iam/index'

// Small vocabularies so that random policies, callers and requests actually meet.
const A = '111122223333'
const B = '444455556666'
const ACTIONS = ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage', 'kms:Decrypt', 'logs:PutLogEvents']
const RESOURCES = [
  'arn:aws:s3:::dags/a.py',
  `arn:aws:sqs:us-east-1:${A}:q`,
  `arn:aws:sqs:us-east-1:${B}:q`,
  `arn:aws:kms:us-east-1:${A}:key/k`,
  `arn:aws:logs:us-east-1:${B}:log-group:g`,
]
const CALLERS = [
  `arn:aws:sts::${A}:assumed-role/exec/s`,
  `arn:aws:iam::${A}:role/exec`,
  `arn:aws:iam::${A}:user/ana`,
  `arn:aws:sts::${B}:assumed-role/other/s`,
  'airflow.amazonaws.com',
  'anonymous',
]
const PRINCIPALS: unknown[] = [
  '*',
  { AWS: A },
  { AWS: `arn:aws:iam::${A}:root` },
  { AWS: `arn:aws:iam::${A}:role/exec` },
  { AWS: `arn:aws:sts::${A}:assumed-role/exec/s` },
  { AWS: `arn:aws:iam::${A}:user/ana` },
  { AWS: B },
  { Service: 'airflow.amazonaws.com' },
]

const actionPattern = fc.constantFrom(...ACTIONS, '*', 's3:*', 'sqs:*', 'kms:*', '*:Put*')
const resourcePattern = fc.constantFrom(...RESOURCES, '*', 'arn:aws:s3:::dags/*', `arn:aws:*:*:${A}:*`)
const condition = fc.option(
  fc.constantFrom(
    { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
    { StringNotEquals: { 'aws:PrincipalAccount': A } },
    { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
    { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
  ),
  { nil: undefined },
)
const body = fc.record({
  Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
  Action: fc.array(actionPattern, { minLength: 1, maxLength: 2 }),
  Resource: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
  Condition: condition,
})
const clean = <T extends { Condition?: unknown }>(s: T) =>
  s.Condition === undefined ? { ...s, Condition: undefined } : s
const identityStatement = body.map((s) => strip(clean(s)))
const resourceStatement = fc
  .tuple(body, fc.constantFrom(...PRINCIPALS))
  .map(([s, Principal]) => strip({ ...s, Principal }))
const rcpStatement = body.map((s) => strip({ ...s, Principal: '*' }))
const statements = (st: fc.Arbitrary<object>) => fc.array(st, { minLength: 0, maxLength: 4 })
const request = fc.record({
  caller: fc.constantFrom(...CALLERS),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  vpce: fc.boolean(),
  org: fc.boolean(),
})
// guardrails often allow everything, so that "allowed" is common enough for the properties to bite
const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' }
const often = (st: fc.Arbitrary<object>, allowAll: object) =>
  fc.oneof(
    statements(st),
    statements(st).map((list) => [allowAll, ...list]),
  )
const guard = (st: fc.Arbitrary<object>, allowAll: object) =>
  fc.option(often(st, allowAll), { nil: undefined, freq: 2 })
const world = fc.record({
  identity: often(identityStatement, ALLOW_ALL),
  boundary: guard(identityStatement, ALLOW_ALL),
  session: guard(identityStatement, ALLOW_ALL),
  resource: fc.option(statements(resourceStatement), { nil: undefined, freq: 3 }),
  endpoint: guard(resourceStatement, { ...ALLOW_ALL, Principal: '*' }),
  scps: fc.option(fc.array(often(identityStatement, ALLOW_ALL), { minLength: 1, maxLength: 3 }), {
    nil: undefined,
    freq: 2,
  }),
  rcps: fc.option(fc.array(often(rcpStatement, { ...ALLOW_ALL, Principal: '*' }), { minLength: 1, maxLength: 2 }), {
    nil: undefined,
    freq: 2,
  }),
})
type World = typeof world extends fc.Arbitrary<infer T> ? T : never
type Req = typeof request extends fc.Arbitrary<infer T> ? T : never

function strip<T extends object>(s: T): T {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as T
}
const compile = (list: object[], kind: PolicyKind, name: string): CompiledPolicy =>
  compilePolicy({ Version: '2012-10-17', Statement: list }, name, kind)
const setOf = (w: World): PolicySet => ({
  identity: [compile(w.identity, 'identity', 'identity')],
  boundary: w.boundary && compile(w.boundary, 'boundary', 'boundary'),
  session: w.session && compile(w.session, 'session', 'session'),
  resource: w.resource && compile(w.resource, 'resource', 'resource'),
  endpoints: w.endpoint ? [compile(w.endpoint, 'endpoint', 'endpoint')] : [],
  scps: w.scps?.map((level, i) => [compile(level, 'scp', `scp${i}`)]) ?? null,
  rcps: w.rcps?.map((level, i) => [compile(level, 'rcp', `rcp${i}`)]) ?? null,
})
const accessRequest = (r: Req): AccessRequest => ({
  action: r.action,
  resource: r.resource,
  caller: parseCaller(r.caller) as Caller,
  context: { ...(r.vpce ? { 'aws:SourceVpce': 'vpce-1' } : {}), ...(r.org ? { 'aws:PrincipalOrgID': 'o-1' } : {}) },
})
const decision = (w: World, r: Req) => evaluateAccess(setOf(w), accessRequest(r)).decision

const RUNS = { numRuns: 500 }
type Narrowing = 'boundary' | 'session' | 'endpoint' | 'scps' | 'rcps'
const NARROWING: Narrowing[] = ['boundary', 'session', 'endpoint', 'scps', 'rcps']

describe('evaluateAccess properties', () => {
  it('the generators reach every decision, within and across accounts (so the properties below can fail)', () => {
    const seen = new Set<string>()
    for (const [w, r] of fc.sample(fc.tuple(world, request), { numRuns: 3000, seed: 7 })) {
      const caller = parseCaller(r.caller)!
      const across = caller.account !== undefined && caller.account !== (arnAccount(r.resource) ?? caller.account)
      seen.add(`${across ? 'across' : 'within'}:${decision(w, r)}`)
    }
    for (const where of ['within', 'across'])
      for (const d of ['allowed', 'implicitDeny', 'explicitDeny']) expect(seen).toContain(`${where}:${d}`)
  })

  it.each(NARROWING)('a %s only ever narrows: allowed with it means allowed without it', (kind) => {
    fc.assert(
      fc.property(world, request, (w, r) => {
        if (w[kind] === undefined) return
        if (decision(w, r) === 'allowed') expect(decision({ ...w, [kind]: undefined }, r)).toBe('allowed')
      }),
      RUNS,
    )
  })

  it('a resource policy never narrows what the caller gets within its own account, except KMS keys', () => {
    fc.assert(
      fc.property(
        world,
        request,
        fc.array(resourceStatement.filter((s) => (s as { Effect: string }).Effect === 'Allow')),
        (w, r, allows) => {
          const key = r.resource.includes(':kms:')
          if (key || r.resource.includes(B) || r.caller.includes(B)) return
          if (decision({ ...w, resource: undefined }, r) === 'allowed') {
            expect(decision({ ...w, resource: allows }, r)).toBe('allowed')
          }
        },
      ),
      RUNS,
    )
  })

  const placements: Array<[string, (w: World, deny: object) => World]> = [
    ['an identity-based policy', (w, d) => ({ ...w, identity: [...w.identity, d] })],
    ['the boundary', (w, d) => ({ ...w, boundary: [...(w.boundary ?? []), d] })],
    ['the session policy', (w, d) => ({ ...w, session: [...(w.session ?? []), d] })],
    ['the resource policy', (w, d) => ({ ...w, resource: [...(w.resource ?? []), { ...d, Principal: '*' }] })],
    ['the endpoint policy', (w, d) => ({ ...w, endpoint: [...(w.endpoint ?? []), { ...d, Principal: '*' }] })],
    ['an SCP level', (w, d) => ({ ...w, scps: [[...(w.scps?.[0] ?? []), d], ...(w.scps?.slice(1) ?? [])] })],
    [
      'an RCP level',
      (w, d) => ({ ...w, rcps: [[...(w.rcps?.[0] ?? []), { ...d, Principal: '*' }], ...(w.rcps?.slice(1) ?? [])] }),
    ],
  ]
  it.each(placements)('a Deny in %s that applies wins over every Allow', (where, place) => {
    const DENY = { Effect: 'Deny', Action: '*', Resource: '*' }
    fc.assert(
      fc.property(world, request, (w, r) => {
        const caller = parseCaller(r.caller)!
        const iam = caller.type !== 'service' && caller.type !== 'anonymous'
        // identity-side documents and SCPs do not apply to service principals and anonymous callers; RCPs apply to
        // every service of this vocabulary (S3, SQS, KMS, CloudWatch Logs)
        if (!iam && !['the resource policy', 'the endpoint policy', 'an RCP level'].includes(where)) return
        expect(decision(place(w, DENY), r)).toBe('explicitDeny')
      }),
      RUNS,
    )
  })

  it('adding a Deny statement anywhere never widens access', () => {
    fc.assert(
      fc.property(world, request, identityStatement, fc.constantFrom(...placements), (w, r, st, [, place]) => {
        const deny = { ...st, Effect: 'Deny' }
        if (decision(place(w, deny), r) === 'allowed') expect(decision(w, r)).toBe('allowed')
      }),
      RUNS,
    )
  })

  it('across accounts both sides must allow: without the resource policy, or without identity policies, never allowed', () => {
    fc.assert(
      fc.property(world, request, (w, r) => {
        const caller = parseCaller(r.caller)!
        const resourceAccount = arnAccount(r.resource) ?? caller.account
        if (caller.account === undefined || caller.account === resourceAccount) return
        expect(decision({ ...w, resource: undefined }, r)).not.toBe('allowed')
        expect(decision({ ...w, identity: [] }, r)).not.toBe('allowed')
      }),
      RUNS,
    )
  })

  it('with identity-based policies and a boundary only, evaluateAccess decides as evaluateRequest, by the same statements', () => {
    fc.assert(
      fc.property(world, request, (w, r) => {
        const set = setOf({
          ...w,
          session: undefined,
          resource: undefined,
          endpoint: undefined,
          scps: undefined,
          rcps: undefined,
        })
        const plain = { action: r.action, resource: r.resource, context: accessRequest(r).context }
        const fast = evaluateRequest({ identity: set.identity!, boundary: set.boundary ?? null }, plain)
        const full = evaluateAccess(set, plain)
        expect(full.decision).toBe(fast.decision)
        expect(full.statements).toEqual(fast.statements)
        const missing = full.missing?.map((g) => g.kind).join('-and-')
        expect(missing).toBe(fast.missing)
      }),
      RUNS,
    )
  })
})
