/**
 * The reconcile Lambda: the reconcile queue (SQS FIFO, one message group per role) -> one reconcile per role per
 * batch, with partial batch failures. Thin by design: the handler, its logging and metrics live in lib/lambda, the
 * work in lib/reconcile.
 */
import { createReconcileHandler, reconcileDeps } from '../lib/lambda/reconcile'

export const handler = createReconcileHandler(reconcileDeps)
