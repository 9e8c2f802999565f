/**
 * Start-up of the built CLI (dist/, `npm run build`): milliseconds from spawning a fresh Node process to the first
 * byte on its stdout, which is what a user waits for. Node is the project's (node_modules/.bin/node, Node 22).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export type StartupResult = { command: string; runs: number; medianMs: number; p95Ms: number; maxMs: number }

const ROOT = join(import.meta.dirname, '..')
export const BUILT_CLI = join(ROOT, 'dist', 'mwaa-role-guard.mjs')
const PINNED_NODE = join(ROOT, 'node_modules', '.bin', 'node')

/** Runs the CLI once; resolves with the time to its first output, rejects when it exits non-zero. */
function timeToFirstOutput(argv: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    let first: number | undefined
    const child = spawn(existsSync(PINNED_NODE) ? PINNED_NODE : process.execPath, [BUILT_CLI, ...argv], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    child.stdout.on('data', () => {
      first ??= Number(process.hrtime.bigint() - started) / 1e6
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`mwaa-role-guard ${argv.join(' ')} exited ${code}`))
      else if (first === undefined) reject(new Error(`mwaa-role-guard ${argv.join(' ')} printed nothing`))
      else resolve(first)
    })
  })
}

/** `runs` sequential fresh processes after two untimed ones (disk cache warm, as for a user's second call). */
export async function measureStartup(argv: readonly string[], runs: number): Promise<StartupResult> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build`)
  for (let i = 0; i < 2; i++) await timeToFirstOutput(argv)
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push(await timeToFirstOutput(argv))
  times.sort((a, b) => a - b)
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!
  const round = (ms: number) => Number(ms.toFixed(1))
  return {
    command: `mwaa-role-guard ${argv.join(' ')}`,
    runs,
    medianMs: round(at(50)),
    p95Ms: round(at(95)),
    maxMs: round(times[times.length - 1]!),
  }
}
