/**
 * Which environments' documents beyond the role (bucket, key and endpoint policies, SCPs and RCPs) a sweep reads.
 * Changes to those documents are watched events, seen within seconds; the sweep is the safety net for an event that
 * was missed. Reading every environment's documents on every sweep would cost up to five calls per environment
 * (1,000 environments: thousands of calls, against issue 8's budget of about 1,100 for the whole sweep), so each sweep
 * reads those of at most `budget` environments (SWEEP_DOCUMENT_ENVIRONMENTS), a slice that starts elsewhere on each
 * sweep (the rotation of sweep-order.ts): every environment's documents are read again within a few times
 * environments / budget sweeps. A role that goes the live way (drifted, an open incident) reads its environments'
 * documents there, whatever the slice.
 */
import type { DocumentsByEnvironment } from '../drift/find-drift'
import type { ResourceDocuments } from '../drift/resource-documents'
import { documentsFor } from './documents'
import type { LocatedEnvironment } from './environments'
import { describeError, isThrottling } from './retry-later'
import { eachWithConcurrency } from './sweep-drifted'
import { sweepOrder } from './sweep-order'
import type { Deps, EnvironmentIndex, SweepFailure } from './types'

/** Document reads at once: up to five calls each, to S3, KMS, EC2 and Organizations. */
const DOCUMENT_CONCURRENCY = 4

export type SweepDocuments = {
  /** the documents read, by environment name (an environment without an entry is checked on the role alone) */
  documents: DocumentsByEnvironment
  /** environments whose documents were read */
  read: number
  failures: SweepFailure[]
}

/** Reads the documents of this sweep's slice of the index's environments. */
export async function readSweepDocuments(
  deps: Pick<Deps, 'documents' | 'deployment' | 'log'>,
  index: Pick<EnvironmentIndex, 'roles'>,
  budget: number,
  startedMs: number,
): Promise<SweepDocuments> {
  const documents = new Map<string, ResourceDocuments>()
  const failures: SweepFailure[] = []
  if (!deps.documents || budget <= 0) return { documents, read: 0, failures }
  const unique = new Map<string, LocatedEnvironment>()
  for (const role of index.roles) {
    for (const l of role.located) unique.set(`${l.region}/${l.environment.Name}`, l)
  }
  const slice = sweepOrder([...unique.entries()], ([key]) => key, startedMs).slice(0, budget)
  await eachWithConcurrency(slice, DOCUMENT_CONCURRENCY, async ([key, located]) => {
    try {
      const read = await documentsFor(deps, [located])
      const mine = read?.get(located.environment.Name)
      if (mine) documents.set(located.environment.Name, mine)
    } catch (error) {
      // Throttling left after the SDK's retries, or a fault: said in the summary (the sweep ends in error), and the
      // environment is checked on the role alone this time.
      deps.log.warn('sweep: documents beyond the role not read', { environment: key, error: describeError(error) })
      failures.push({
        subject: `documents of environment ${key}`,
        error: describeError(error),
        throttled: isThrottling(error),
      })
    }
  })
  return { documents, read: documents.size, failures }
}
