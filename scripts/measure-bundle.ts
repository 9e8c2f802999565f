/**
 * Size and module-init time of the packaged Lambda artifacts, for the README's figures.
 * Run after packaging:  npx sls package && node bin/run-ts.mjs scripts/measure-bundle.ts [--runs 15] [ZIP...]
 * (default: every .serverless/*.zip). Each artifact is unzipped into an empty temp dir (no node_modules above it, as
 * in /var/task) and its handler file is imported in fresh Node processes of node_modules/.bin/node (Node 22, the
 * Lambda runtime's major). Reported: median and range of the import() alone, and of process start -> handler ready.
 * Local CPU, not Lambda's: use the figures to compare builds, not as a cold-start promise.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { readZip } from './read-zip'

export type InitSample = { importMs: number; readyMs: number }
export type ArtifactReport = {
  zip: string
  zipBytes: number
  unzippedBytes: number
  handlerFile: string
  node: string
  samples: InitSample[]
}

// Loads the handler file the way the Lambda Node.js runtime does: require() for .js/.cjs (no package.json with
// "type": "module" in the artifact), import() for .mjs; then checks the export. performance.now() counts from the
// process's time origin, so readyMs includes Node's own start-up.
const CHILD = `
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
const file = process.argv[1]
const started = performance.now()
const mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : createRequire(file)(file)
const ready = performance.now()
const handler = mod.handler ?? mod.default?.handler
if (typeof handler !== 'function') { console.error('no handler export in ' + file); process.exit(3) }
process.stdout.write(JSON.stringify({ importMs: ready - started, readyMs: ready }))
`

/** The Node binary the project pins (node_modules/.bin/node), else the current one. */
export function pinnedNode(root = process.cwd()): string {
  const pinned = join(root, 'node_modules', '.bin', 'node')
  return existsSync(pinned) ? pinned : process.execPath
}

/** Extracts a zip into a fresh temp dir; returns the dir (caller removes it). */
export function extractZip(zipPath: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mwaa-role-guard-artifact-'))
  for (const entry of readZip(zipPath)) {
    if (entry.name.endsWith('/')) continue
    const target = resolve(dir, entry.name)
    if (!target.startsWith(`${dir}/`)) throw new Error(`${zipPath}: entry ${entry.name} escapes the directory`)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, entry.read())
  }
  return dir
}

/** Imports `file` once in a fresh process with a Lambda-like environment; throws if it fails to load. */
export function importOnce(file: string, node = pinnedNode()): InitSample {
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    POWERTOOLS_SERVICE_NAME: 'mwaa-role-guard',
    POWERTOOLS_METRICS_NAMESPACE: 'MwaaRoleGuard',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  }
  const out = execFileSync(node, ['--input-type=module', '-e', CHILD, file], {
    cwd: dirname(file),
    env,
    encoding: 'utf8',
  })
  return JSON.parse(out) as InitSample
}

/** Measures one artifact: sizes, then `runs` fresh-process imports after one untimed warm-up. */
export function measureArtifact(zipPath: string, runs: number, node = pinnedNode()): ArtifactReport {
  const entries = readZip(zipPath)
  const handlerEntry = entries.find((e) => /\.(m|c)?js$/.test(e.name) && !e.name.includes('node_modules/'))
  if (!handlerEntry) throw new Error(`${zipPath}: no JavaScript entry`)
  const dir = extractZip(zipPath)
  try {
    const file = join(dir, handlerEntry.name)
    importOnce(file, node)
    const samples = Array.from({ length: runs }, () => importOnce(file, node))
    return {
      zip: zipPath,
      zipBytes: entries.reduce((n, e) => n + e.compressedSize, 0),
      unzippedBytes: entries.reduce((n, e) => n + e.size, 0),
      handlerFile: handlerEntry.name,
      node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
      samples,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function describe(report: ArtifactReport, fileBytes: number): string {
  const ms = (values: number[]) =>
    `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`
  return [
    `${report.zip}: ${fileBytes} bytes zipped (${(fileBytes / 1024).toFixed(0)} KiB), ${report.unzippedBytes} bytes unzipped; handler ${report.handlerFile}`,
    `  require()/import():       ${ms(report.samples.map((s) => s.importMs))}`,
    `  process start -> handler: ${ms(report.samples.map((s) => s.readyMs))}`,
    `  ${report.samples.length} fresh processes, ${report.node}`,
  ].join('\n')
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { runs: { type: 'string', default: '15' } },
    allowPositionals: true,
  })
  const runs = Number(values.runs)
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer')
  const zips = positionals.length
    ? positionals
    : existsSync('.serverless')
      ? readdirSync('.serverless')
          .filter((f) => f.endsWith('.zip'))
          .map((f) => join('.serverless', f))
      : []
  if (zips.length === 0) throw new Error('no artifacts: run `npx sls package` first, or name the zip files')
  for (const zip of zips) console.log(describe(measureArtifact(zip, runs), statSync(zip).size))
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? '')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
