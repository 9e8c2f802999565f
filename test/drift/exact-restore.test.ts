import { describe, expect, it } from 'vitest'
import { findDrift } from '../../lib/drift/find-drift'
import { exactRestores } from '../../lib/drift/exact-restore'
import { INLINE_POLICY_QUOTA } from '../../lib/drift/plan-heal'
import type { Finding } from '../../lib/drift/findings'
import type { RoleState } from '../../lib/drift/types'
import { DOC } from './docs'
import { baselineOf, catalogue, doc, roleOf } from './support'

const b = baselineOf('custodian-1')
const bySid = (sid: string) => b.policy.Statement.find((s) => s.Sid === sid)!
const logsPolicy = { name: 'mwaa-logs', document: doc(bySid('AirflowLogs')) }
const others = doc(...b.policy.Statement.filter((s) => s.Sid !== 'AirflowLogs'))
const withoutLogs: RoleState = roleOf(b, {}, others)
const notGranted = (role: RoleState) =>
  findDrift(role, [b]).findings.filter((f): f is Extract<Finding, { kind: 'not-granted' }> => f.kind === 'not-granted')

const run = (lastKnownGood: Array<{ name: string; document: any }>, role = withoutLogs, quota = INLINE_POLICY_QUOTA) =>
  exactRestores({ role, baselines: [b], catalogue, lastKnownGood, missing: notGranted(role), quota })

describe('exact restore: a removed inline policy goes back under its own name, exactly as it was', () => {
  it(`${DOC.mwaaRole}: a removed policy within the baseline is restored as it was and covers what it restores`, () => {
    const result = run([logsPolicy, { name: 'execution', document: others }])
    expect(result.restores.map((r) => [r.policyName, r.document])).toEqual([['mwaa-logs', logsPolicy.document]])
    expect(result.left).toEqual([])
    expect(result.restores[0]!.restores.length).toBe(notGranted(withoutLogs).length)
  })

  it(`${DOC.mwaaRole}: a remembered policy that grants more than the baseline is never written back`, () => {
    const broad = {
      name: 'mwaa-logs',
      document: doc(bySid('AirflowLogs'), {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::reports/*',
      }),
    }
    const result = run([broad])
    expect(result.restores).toEqual([])
    expect(result.left.length).toBe(notGranted(withoutLogs).length)
    expect(result.notes[0]).toMatch(
      /^not restoring inline policy mwaa-logs as it was: it grants more than the baseline \(s3:PutObject/,
    )
  })

  it(`${DOC.mwaaRole}: a remembered wildcard grant is beyond the baseline too`, () => {
    const result = run([{ name: 'mwaa-logs', document: doc({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }) }])
    expect(result.restores).toEqual([])
  })

  it(`${DOC.mwaaRole}: a remembered policy that restores nothing missing is left alone`, () => {
    const result = run([{ name: 'queue-extra', document: doc(bySid('CeleryQueue')) }])
    expect(result.restores).toEqual([])
    expect(result.notes).toEqual([])
  })

  it(`${DOC.quotas}: a restore that would take the role's inline policies over the quota is not made`, () => {
    const size = JSON.stringify(others).length
    const result = run([logsPolicy], withoutLogs, size + 10)
    expect(result.restores).toEqual([])
    expect(result.notes[0]).toMatch(/would exceed/)
  })

  it(`${DOC.mwaaRole}: a policy still present under its name is not "removed" (changed policies go to the restore policy)`, () => {
    const narrowed = roleOf(b, {
      inlinePolicies: [
        { name: 'mwaa-logs', document: doc({ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' }) },
        { name: 'execution', document: others },
      ],
    })
    expect(run([logsPolicy], narrowed).restores).toEqual([])
  })
})
