/**
 * The queue loop of `replay`: receive a few messages at a time, hand each to `replay`, delete it when it was handled,
 * hold every other message (hidden) until the run ends and then give it back, so one run sees each message once.
 * Messages being worked on or held are kept hidden by a heartbeat: a handling that takes longer than the visibility
 * timeout (a role's lease, a slow heal) never lets another consumer, or this loop, receive the message again
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html).
 */
import type { DeadLetterQueue, ReceivedMessage } from '../aws/dead-letter-queue'

export type LoopOptions = {
  /** stop after this many messages */
  max: number
  /** delete handled messages (false: --dry-run) */
  deleteHandled: boolean
  /** how long a received message stays hidden, renewed by the heartbeat (seconds) */
  holdSeconds: number
  /** how often the heartbeat renews it (ms) */
  heartbeatMs: number
}

export const DEFAULT_LOOP: Omit<LoopOptions, 'max' | 'deleteHandled'> = {
  // Three heartbeats' worth: a missed renewal (a throttled call) still leaves a minute before the message shows.
  holdSeconds: 180,
  heartbeatMs: 60_000,
}

export type LoopReport = {
  /** messages received (each once) */
  received: number
  /** messages deleted: handled, and not a dry run */
  deleted: number
  /** stopped at --max: the queue may hold more */
  stoppedAtMax: boolean
}

/** What replaying one message gave: whether it was handled, and how to report it once it was deleted (or not). */
export type ReplayStep = { handled: boolean; report: (deleted: boolean) => void }

/** Runs the loop; queue errors are thrown (after the messages held are given back). */
export async function drainQueue(
  queue: DeadLetterQueue,
  replay: (message: ReceivedMessage) => Promise<ReplayStep>,
  options: LoopOptions,
  warn: (line: string) => void,
): Promise<LoopReport> {
  const held = new Map<string, string>() // message id -> receipt handle: hidden until the run ends
  const deleted = new Set<string>()
  const seen = new Set<string>()
  const heartbeat = keepHidden(queue, held, options, warn)
  let stoppedAtMax = false
  try {
    for (;;) {
      if (seen.size >= options.max) {
        stoppedAtMax = true
        break
      }
      const batch = await queue.receive({ max: options.max - seen.size, visibilitySeconds: options.holdSeconds })
      if (batch.length === 0) break
      const fresh: ReceivedMessage[] = []
      for (const message of batch) {
        if (seen.has(message.id)) {
          // Received again (a standard queue delivers at least once): settled as its first copy was, not replayed.
          if (deleted.has(message.id)) await queue.delete(message.receiptHandle)
          else held.set(message.id, message.receiptHandle)
          continue
        }
        seen.add(message.id)
        held.set(message.id, message.receiptHandle)
        fresh.push(message)
      }
      // Only messages seen before: what is left visible was already handled in this run.
      if (fresh.length === 0) break
      for (const message of fresh) {
        const step = await replay(message)
        if (step.handled && options.deleteHandled) {
          await queue.delete(held.get(message.id)!)
          held.delete(message.id)
          deleted.add(message.id)
        }
        step.report(deleted.has(message.id))
      }
    }
  } finally {
    heartbeat.stop()
    await release(queue, [...held.values()], options.holdSeconds, warn)
  }
  return { received: seen.size, deleted: deleted.size, stoppedAtMax }
}

/** Renews the visibility of every held message every heartbeatMs; one warning if a renewal fails. */
function keepHidden(
  queue: DeadLetterQueue,
  held: ReadonlyMap<string, string>,
  options: LoopOptions,
  warn: (line: string) => void,
) {
  let renewing = false
  let warned = false
  const timer = setInterval(() => {
    if (renewing || held.size === 0) return
    renewing = true
    queue
      .setVisibility([...held.values()], options.holdSeconds)
      .catch((error: unknown) => {
        if (!warned) warn(`could not keep the messages being replayed hidden: ${messageOf(error)}`)
        warned = true
      })
      .finally(() => {
        renewing = false
      })
  }, options.heartbeatMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}

/** The messages left, visible again now (for the next replay, or a look in the console), not in holdSeconds. */
async function release(queue: DeadLetterQueue, handles: string[], holdSeconds: number, warn: (line: string) => void) {
  if (handles.length === 0) return
  try {
    await queue.setVisibility(handles, 0)
  } catch (error) {
    warn(
      `${handles.length} message(s) left could not be made visible at once (${messageOf(error)}): they show again within ${holdSeconds} s`,
    )
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] ?? ''
}
