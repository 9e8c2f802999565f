/**
 * The shell's entry: an EventBridge event -> the roles it may have changed -> reconcile each. The event is only a
 * trigger: it must come from this deployment's account and watched regions, and every decision is made on state read
 * live. Never throws for a bad, foreign or unwatched event (logged and dropped); throws for the unexpected, so the
 * Lambda's asynchronous retry and on-failure destination take over.
 */
import { roleNameFromArn } from '../aws/iam'
import {
  changeOf,
  expectedEffect,
  isIgnored,
  isOwnCall,
  originProblem,
  parseEvent,
  targetsOf,
  type ParsedEvent,
} from '../events'
import type { MwaaEnvironment } from '../baseline/types'
import { GONE_STATUSES } from './environments'
import { withExtras } from './extras'
import { describedByLive, preflightRequest, requestedEnvironment } from './preflight'
import { reconcileRole, type RoleTrigger } from './reconcile-role'
import { roleDeleted } from './role-deleted'
import type { Deps, EventSummary, RoleResult } from './types'

/** A change in progress: a role problem now is a creation or update that will fail (a preflight alert). */
const IN_PROGRESS: ReadonlySet<string> = new Set(['CREATING', 'UPDATING', 'PENDING'])

type Requested = { environment: MwaaEnvironment; region: string }

/** Handles one event end to end and returns a JSON-able summary. */
export async function handleEvent(raw: unknown, deps: Deps): Promise<EventSummary> {
  const event = parseEvent(raw)
  if (isIgnored(event)) return ignored(deps, event.reason)
  const deployment = await deps.deployment()
  const foreign = originProblem(event, deployment)
  if (foreign) return ignored(deps, foreign, { eventName: event.name, eventId: event.eventId })
  const summary = { eventName: event.name, eventId: event.eventId }
  if (isOwnCall(event, deps.config.ownRoleArns)) {
    deps.log.debug('event caused by the remediator itself; skipped', summary)
    return { status: 'ignored', reason: 'caused by mwaa-role-guard itself', ...summary, roles: [] }
  }
  const change = changeOf(event)
  const triggers: RoleTrigger[] = []
  const requests: Requested[] = []
  const results: RoleResult[] = []
  for (const target of targetsOf(event)) {
    switch (target.kind) {
      case 'role':
        triggers.push({
          roleName: target.roleName,
          change,
          reflects: expectedEffect(event),
          detachedPolicyArn: event.name === 'DetachRolePolicy' ? event.request.policyArn : undefined,
          modeChange: namesModeTag(event, deps.config.modeTagKey),
        })
        break
      case 'policy':
        for (const roleName of await deps.iam.rolesForPolicy(target.policyArn)) {
          triggers.push({ roleName, change, reflects: expectedEffect(event) })
        }
        break
      case 'environment': {
        // The environment list is cached briefly: a drift right after this call must see the environment as it now is.
        deps.mwaa.forget(target.name, target.region)
        const found = await deps.mwaa.getEnvironment(target.name, target.region)
        const live = found.kind === 'found' ? found.environment : undefined
        // What GetEnvironment describes is live state: its role is reconciled (and healed) from that description.
        const liveRole =
          live && !GONE_STATUSES.has(live.Status ?? '') ? roleNameFromArn(live.ExecutionRoleArn) : undefined
        if (liveRole) triggers.push({ roleName: liveRole, change, preflight: IN_PROGRESS.has(live?.Status ?? '') })
        // What the request asks for beyond it is only checked and alerted (a preflight), never written.
        const requested = requestedEnvironment(target, live, deployment)
        if (requested && !(live && describedByLive(requested, live)))
          requests.push({ environment: requested, region: target.region })
        break
      }
      case 'role-deleted': {
        const deleted = await roleDeleted(deps, target.roleName, change)
        // The role exists again (recreated, or a replayed event): reconcile it like any role.
        if (deleted) results.push(deleted)
        else triggers.push({ roleName: target.roleName, change })
        break
      }
      case 'environment-deleted':
        deps.mwaa.forget(target.name, target.region)
        deps.log.debug('environment deleted; its role needs nothing any more', { environment: target.name })
        break
    }
  }
  // Extras are read once per event, and only when a role is to be evaluated.
  const run = triggers.length + requests.length > 0 ? await withExtras(deps) : deps
  // One reconcile per role, however many targets name it.
  const seen = new Set<string>()
  for (const trigger of triggers) {
    const key = trigger.roleName.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    results.push(await reconcileRole(run, trigger))
  }
  for (const request of requests) results.push(await preflightRequest(run, request.environment, request.region, change))
  return {
    status: 'handled',
    ...summary,
    roles: results,
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
    ...(deps.dryRun ? { dryRun: true } : {}),
  }
}

function ignored(deps: Deps, reason: string, fields: Record<string, string | undefined> = {}): EventSummary {
  deps.log.warn('event dropped', { reason, ...fields })
  return { status: 'ignored', reason, ...fields, roles: [] }
}

/** TagRole/UntagRole naming the mode tag key, in any case (IAM tag keys are case-insensitive). */
function namesModeTag(event: ParsedEvent, key: string): boolean {
  const wanted = key.toLowerCase()
  if (event.name === 'TagRole') return event.request.tags?.some((t) => t.key.toLowerCase() === wanted) ?? false
  if (event.name === 'UntagRole') return event.request.tagKeys?.some((k) => k.toLowerCase() === wanted) ?? false
  return false
}
