/**
 * The sweep's second half: the roles the bulk read found drifted (or could not resolve) are re-read live and
 * reconciled through the per-role path, so a bulk read a few seconds old never decides an alert or a write. A few at a
 * time; a role that fails retryably (throttled, transient, stale) is tried again after the others, not dropped; once
 * the deadline passes no role is started, and the ones left are reported as not reached.
 */
import { RoleBusyError } from './lease'
import { reconcileRole } from './reconcile-role'
import { describeError, isRetryable } from './retry-later'
import type { Deps, RoleResult, RunContext } from './types'

/** A role the sweep must reconcile live, and why the bulk read was not enough. */
export type PendingRole = {
  roleName: string
  /** remembered: healthy in the bulk read, but an incident is open (resolve it) or a heal's notice is owed */
  why: 'drifted' | 'refused' | 'unresolved' | 'not-listed' | 'no-bulk-read' | 'not-evaluated' | 'remembered'
}

/**
 * What the sweep does with such a role: reconcile it now. One function, so a version that fans out can enqueue the
 * role instead (a queue consumer would then call reconcileRole).
 */
export type DriftedRoleStep = (deps: Deps, run: RunContext, role: PendingRole) => Promise<RoleResult>

export const reconcileNow: DriftedRoleStep = async (deps, run, role) => {
  try {
    return await reconcileRole(deps, run, { roleName: role.roleName, triggers: [], source: 'sweep' })
  } catch (error) {
    if (!(error instanceof RoleBusyError)) throw error
    // Another run (the reconcile worker, a CLI handle) holds the role: it is being reconciled right now.
    deps.log.info('sweep: role busy; left to the run that holds it', { role: role.roleName })
    return {
      role: role.roleName,
      environments: [],
      result: 'busy',
      findings: 0,
      writes: [],
      blocked: 0,
      alerted: false,
    }
  }
}

/** Live reconciles in flight at once: each is 7-11 IAM reads (and any writes); IAM's request quota is per account. */
export const RECONCILE_CONCURRENCY = 4
/** Attempts per role in one sweep, the first included. */
export const ROUNDS = 3
/** Pause before a retry round (x round): long enough for the client's adaptive rate limiter to have slowed down. */
export const RETRY_PAUSE_MS = 2_000

export type PendingOptions = { step: DriftedRoleStep; deadline?: number; now: () => number }

/** Reconciles the roles in the given order; never throws for one role. */
export async function reconcilePending(
  deps: Deps,
  run: RunContext,
  pending: readonly PendingRole[],
  options: PendingOptions,
): Promise<{ results: RoleResult[]; notReached: string[] }> {
  const { deps: tracked, wrote } = trackWrites(deps)
  const results: RoleResult[] = []
  const notReached: string[] = []
  const timeLeft = (ms = 0) => options.deadline === undefined || options.now() + ms < options.deadline
  let queue = [...pending]
  for (let round = 1; queue.length > 0; round++) {
    const later: Array<{ role: PendingRole; error: unknown }> = []
    await eachWithConcurrency(queue, RECONCILE_CONCURRENCY, async (role) => {
      if (!timeLeft()) return void notReached.push(role.roleName)
      try {
        results.push(await options.step(tracked, run, role))
      } catch (error) {
        // A role whose heal already wrote is not read again here: the re-read would find it healthy, and the heal
        // would go unreported. It is reported failed, with what happened.
        if (isRetryable(error) && !wrote(role.roleName) && round < ROUNDS) later.push({ role, error })
        else results.push(failed(deps, run, role, error, round, wrote(role.roleName)))
      }
    })
    if (later.length === 0) break
    const pauseMs = RETRY_PAUSE_MS * round
    if (!timeLeft(pauseMs)) {
      for (const { role, error } of later)
        results.push(failed(deps, run, role, error, round, false, 'no time left to retry'))
      break
    }
    deps.log.warn('sweep: roles to retry later', {
      roles: later.map((l) => l.role.roleName),
      errors: [...new Set(later.map((l) => describeError(l.error)))],
      round,
    })
    await deps.sleep(pauseMs)
    queue = later.map((l) => l.role)
  }
  return { results, notReached }
}

function failed(
  deps: Deps,
  run: RunContext,
  role: PendingRole,
  error: unknown,
  attempts: number,
  wrote: boolean,
  note?: string,
) {
  const why = [
    describeError(error),
    isRetryable(error) ? `after ${attempts} attempt(s)` : undefined,
    wrote ? 'a heal write was made before it failed, so it was not retried' : undefined,
    note,
  ]
  deps.log.error('sweep: role reconcile failed', { role: role.roleName, error: why.filter(Boolean).join('; ') })
  return {
    role: role.roleName,
    environments: (run.environments?.usingRole(role.roleName).located ?? []).map((l) => l.environment.Name),
    result: 'failed',
    findings: 0,
    writes: [],
    blocked: 0,
    alerted: false,
    error: why.filter(Boolean).join('; '),
  } satisfies RoleResult
}

/** The deps with IAM writes noted per role (before the call: a write that timed out may still have been made). */
function trackWrites(deps: Deps) {
  const written = new Set<string>()
  const note = (roleName: string) => written.add(roleName.toLowerCase())
  const iam: Deps['iam'] = {
    ...deps.iam,
    attachRolePolicy(roleName, arn) {
      note(roleName)
      return deps.iam.attachRolePolicy(roleName, arn)
    },
    putRolePolicy(roleName, name, doc) {
      note(roleName)
      return deps.iam.putRolePolicy(roleName, name, doc)
    },
    updateAssumeRolePolicy(roleName, doc) {
      note(roleName)
      return deps.iam.updateAssumeRolePolicy(roleName, doc)
    },
    deleteRolePolicy(roleName, name) {
      note(roleName)
      return deps.iam.deleteRolePolicy(roleName, name)
    },
  }
  return { deps: { ...deps, iam }, wrote: (roleName: string) => written.has(roleName.toLowerCase()) }
}

/** Runs `fn` over the items, at most `limit` at a time. */
export async function eachWithConcurrency<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
