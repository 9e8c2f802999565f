#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx so `npx mwaa-role-guard` works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../lib/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
