/**
 * What a user does: print the policy the environment needs, put it on the role, check; then lose any one statement
 * (or trust principal) and check again. https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html
 */
import { afterAll, describe, expect, it } from 'vitest'
import { featureInfo } from '../../lib/baseline/features'
import type { Feature } from '../../lib/baseline/types'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'
import { SAMPLES, sample, type Sample } from '../baseline/corpus'
import { DOC } from '../drift/docs'
import { baselineOf, doc, roleOf, statementsOf } from '../drift/support'
import { authorizationDetails, environmentFile, run, scratch, type Encoding } from './support'

const files = scratch('roundtrip')
afterAll(() => files.remove())

const ENCODINGS: Encoding[] = ['object', 'json', 'url']
const printed = new Map<Sample, { policy: PolicyDocument; trust: PolicyDocument }>()

/** `baseline --part policy` and `--part trust`, parsed: exactly what a user pastes into IAM. */
async function printedDocuments(name: Sample) {
  let docs = printed.get(name)
  if (!docs) {
    const policy = await run('baseline', '--environment-file', environmentFile(name), '--part', 'policy')
    const trust = await run('baseline', '--environment-file', environmentFile(name), '--part', 'trust')
    expect([policy.code, trust.code]).toEqual([0, 0])
    docs = { policy: JSON.parse(policy.out), trust: JSON.parse(trust.out) }
    printed.set(name, docs)
  }
  return docs
}

async function check(name: Sample, policy: PolicyDocument, trust: PolicyDocument, encoding: Encoding, json = false) {
  const b = baselineOf(name)
  const role = roleOf(b, { trustPolicy: trust }, policy)
  const auth = files.file(authorizationDetails(role, { encoding }))
  return run(
    'check',
    '--environment-file',
    environmentFile(name),
    '--authorization-details',
    auth,
    ...(json ? ['--json'] : []),
  )
}

const featureOf = (name: Sample, sid: string): Feature =>
  baselineOf(name).checks.find((c) => c.statement === sid)!.feature

describe('baseline prints a policy that check accepts, for every corpus sample', () => {
  it.each(SAMPLES.map((s, i) => [DOC.mwaaRole, s, ENCODINGS[i % 3]!] as const))(
    '%s: %s (documents as %s)',
    async (_doc, name, encoding) => {
      const { policy, trust } = await printedDocuments(name)
      const result = await check(name, policy, trust, encoding)
      expect(result.code).toBe(0)
      expect(result.out).toMatch(/^OK: all \d+ required permissions are granted\.$/m)
    },
  )

  it.each(SAMPLES.map((s) => [DOC.mwaaRole, s] as const))(
    '%s: the full baseline output of %s holds both documents, and --json the same policy',
    async (_doc, name) => {
      const { policy, trust } = await printedDocuments(name)
      const full = await run('baseline', '--environment-file', environmentFile(name))
      expect(full.code).toBe(0)
      expect(full.out).toContain(JSON.stringify(policy, null, 2))
      expect(full.out).toContain(JSON.stringify(trust, null, 2))
      const key = sample(name).KmsKey ? `customer managed key ${sample(name).KmsKey}` : 'AWS owned key'
      expect(full.out.split('\n')[0]).toContain(key)
      const json = JSON.parse((await run('baseline', '--environment-file', environmentFile(name), '--json')).out)
      expect(json.policy).toEqual(policy)
      expect(json.trustPolicy).toEqual(trust)
    },
  )
})

describe('removing any one statement makes check exit 1 and name the statement and the feature', () => {
  const cases = SAMPLES.flatMap((name) =>
    statementsOf(baselineOf(name).policy).map((s, i) => [DOC.mwaaRole, name, s.Sid!, i] as const),
  )

  it.each(cases)('%s: %s without %s', async (_doc, name, sid, index) => {
    const { policy, trust } = await printedDocuments(name)
    const statements = statementsOf(policy).filter((_s: PolicyStatement, i: number) => i !== index)
    const text = await check(name, doc(...statements), trust, ENCODINGS[index % 3]!)
    expect(text.code).toBe(1)
    expect(text.out).toContain(`(baseline statement ${sid})`)
    expect(text.out).toContain(`✗ ${featureInfo(featureOf(name, sid)).title}`)

    const json = await check(name, doc(...statements), trust, 'object', true)
    expect(json.code).toBe(1)
    const parsed = JSON.parse(json.out)
    expect(parsed.status).toBe('drift')
    expect(new Set(parsed.findings.map((f: { check: { statement: string } }) => f.check.statement))).toEqual(
      new Set([sid]),
    )
    expect(parsed.findings[0]).toMatchObject({ kind: 'not-granted', feature: featureOf(name, sid) })
    expect(parsed.healPlan.writes.map((w: { kind: string }) => w.kind)).toEqual(['put-inline-policy'])
  })
})

describe('removing a trust principal makes check exit 1 and name it', () => {
  const cases = SAMPLES.flatMap((name) =>
    ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'].map((p) => [DOC.mwaaRole, name, p] as const),
  )

  it.each(cases)('%s: %s without %s', async (_doc, name, principal) => {
    const { policy, trust } = await printedDocuments(name)
    const statement = statementsOf(trust)[0]!
    const others = (statement.Principal as { Service: string[] }).Service.filter((s) => s !== principal)
    const result = await check(name, policy, doc({ ...statement, Principal: { Service: others } }), 'url')
    expect(result.code).toBe(1)
    expect(result.out).toContain(`✗ ${featureInfo('trust').title}`)
    expect(result.out).toContain(`${principal} → sts:AssumeRole`)
    expect(result.out).toContain(`add ${principal} to the trust policy`)
  })
})
