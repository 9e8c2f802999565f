/**
 * Property tests of the heal: whatever part of the baseline a role lost, the plan restores it without granting more
 * than the baseline, never touches a Deny or the boundary, and a second plan has nothing left to do.
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html (what the role needs)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html (how the plan is judged)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Baseline } from '../../lib/baseline/types'
import { isHealable } from '../../lib/drift/findings'
import type { HealPlan } from '../../lib/drift/plan-heal'
import type { RoleState } from '../../lib/drift/types'
import { compilePolicy, evaluateRequest, evaluateResourcePolicy } from '../../lib/iam'
import type { PolicyDocument, PolicyStatement, RequestContext } from '../../lib/iam/types'
import { SAMPLES, type Sample } from '../baseline/corpus'
import { DOC } from './docs'
import { healRound } from './heal'
import { asList, baselineOf, catalogue, doc, roleOf, statementsOf } from './support'

const PRINCIPALS = ['airflow.amazonaws.com', 'airflow-env.amazonaws.com']
const ACTIONS = catalogue.expand('*')

/** Concrete resources around an environment: its own, near misses, other accounts, other Regions, "*". */
function resourcesNear(b: Baseline): fc.Arbitrary<string> {
  const { region, accountId: acct, name, arn, kmsKey } = b.environment
  const bucket = b.policy.Statement.flatMap((s) => asList(s.Resource)).find((r) => r.startsWith('arn:aws:s3:::'))!
  const word = fc.stringMatching(/^[a-z0-9-]{1,12}$/)
  const fixed = [...new Set(b.checks.map((c) => c.resource))]
  return fc.oneof(
    fc.constantFrom(
      ...fixed,
      '*',
      arn,
      `${arn}-2`,
      `${bucket}-other`,
      'arn:aws:s3:::other',
      `arn:aws:kms:${region}:${acct}:key/other`,
      ...(kmsKey ? [kmsKey] : []),
    ),
    word.map((w) => `${bucket}/${w}`),
    word.map((w) => `arn:aws:s3:::${w}/${w}`),
    fc
      .tuple(fc.constantFrom(region, 'eu-west-1'), fc.constantFrom(acct, '000000000000', '111122223333'), word)
      .chain(([r, a, w]) =>
        fc.constantFrom(
          `arn:aws:logs:${r}:${a}:log-group:airflow-${name}-${w}`,
          `arn:aws:logs:${r}:${a}:log-group:airflow-${name}-${w}:log-stream:${w}`,
          `arn:aws:logs:${r}:${a}:log-group:${w}`,
          `arn:aws:sqs:${r}:${a}:airflow-celery-${w}`,
          `arn:aws:sqs:${r}:${a}:${w}`,
          `arn:aws:kms:${r}:${a}:key/${w}`,
          `arn:aws:airflow:${r}:${a}:environment/${w}`,
        ),
      ),
  )
}

const contexts = (b: Baseline): fc.Arbitrary<RequestContext> =>
  fc.constantFrom<RequestContext>(
    {},
    { 'kms:ViaService': `sqs.${b.environment.region}.amazonaws.com` },
    { 'kms:ViaService': `s3.${b.environment.region}.amazonaws.com` },
    { 'kms:ViaService': `ec2.${b.environment.region}.amazonaws.com` },
    { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' },
  )

/** Drift scenario: some baseline statements and trust principals removed. */
const scenario = fc.constantFrom<Sample>(...SAMPLES).chain((name) => {
  const b = baselineOf(name)
  const sids = b.policy.Statement.map((s) => s.Sid!)
  const needed = [...new Set(b.checks.map((c) => c.action))]
  return fc.record({
    name: fc.constant(name),
    removed: fc.subarray(sids),
    principalsRemoved: fc.subarray(PRINCIPALS),
    requests: fc.array(
      fc.record({
        action: fc.oneof(fc.constantFrom(...needed), fc.constantFrom(...ACTIONS)),
        resource: resourcesNear(b),
        context: contexts(b),
      }),
      { minLength: 150, maxLength: 150 },
    ),
  })
})

function driftedRole(b: Baseline, removed: string[], principalsRemoved: string[]): RoleState {
  const kept = PRINCIPALS.filter((p) => !principalsRemoved.includes(p))
  const trust = doc(
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ...(kept.length > 0 ? [{ Effect: 'Allow' as const, Principal: { Service: kept }, Action: 'sts:AssumeRole' }] : []),
  )
  return roleOf(b, { trustPolicy: trust }, doc(...b.policy.Statement.filter((s) => !removed.includes(s.Sid!))))
}

const inlineDocuments = (plan: HealPlan): PolicyDocument[] =>
  plan.writes.flatMap((w) => (w.kind === 'put-inline-policy' ? [w.document] : []))

/** Structural: each restored statement is a baseline statement narrowed (same Sid root, Effect, condition; fewer actions and resources). */
function narrowedFromBaseline(statement: PolicyStatement, b: Baseline): string | undefined {
  const source = b.policy.Statement.find((s) => s.Sid === statement.Sid?.replace(/\d+$/, '') || s.Sid === statement.Sid)
  if (!source) return `no baseline statement ${statement.Sid}`
  if (statement.Effect !== 'Allow' || statement.NotAction !== undefined) return `${statement.Sid}: not a plain Allow`
  const allowed = new Set(
    asList(source.Action)
      .flatMap((p) => catalogue.expand(p))
      .map((a) => a.toLowerCase()),
  )
  const extra = asList(statement.Action).filter((a) => !allowed.has(a.toLowerCase()))
  if (extra.length > 0) return `${statement.Sid}: actions ${extra.join(', ')} not in the baseline statement`
  const extraResources = asList(statement.Resource).filter((r) => !asList(source.Resource).includes(r))
  if (extraResources.length > 0)
    return `${statement.Sid}: resources ${extraResources.join(', ')} not in the baseline statement`
  if (JSON.stringify(statement.NotResource) !== JSON.stringify(source.NotResource))
    return `${statement.Sid}: NotResource differs`
  if (JSON.stringify(statement.Condition) !== JSON.stringify(source.Condition))
    return `${statement.Sid}: Condition differs`
  return undefined
}

describe('heal plans never grant more than the baseline (fast-check)', () => {
  it(`${DOC.mwaaRole}: for random drift, every restored statement is a narrowed baseline statement and every concrete request it allows the baseline allows`, () => {
    let exercised = 0
    fc.assert(
      fc.property(scenario, ({ name, removed, principalsRemoved, requests }) => {
        const b = baselineOf(name)
        const { plan } = healRound(driftedRole(b, removed, principalsRemoved), [b])
        const baseline = compilePolicy(b.policy, 'baseline', 'identity')
        for (const document of inlineDocuments(plan)) {
          for (const statement of statementsOf(document)) expect(narrowedFromBaseline(statement, b)).toBeUndefined()
          const restored = compilePolicy(document, 'restore', 'identity')
          for (const request of requests) {
            if (evaluateRequest({ identity: [restored] }, request).decision !== 'allowed') continue
            exercised++
            expect({ ...request, decision: evaluateRequest({ identity: [baseline] }, request).decision }).toEqual({
              ...request,
              decision: 'allowed',
            })
          }
        }
        // The trust write adds only the MWAA principals that were missing.
        for (const write of plan.writes)
          if (write.kind === 'update-trust-policy')
            expect([...write.adds].sort()).toEqual([...principalsRemoved].sort())
        // Something was removed exactly when there is something to write.
        expect(plan.writes.length > 0).toBe(removed.length > 0 || principalsRemoved.length > 0)
      }),
      { numRuns: 150 },
    )
    // The independent check must have judged many allowed requests, or it proves nothing.
    expect(exercised).toBeGreaterThan(1000)
  })
})

describe('applying the plan converges (fast-check)', () => {
  const guarded = fc.constantFrom<Sample>(...SAMPLES).chain((name) => {
    const b = baselineOf(name)
    const actions = [...new Set(b.checks.map((c) => c.action))]
    return fc.record({
      name: fc.constant(name),
      removed: fc.subarray(b.policy.Statement.map((s) => s.Sid!)),
      principalsRemoved: fc.subarray(PRINCIPALS),
      denied: fc.subarray(actions, { maxLength: 4 }),
      boundaryServices: fc.option(
        fc.subarray(['s3', 'logs', 'sqs', 'kms', 'airflow', 'cloudwatch'], { minLength: 1 }),
        { nil: undefined },
      ),
      trustDeny: fc.option(fc.constantFrom(...PRINCIPALS), { nil: undefined }),
    })
  })

  it(`${DOC.evaluation}: after applyPlan only Deny- or boundary-blocked findings remain, they stay untouched, and a second plan writes nothing`, () => {
    fc.assert(
      fc.property(guarded, ({ name, removed, principalsRemoved, denied, boundaryServices, trustDeny }) => {
        const b = baselineOf(name)
        const role = driftedRole(b, removed, principalsRemoved)
        if (denied.length > 0)
          role.inlinePolicies.push({
            name: 'guardrail',
            document: doc({ Sid: 'Guard', Effect: 'Deny', Action: denied, Resource: '*' }),
          })
        if (boundaryServices)
          role.permissionsBoundary = {
            arn: 'arn:aws:iam::123456789012:policy/boundary',
            document: doc({ Effect: 'Allow', Action: boundaryServices.map((s) => `${s}:*`), Resource: '*' }),
          }
        if (trustDeny)
          role.trustPolicy = doc(...statementsOf(role.trustPolicy), {
            Sid: 'NoMwaa',
            Effect: 'Deny',
            Principal: { Service: trustDeny },
            Action: 'sts:AssumeRole',
          })
        const before = structuredClone(role)

        const round = healRound(role, [b])
        expect(round.after.findings.filter(isHealable)).toEqual([])
        for (const f of round.after.findings) {
          if (f.kind === 'denied') expect(f.by.map((r) => r.policy).every((p) => p === 'inline:guardrail')).toBe(true)
          if (f.kind === 'trust-missing') expect(f.check.principal).toBe(trustDeny)
        }
        // The Deny, the boundary and every existing trust statement are kept exactly.
        expect(round.healed.inlinePolicies.find((p) => p.name === 'guardrail')).toEqual(
          before.inlinePolicies.find((p) => p.name === 'guardrail'),
        )
        expect(round.healed.permissionsBoundary).toEqual(before.permissionsBoundary)
        for (const s of statementsOf(before.trustPolicy))
          expect(statementsOf(round.healed.trustPolicy)).toContainEqual(s)
        expect(role).toEqual(before) // applyPlan does not mutate its input
        expect(round.second.writes).toEqual([])
        // The trusted principals are exactly the MWAA ones not explicitly denied.
        const trust = compilePolicy(round.healed.trustPolicy, 'trust', 'resource')
        for (const p of PRINCIPALS) {
          const decision = evaluateResourcePolicy(trust, {
            action: 'sts:AssumeRole',
            resource: role.arn,
            principal: { type: 'Service', id: p },
            context: b.trustChecks[0]!.context,
          }).decision
          expect(decision).toBe(p === trustDeny ? 'explicitDeny' : 'allowed')
        }
      }),
      { numRuns: 150 },
    )
  })
})
