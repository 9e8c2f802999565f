/**
 * The first Lambda of the chain: EventBridge (CloudTrail IAM and MWAA calls) -> each event once -> the preflight and
 * mode-change alerts at once -> one message per role on the reconcile queue (reconciled after the settle window).
 */
import { createIngestHandler, ingestDeps } from '../lib/lambda/ingest'

export const handler = createIngestHandler(ingestDeps)
