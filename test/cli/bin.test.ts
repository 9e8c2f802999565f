/**
 * A few real processes: `npx mwaa-role-guard` and `node bin/mwaa-role-guard.mjs` with the project's Node (22, from
 * node_modules/.bin), to prove the launcher works end to end and bad input never prints a stack trace.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { DOC } from '../drift/docs'
import { baselineOf, policyWithout, roleOf } from '../drift/support'
import { authorizationDetails, environmentFile, scratch } from './support'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN_DIR = join(ROOT, 'node_modules/.bin')
const NODE = join(BIN_DIR, 'node')
const files = scratch('bin')
afterAll(() => files.remove())

type Proc = { code: number; stdout: string; stderr: string }
async function spawn(file: string, args: string[]): Promise<Proc> {
  const env = { ...process.env, PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`, MWAA_ROLE_GUARD_DEBUG: '' }
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd: ROOT, env, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}
const npx = (...args: string[]) => spawn('npx', ['--no', 'mwaa-role-guard', ...args])
const bin = (...args: string[]) => spawn(NODE, [join(ROOT, 'bin/mwaa-role-guard.mjs'), ...args])

const NAME = 'custodian-3' as const
const b = baselineOf(NAME)
const ENV = environmentFile(NAME)

describe('the mwaa-role-guard executable', () => {
  it(`${DOC.mwaaRole}: npx mwaa-role-guard baseline --part policy/trust, pasted on the role, passes npx mwaa-role-guard check (exit 0)`, async () => {
    const [policy, trust] = await Promise.all([
      npx('baseline', '--environment-file', ENV, '--part', 'policy'),
      npx('baseline', '--environment-file', ENV, '--part', 'trust'),
    ])
    expect([policy.code, trust.code]).toEqual([0, 0])
    const role = roleOf(b, { trustPolicy: JSON.parse(trust.stdout) }, JSON.parse(policy.stdout))
    const auth = files.file(authorizationDetails(role, { encoding: 'url' }))
    const ok = await npx('check', '--environment-file', ENV, '--authorization-details', auth)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('OK: all 100 required permissions are granted.')
  }, 60_000)

  it(`${DOC.mwaaRole}: drift exits 1 with --json on stdout`, async () => {
    const auth = files.file(authorizationDetails(roleOf(b, {}, policyWithout(b, 'KmsViaSqsAndS3'))))
    const result = await bin('check', '--environment-file', ENV, '--authorization-details', auth, '--json')
    expect(result.code).toBe(1)
    const json = JSON.parse(result.stdout)
    expect(json.status).toBe('drift')
    expect(new Set(json.findings.map((f: { feature: string }) => f.feature))).toEqual(new Set(['encryption']))
  }, 60_000)

  it.each([
    [
      DOC.authDetails,
      'a missing file',
      () => ['check', '--environment-file', ENV, '--authorization-details', join(files.dir, 'missing.json')],
      /missing\.json: no such file/,
    ],
    [
      DOC.getEnvironment,
      'invalid JSON',
      () => [
        'check',
        '--environment-file',
        files.file('{\n  "Environment": {\n    "Name": oops\n'),
        '--authorization-details',
        ENV,
      ],
      /: not valid JSON \(.* at line 3, column 13\)/,
    ],
    [DOC.authDetails, 'an unknown flag', () => ['check', '--bogus'], /Unknown option '--bogus'/],
    [
      DOC.rolePolicy,
      'a policy document that is not valid JSON',
      () => {
        const auth = authorizationDetails(roleOf(b))
        ;(auth.RoleDetailList[0]!.RolePolicyList[0] as { PolicyDocument: unknown }).PolicyDocument =
          '%7B%22Statement%22%3A'
        return ['check', '--environment-file', ENV, '--authorization-details', files.file(auth)]
      },
      /RoleDetailList\[0\]\.RolePolicyList\[0\]\.PolicyDocument: policy document is not valid JSON/,
    ],
  ] as const)(
    '%s: bad input (%s) exits 2 with one line on stderr and no stack trace',
    async (_doc, _title, argv, message) => {
      const result = await bin(...argv())
      expect(result.code).toBe(2)
      expect(result.stdout).toBe('')
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(result.stderr).toMatch(message)
      expect(result.stderr).not.toMatch(/\n\s+at |Error:|node:internal/)
    },
    60_000,
  )

  it(`${DOC.mwaaRole}: simulate reads a file and prints JSON`, async () => {
    const input = join(files.dir, 'sim.json')
    writeFileSync(
      input,
      JSON.stringify([
        { identityPolicies: [b.policy], request: { action: 'airflow:PublishMetrics', resource: b.environment.arn } },
      ]),
    )
    const result = await npx('simulate', '--input', input)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)[0].decision).toBe('allowed')
  }, 60_000)
})
