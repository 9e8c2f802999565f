/** Loads the CloudTrail fixtures and wraps bare records the way EventBridge delivers them. */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const FIXTURES = join(import.meta.dirname, 'fixtures', 'cloudtrail')
export const SAMPLES = join(import.meta.dirname, '..', '..', 'events', 'samples')

export type CorpusRecord = { file: string; event: Record<string, unknown> }

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
}

/**
 * The envelope of an `AWS API Call via CloudTrail` event: the record is `detail`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export function wrap(detail: Record<string, unknown>): Record<string, unknown> {
  const eventSource = String(detail.eventSource)
  const identity = detail.userIdentity as { accountId?: string } | undefined
  return {
    version: '0',
    id: `wrapped-${String(detail.eventID ?? 'no-event-id')}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${eventSource.split('.')[0]}`,
    account: detail.recipientAccountId ?? identity?.accountId,
    time: detail.eventTime,
    region: detail.awsRegion,
    resources: [],
    detail,
  }
}

/** Every fixture as an EventBridge event (the one envelope in the corpus is kept as it is). */
export function loadCorpus(): CorpusRecord[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = readJson(join(FIXTURES, file))
      return { file, event: 'detail-type' in raw ? raw : wrap(raw) }
    })
}

/** One fixture by file name, as an EventBridge event. */
export function corpusEvent(file: string): Record<string, unknown> {
  const found = loadCorpus().find((r) => r.file === file)
  if (!found) throw new Error(`no fixture ${file}`)
  return found.event
}

/** A deep copy with `detail` edited, for edge cases derived from a real record. */
export function withDetail(
  event: Record<string, unknown>,
  edit: (detail: Record<string, unknown>) => void,
): Record<string, unknown> {
  const copy = structuredClone(event)
  edit(copy.detail as Record<string, unknown>)
  return copy
}
