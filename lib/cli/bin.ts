/** The `mwaa-role-guard` executable: esbuild builds this file into dist/mwaa-role-guard.mjs (scripts/build-cli.mjs). */
import { main } from './main'

process.exitCode = await main(process.argv.slice(2))
