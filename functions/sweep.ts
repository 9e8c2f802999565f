/** The scheduled Lambda: reconcile every execution role of the watched regions (no event needed). */
import { createSweepHandler, depsFromProcessEnv } from '../lib/lambda/handlers'

export const handler = createSweepHandler(depsFromProcessEnv)
