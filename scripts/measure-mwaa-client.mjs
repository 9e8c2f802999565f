#!/usr/bin/env node
/**
 * What @aws-sdk/client-mwaa would add to the Lambda bundle (docs/adr/0001-hand-signed-mwaa-client.md):
 * `node scripts/measure-mwaa-client.mjs`. Bundles functions/reconcile.ts twice with serverless.yml's esbuild settings
 * (bundle, minify, cjs, node22, mainFields module/main, keepNames): as it is, and with a module that sends the two
 * MWAA commands through the official client (so nothing of it is tree-shaken away). Prints both sizes, minified and
 * deflated (the zip's compression), and the difference.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateRawSync } from 'node:zlib'
import { build } from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
// Inside the repository (.tmp/ is ignored by git), so the entry resolves packages from its node_modules.
mkdirSync(join(ROOT, '.tmp'), { recursive: true })
const dir = mkdtempSync(join(ROOT, '.tmp', 'mwaa-client-size-'))
const withClient = join(dir, 'with-client.ts')
writeFileSync(
  withClient,
  `import { GetEnvironmentCommand, ListEnvironmentsCommand, MWAAClient } from '@aws-sdk/client-mwaa'
export * from ${JSON.stringify(join(ROOT, 'functions/reconcile.ts'))}
const client = new MWAAClient({})
export const mwaa = (name: string) => Promise.all([client.send(new GetEnvironmentCommand({ Name: name })), client.send(new ListEnvironmentsCommand({}))])
`,
)

async function size(entry) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    keepNames: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'error',
  })
  const code = result.outputFiles[0].contents
  return { minified: code.length, deflated: deflateRawSync(code).length }
}

try {
  const today = await size(join(ROOT, 'functions/reconcile.ts'))
  const client = await size(withClient)
  const kb = (n) => `${(n / 1000).toFixed(0)} KB`
  console.log(`reconcile handler today:           ${kb(today.minified)} minified, ${kb(today.deflated)} deflated`)
  console.log(`with @aws-sdk/client-mwaa as well: ${kb(client.minified)} minified, ${kb(client.deflated)} deflated`)
  console.log(
    `difference:                        +${kb(client.minified - today.minified)} minified, +${kb(client.deflated - today.deflated)} deflated`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
