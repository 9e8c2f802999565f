/**
 * Runs `sls package` (osls) the way CI does, offline and without AWS credentials, into a temp dir.
 * serverless-esbuild builds in the service's .esbuild/ folder: do not run two packagings of this repo at once.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CfnTemplate } from './template'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const OSLS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js')

export type PackagedStack = { dir: string; template: CfnTemplate; templatePath: string; zips: string[]; log: string }

/** Why osls cannot run here at all (then the stack tests skip), or undefined. */
export function oslsUnavailable(): string | undefined {
  if (!existsSync(OSLS)) return `osls is not installed (${OSLS} missing): run npm ci`
  if (!existsSync(join(ROOT, 'node_modules', 'serverless-esbuild')))
    return 'serverless-esbuild is not installed: run npm ci'
  return undefined
}

/** An environment with every way to AWS credentials closed: packaging must not need them. */
function offlineEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) if (/^AWS_/.test(key)) delete env[key]
  return {
    ...env,
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
  }
}

/** `sls package --stage STAGE --package TMP [...args]`; rejects with osls's output when it fails. */
export async function packageStack(args: string[] = [], stage = 'test'): Promise<PackagedStack> {
  const dir = mkdtempSync(join(tmpdir(), 'mwaa-role-guard-stack-'))
  const out = join(dir, 'package')
  const argv = [OSLS, 'package', '--stage', stage, '--package', out, ...args]
  const log = await new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: offlineEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) =>
      code === 0 ? done(text) : fail(new Error(`sls package ${args.join(' ')} exited ${code}:\n${text}`)),
    )
  })
  const templatePath = join(out, 'cloudformation-template-update-stack.json')
  return {
    dir,
    template: JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate,
    templatePath,
    zips: readdirSync(out)
      .filter((f) => f.endsWith('.zip'))
      .map((f) => join(out, f)),
    log,
  }
}
