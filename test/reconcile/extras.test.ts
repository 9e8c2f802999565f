/**
 * EXTRAS_PARAMETER in the shell, over fake adapters: compiled extras read once per event, checked like the baseline;
 * a parameter that cannot be used is logged and skipped, and the roles are checked against the baseline alone.
 */
import { describe, expect, it } from 'vitest'
import { compileExtras } from '../../lib/baseline/compile-extras'
import { parseExtras } from '../../lib/baseline/extras'
import { catalogueFromData } from '../../lib/catalogue/catalogue-from-data'
import { readIamData } from '../../lib/catalogue/load-full'
import { handleEvent } from '../../lib/reconcile/handle-event'
import { sweep } from '../../lib/reconcile/sweep'
import { SECRETS_MANAGER_DOC, SECRETS_ONLY_EXTRAS as EXTRAS } from '../baseline/extras-sample'
import { healthyWorld, iamEvent } from './fakes'

const PARAMETER = '/mwaa-role-guard/extras'
const full = readIamData()
const COMPILED = JSON.stringify(
  compileExtras(
    parseExtras(EXTRAS, 'extras.yaml', catalogueFromData(full.actions, full.arnFormats)),
    full,
    full.source.version,
  ),
)

/** A healthy world (its role grants the baseline, not the extras) whose SecureString parameter holds `value`. */
function world(value: string | Error, env: Record<string, string> = { EXTRAS_PARAMETER: PARAMETER }) {
  const w = healthyWorld(env)
  const reads: string[] = []
  const errors: Array<{ message: string; fields?: Record<string, unknown> }> = []
  w.deps.ssm = {
    async getParameter(name) {
      reads.push(name)
      if (value instanceof Error) throw value
      return { value, type: 'SecureString' }
    },
  }
  w.deps.log = { ...w.deps.log, error: (message, fields) => void errors.push({ message, fields }) }
  const role = [...w.roles.values()][0]!
  const event = iamEvent('PutRolePolicy', { roleName: role.name, policyName: 'mwaa' })
  return { ...w, reads, errors, role, event }
}

describe('EXTRAS_PARAMETER: compiled extras are checked like the baseline', () => {
  it(`a role missing an extras permission is reported, by statement (${SECRETS_MANAGER_DOC})`, async () => {
    const w = world(COMPILED)
    const summary = await handleEvent(w.event, w.deps)
    expect(summary.roles[0]).toMatchObject({ result: 'reported', findings: 2 })
    expect(summary.extrasSkipped).toBeUndefined()
    const findings = w.alerts[0]!.report.findings
    expect(findings.map((f) => f.check.id).sort()).toEqual([
      'secretsmanager:DescribeSecret arn:aws:secretsmanager:us-east-1:644160558196:secret:airflow/*',
      'secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:644160558196:secret:airflow/*',
    ])
    expect(new Set(findings.map((f) => ('statement' in f.check ? f.check.statement : f.kind)))).toEqual(
      new Set(['AirflowSecrets']),
    )
  })

  it('heal mode with HEAL_EXTRAS=true restores the extras statement, and a second pass finds nothing to do', async () => {
    const w = world(COMPILED, { EXTRAS_PARAMETER: PARAMETER, HEAL_EXTRAS: 'true' })
    w.role.tags = { 'mwaa-role-guard:mode': 'heal' }
    expect((await handleEvent(w.event, w.deps)).roles[0]).toMatchObject({
      result: 'healed',
      writes: ['put-inline-policy'],
    })
    expect((await handleEvent(w.event, w.deps)).roles[0]?.result).toBe('healthy')
  })

  it('is read once per event, however many roles the event names', async () => {
    const w = world(COMPILED)
    w.deps.iam = { ...w.deps.iam, rolesForPolicy: async () => [w.role.name, 'another-role'] }
    const policyArn = 'arn:aws:iam::644160558196:policy/shared'
    const summary = await handleEvent(
      iamEvent('CreatePolicyVersion', { policyArn, policyDocument: '{}', setAsDefault: true }),
      w.deps,
    )
    expect(summary.roles.map((r) => r.result)).toEqual(['reported', 'role-not-found'])
    expect(w.reads).toEqual([PARAMETER])
  })

  it('is not read for an event that names no role to check, nor when EXTRAS_PARAMETER is not set', async () => {
    const ignored = world(COMPILED)
    await handleEvent(
      { ...ignored.event, detail: { ...ignored.event.detail, errorCode: 'AccessDenied' } },
      ignored.deps,
    )
    expect(ignored.reads).toEqual([])
    const unset = world(COMPILED, {})
    expect((await handleEvent(unset.event, unset.deps)).roles[0]?.result).toBe('healthy')
    expect(unset.reads).toEqual([])
  })
})

describe('EXTRAS_PARAMETER that cannot be used: logged, skipped, the baseline still checked', () => {
  it.each<[string, string | Error, RegExp]>([
    ['the YAML file put as is', EXTRAS, /^SSM parameter \/mwaa-role-guard\/extras: not valid JSON/],
    ['another format version', COMPILED.replace('"formatVersion":1', '"formatVersion":2'), /formatVersion: expected 1/],
    [
      'a missing parameter',
      Object.assign(new Error('Parameter /mwaa-role-guard/extras not found.'), { name: 'ParameterNotFound' }),
      /^SSM parameter \/mwaa-role-guard\/extras: ParameterNotFound: /,
    ],
  ])('%s: the event is handled, the summary and the log say why extras were skipped', async (_case, value, reason) => {
    const w = world(value)
    const summary = await handleEvent(w.event, w.deps)
    expect(summary.roles[0]?.result).toBe('healthy')
    expect(summary.extrasSkipped).toMatch(reason)
    expect(w.errors).toHaveLength(1)
    expect(w.errors[0]!.message).toMatch(/^extras not checked/)
    expect(w.errors[0]!.fields).toMatchObject({ parameter: PARAMETER, error: expect.stringMatching(reason) })
  })

  it('an alert about baseline drift says the extras were not checked', async () => {
    const w = world('{}')
    const doc = w.role.inlinePolicies[0]!.document
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
    w.role.inlinePolicies[0]!.document = { ...doc, Statement: statements.filter((s) => s.Sid !== 'CeleryQueue') }
    const summary = await handleEvent(w.event, w.deps)
    expect(summary.roles[0]).toMatchObject({ result: 'reported', findings: 6 })
    expect(w.alerts[0]!.report.warnings[0]).toMatch(
      /^extras not checked \(only the MWAA baseline was\): SSM parameter \/mwaa-role-guard\/extras: format: /,
    )
  })

  it('the sweep goes on too, and says so', async () => {
    const w = world('{}')
    const summary = await sweep(w.deps)
    expect(summary.roles.map((r) => r.result)).toEqual(['healthy'])
    expect(summary.extrasSkipped).toMatch(/format: expected "mwaa-role-guard\/compiled-extras"/)
  })
})
