/**
 * The second half of the chain: the roles an event named, once the settle window has passed. Each role's events
 * (a batch may hold several) become one reconcile that knows every one of them; a DeleteRole among them first checks
 * whether the role is gone (a critical alert if an environment still uses it).
 */
import { changeOf, expectedEffect, isResourceTarget, type ParsedEvent, targetsOf } from '../events'
import { forgetDocument } from './documents'
import type { RoleTrigger } from './evaluate-role'
import { namesModeTag } from './ingest'
import { reconcileRole } from './reconcile-role'
import { roleDeleted } from './role-deleted'
import type { Deps, RoleResult, RunContext } from './types'

/** One role and the events that named it, oldest first. */
export type RoleWork = { role: string; events: readonly ParsedEvent[] }

/** Reconciles one role for all its events. */
export async function reconcileWork(deps: Deps, run: RunContext, work: RoleWork): Promise<RoleResult> {
  // An event about a bucket, key, endpoint or organization policy: this process's copy of it is stale.
  for (const event of work.events)
    for (const target of targetsOf(event)) if (isResourceTarget(target)) forgetDocument(deps, target)
  const deletion = [...work.events].reverse().find((e) => e.name === 'DeleteRole')
  if (deletion) {
    const deleted = await roleDeleted(deps, run, work.role, changeOf(deletion))
    // undefined: the role exists again (recreated, or a replayed event): reconcile it like any role.
    if (deleted) return deleted
  }
  const triggers = work.events.map((e) => triggerOf(e, deps.config.modeTagKey))
  return reconcileRole(deps, run, { roleName: work.role, triggers, source: 'event' })
}

/** What the reconcile takes from an event: who changed what, what a fresh read must show, a detached policy. */
export function triggerOf(event: ParsedEvent, modeTagKey: string): RoleTrigger {
  return {
    change: changeOf(event),
    reflects: expectedEffect(event),
    ...(event.name === 'DetachRolePolicy' && event.request.policyArn
      ? { detachedPolicyArn: event.request.policyArn }
      : {}),
    ...(namesModeTag(event, modeTagKey) ? { modeTagSet: true } : {}),
  }
}
