/**
 * The Lambda: EventBridge (CloudTrail IAM and MWAA calls) -> reconcile the roles the event names.
 * Thin by design: the handler, its logging and metrics live in lib/lambda, the work in lib/reconcile.
 */
import { createHandler, depsFromProcessEnv } from '../lib/lambda/handlers'

export const handler = createHandler(depsFromProcessEnv)
