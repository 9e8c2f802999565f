/**
 * The shell's entry: an EventBridge event -> the roles it may have changed -> reconcile each. The event is only a
 * trigger; every decision is made on state read live. Never throws for a bad or unwatched event (logged and
 * dropped); throws for the unexpected, so the Lambda's asynchronous retry and on-failure destination take over.
 */
import { roleNameFromArn } from '../aws/iam'
import {
  changeOf,
  environmentFromRequest,
  expectedEffect,
  isIgnored,
  isOwnCall,
  parseEvent,
  targetsOf,
  type Change,
  type EnvironmentTarget,
  type ParsedEvent,
} from '../events'
import type { LocatedEnvironment } from './environments'
import { withExtras } from './extras'
import { reconcileRole, type RoleTrigger } from './reconcile-role'
import { roleDeleted } from './role-deleted'
import type { Deps, EventSummary, RoleResult } from './types'

/** Handles one event end to end and returns a JSON-able summary. */
export async function handleEvent(raw: unknown, deps: Deps): Promise<EventSummary> {
  const event = parseEvent(raw)
  if (isIgnored(event)) {
    deps.log.warn('event dropped', { reason: event.reason })
    return { status: 'ignored', reason: event.reason, roles: [] }
  }
  const summary = { eventName: event.name, eventId: event.eventId }
  if (isOwnCall(event, deps.config.ownRoleArns)) {
    deps.log.debug('event caused by the remediator itself; skipped', summary)
    return { status: 'ignored', reason: 'caused by mwaa-role-guard itself', ...summary, roles: [] }
  }
  const change = changeOf(event)
  const triggers: RoleTrigger[] = []
  const results: RoleResult[] = []
  for (const target of targetsOf(event)) {
    switch (target.kind) {
      case 'role':
        triggers.push({
          roleName: target.roleName,
          change,
          reflects: expectedEffect(event),
          detachedPolicyArn: event.name === 'DetachRolePolicy' ? event.request.policyArn : undefined,
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
        const trigger = await preflightTrigger(deps, event, target, change)
        if (trigger) triggers.push(trigger)
        break
      }
      case 'role-deleted':
        results.push(await roleDeleted(deps, target.roleName, change))
        break
      case 'environment-deleted':
        deps.mwaa.forget(target.name, target.region)
        deps.log.debug('environment deleted; its role needs nothing any more', { environment: target.name })
        break
    }
  }
  // Extras are read once per event, and only when a role is to be evaluated.
  const run = triggers.length > 0 ? await withExtras(deps) : deps
  // One reconcile per role, however many targets name it.
  const seen = new Set<string>()
  for (const trigger of triggers) {
    const key = trigger.roleName.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    results.push(await reconcileRole(run, trigger))
  }
  return {
    status: 'handled',
    ...summary,
    roles: results,
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
  }
}

/**
 * CreateEnvironment names everything the role must reach: check the role against it now, not when creation fails
 * 20-30 minutes later. UpdateEnvironment names only what changes: the rest comes from GetEnvironment.
 */
async function preflightTrigger(
  deps: Deps,
  event: ParsedEvent,
  target: EnvironmentTarget,
  change: Change,
): Promise<RoleTrigger | undefined> {
  let environment = environmentFromRequest(target, event.account)
  if (!environment) {
    const current = await deps.mwaa.getEnvironment(target.name, target.region)
    if (current.kind !== 'found') {
      deps.log.debug('environment not found; nothing to preflight', { environment: target.name })
      return undefined
    }
    environment = { ...current.environment, ...definedFields(target.request) }
  }
  const roleName = roleNameFromArn(environment.ExecutionRoleArn)
  if (!roleName) {
    deps.log.warn('execution role ARN not understood; nothing to preflight', {
      environment: target.name,
      arn: environment.ExecutionRoleArn,
    })
    return undefined
  }
  const preflight: LocatedEnvironment = { region: target.region, environment }
  return { roleName, change, preflight }
}

/** The request fields that describe what the role must reach, when the update sets them. */
function definedFields(request: EnvironmentTarget['request']) {
  const out: Record<string, string> = {}
  for (const key of [
    'ExecutionRoleArn',
    'SourceBucketArn',
    'DagS3Path',
    'PluginsS3Path',
    'RequirementsS3Path',
    'StartupScriptS3Path',
  ] as const) {
    const value = request[key]
    if (typeof value === 'string' && value) out[key] = value
  }
  return out
}
