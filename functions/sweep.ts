/** The scheduled Lambda: reconcile every execution role of the watched regions (no event needed). */
import { createSweepHandler, sweepDeps } from '../lib/lambda/sweep'

export const handler = createSweepHandler(sweepDeps)
