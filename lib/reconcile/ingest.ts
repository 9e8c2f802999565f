/**
 * The first half of the chain: an EventBridge event -> the roles it may have changed, one message each for the
 * reconcile queue (reconciled once the settle window has passed). What must not wait is done here at once: the
 * Create/UpdateEnvironment preflight (creation fails 20-30 minutes later) and the alert about a changed mode tag. The
 * event must come from this deployment's account and watched regions; a bad, foreign or unwatched event is logged and
 * dropped, never retried forever.
 */
import type { Context } from 'aws-lambda'
import { roleNameFromArn } from '../aws/iam'
import type { MwaaEnvironment } from '../baseline/types'
import { modeOf } from '../config'
import {
  type Change,
  changeOf,
  expectedEffect,
  isIgnored,
  isOwnCall,
  originProblem,
  parseEvent,
  type ParsedEvent,
  targetsOf,
} from '../events'
import { stableHash } from '../incidents/hash'
import { forgetDocument, rolesAffectedBy } from './documents'
import { environmentsUsingRole, GONE_STATUSES } from './environments'
import { startRun } from './extras'
import { notifyModeChange } from './notices'
import { describedByLive, preflightRequest, requestedEnvironment } from './preflight'
import { readFresh } from './read-fresh'
import { reconcileRole } from './reconcile-role'
import type { Deps, EventSummary, RoleResult, RunContext } from './types'

/** A change in progress: a role problem now is a creation or update that will fail (a preflight alert). */
const IN_PROGRESS: ReadonlySet<string> = new Set(['CREATING', 'UPDATING', 'PENDING'])

/** One role to reconcile because of one event (the event travels whole: the worker parses it again). */
export type RoleMessageInput = { role: string; eventId: string; event: unknown }

export type Ingested = { summary: EventSummary; messages: RoleMessageInput[] }

/** Parses and checks the event, does what cannot wait, and returns the roles to reconcile after the settle window. */
export async function ingestEvent(raw: unknown, deps: Deps): Promise<Ingested> {
  const screened = await screenEvent(raw, deps)
  if ('ignored' in screened) return { summary: screened.ignored, messages: [] }
  const { event } = screened
  const deployment = await deps.deployment()
  const summary = { eventName: event.name, ...(event.eventId ? { eventId: event.eventId } : {}) }
  const change = changeOf(event)
  const roles = new Map<string, string>()
  const immediate: RoleResult[] = []
  let run: RunContext | undefined
  const context = async () => (run ??= await startRun(deps))
  for (const target of targetsOf(event)) {
    switch (target.kind) {
      case 'role':
        roles.set(target.roleName.toLowerCase(), target.roleName)
        if (namesModeTag(event, deps.config.modeTagKey))
          await modeChanged(deps, await context(), target.roleName, event, change)
        break
      case 'role-deleted':
        // The worker re-reads it after the settle window: a role deleted and recreated at once (a replacement) is fine.
        roles.set(target.roleName.toLowerCase(), target.roleName)
        break
      case 'policy':
        for (const roleName of await deps.iam.rolesForPolicy(target.policyArn))
          roles.set(roleName.toLowerCase(), roleName)
        break
      case 'environment': {
        // The environment list is cached briefly: a drift right after this call must see the environment as it now is.
        deps.mwaa.forget(target.name, target.region)
        const found = await deps.mwaa.getEnvironment(target.name, target.region)
        const live = found.kind === 'found' ? found.environment : undefined
        // What GetEnvironment describes is live state: its role is reconciled (and healed) from that description, at
        // once: a creation or update in progress fails 20-30 minutes later if the role falls short.
        const liveRole =
          live && !GONE_STATUSES.has(live.Status ?? '') ? roleNameFromArn(live.ExecutionRoleArn) : undefined
        if (liveRole)
          immediate.push(
            await reconcileRole(deps, await context(), {
              roleName: liveRole,
              triggers: [{ change }],
              preflight: IN_PROGRESS.has(live?.Status ?? ''),
            }),
          )
        // What the request asks for beyond it is only checked and alerted (a preflight), never written.
        const requested: MwaaEnvironment | undefined = requestedEnvironment(target, live, deployment)
        if (requested && !(live && describedByLive(requested, live)))
          immediate.push(await preflightRequest(deps, await context(), requested, target.region, change))
        break
      }
      case 'environment-deleted':
        deps.mwaa.forget(target.name, target.region)
        deps.log.debug('environment deleted; its role needs nothing any more', { environment: target.name })
        break
      // A document beyond the role changed: every role whose environments it affects is reconciled (re-read live).
      case 'bucket':
      case 'kms-key':
      case 'vpc-endpoint':
      case 'organization':
        forgetDocument(deps, target)
        for (const roleName of await rolesAffectedBy(deps, target)) roles.set(roleName.toLowerCase(), roleName)
        break
    }
  }
  const eventId = event.eventId ?? stableHash(raw)
  const messages = [...roles.values()].map((role) => ({ role, eventId, event: raw }))
  return {
    summary: {
      status: 'handled',
      ...summary,
      roles: immediate,
      enqueued: [...roles.values()],
      ...(run?.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
      ...(deps.dryRun ? { dryRun: true } : {}),
    },
    messages,
  }
}

/**
 * The ingest function's run: each event id once (a duplicate, or one still being handled, does nothing), then its
 * roles sent to the reconcile queue. The messages are sent before the idempotency record completes: a failed send
 * fails the run, the record is removed, and the retry runs again.
 */
export async function ingestAndSend(raw: unknown, deps: Deps, context: Context): Promise<EventSummary> {
  const ingest = async (event: unknown) => {
    const { summary, messages } = await ingestEvent(event, deps)
    if (messages.length > 0) {
      if (!deps.queue) throw new Error('RECONCILE_QUEUE_URL is not set: the ingest function has nowhere to send roles')
      await deps.queue.send(messages)
    }
    return summary
  }
  // A bad, foreign or own event is dropped before anything is recorded: it costs no DynamoDB call.
  const screened = await screenEvent(raw, deps)
  if ('ignored' in screened) return screened.ignored
  if (!deps.dedupe) return ingest(raw)
  const once = await deps.dedupe(ingest)(raw, context)
  return once.kind === 'duplicate' ? { status: 'duplicate', roles: [] } : once.result
}

/** TagRole/UntagRole naming the mode tag key, in any case (IAM tag keys are case-insensitive). */
export function namesModeTag(event: ParsedEvent, key: string): boolean {
  const wanted = key.toLowerCase()
  if (event.name === 'TagRole') return event.request.tags?.some((t) => t.key.toLowerCase() === wanted) ?? false
  if (event.name === 'UntagRole') return event.request.tagKeys?.some((k) => k.toLowerCase() === wanted) ?? false
  return false
}

/** The mode tag of a role changed: alert at once (who, from where, the mode before and after), if it is watched. */
async function modeChanged(deps: Deps, run: RunContext, roleName: string, event: ParsedEvent, change: Change) {
  const read = await readFresh(deps, roleName, {
    reflects: expectedEffect(event),
    changedAt: change.time,
    now: run.now,
  })
  if (read.kind === 'not-found') return
  const { located } = await environmentsUsingRole(deps, await deps.deployment(), roleName)
  if (located.length === 0) return
  const { mode } = modeOf(read.role, deps.config)
  const previousMode = deps.state ? (await deps.state.readRole(roleName)).record.modeSeen : undefined
  await notifyModeChange(deps, { role: read.role, mode, located, change, ...(previousMode ? { previousMode } : {}) })
}

/**
 * The checks an event passes before anything is recorded or read: it parses, it comes from this deployment's
 * account and watched regions, and it is not the guard's own call. A dropped event costs no AWS call.
 */
export async function screenEvent(
  raw: unknown,
  deps: Deps,
): Promise<{ event: ParsedEvent } | { ignored: EventSummary }> {
  const event = parseEvent(raw)
  if (isIgnored(event)) return ignored(deps, event.reason)
  const foreign = originProblem(event, await deps.deployment())
  if (foreign) return ignored(deps, foreign, { eventName: event.name, eventId: event.eventId })
  if (isOwnCall(event, deps.config.ownRoleArns)) {
    const fields = { eventName: event.name, eventId: event.eventId }
    deps.log.debug('event caused by the remediator itself; skipped', fields)
    return { ignored: { status: 'ignored', reason: 'caused by mwaa-role-guard itself', ...fields, roles: [] } }
  }
  return { event }
}

function ignored(
  deps: Deps,
  reason: string,
  fields: Record<string, string | undefined> = {},
): { ignored: EventSummary } {
  deps.log.warn('event dropped', { reason, ...fields })
  return { ignored: { status: 'ignored', reason, ...fields, roles: [] } }
}
