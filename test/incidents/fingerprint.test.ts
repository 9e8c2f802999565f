import { describe, expect, it } from 'vitest'
import type { Finding } from '../../lib/drift/findings'
import { fingerprintOf, newIncidentId, stableHash } from '../../lib/incidents'
import { DOC } from './docs'
import { missing, T0 } from './support'

const logs = missing('AirflowLogs')
const queue = missing('CeleryQueue')
const denied = (f: Finding): Finding =>
  f.kind === 'not-granted'
    ? {
        ...f,
        kind: 'denied',
        by: [{ policy: 'inline:guardrail', kind: 'identity', index: 0, sid: 'NoLogs', effect: 'Deny' }],
      }
    : f

describe('an incident is one problem: the same missing permissions for the same causes', () => {
  it.each([
    [DOC.pagerDuty, 'the same findings in another order', [...logs].reverse(), true],
    [DOC.pagerDuty, 'the same findings twice over', [...logs, ...logs], true],
    [DOC.alertmanager, 'one more permission missing', [...logs, ...queue], false],
    [DOC.alertmanager, 'one permission fewer', logs.slice(1), false],
    [DOC.alertmanager, 'the same permissions, now explicitly denied', logs.map(denied), false],
  ])('%s: %s -> same fingerprint: %s', (_doc, _case, other, same) => {
    expect(fingerprintOf(other) === fingerprintOf(logs)).toBe(same)
  })

  it(`${DOC.pagerDuty}: a denial moved to another statement index of the same policy is the same cause`, () => {
    const at = (index: number) => logs.map((f) => ({ ...denied(f), by: [{ ...(denied(f) as any).by[0], index }] }))
    expect(fingerprintOf(at(0))).toBe(fingerprintOf(at(3)))
  })

  it('incident ids are short, stable for role + environment + opening time, and distinct otherwise', () => {
    const id = newIncidentId('Role-A', 'env', T0)
    expect(id).toMatch(/^inc-[0-9a-f]{12}$/)
    expect(newIncidentId('role-a', 'env', T0)).toBe(id)
    expect(new Set([id, newIncidentId('role-a', 'env', T0 + 1), newIncidentId('role-a', 'env2', T0)]).size).toBe(3)
  })

  it('the hash ignores object key order but not array order (statement order is part of a policy)', () => {
    expect(stableHash({ a: 1, b: [1, 2] })).toBe(stableHash({ b: [1, 2], a: 1 }))
    expect(stableHash({ a: 1, b: [1, 2] })).not.toBe(stableHash({ a: 1, b: [2, 1] }))
    // FNV-1a 64 test vector: "a" -> af63dc4c8601ec8c (http://www.isthe.com/chongo/tech/comp/fnv/)
    expect(stableHash('a')).toBe('af63dc4c8601ec8c')
  })
})
