/**
 * A periodic, event-free pass over every execution role of the watched regions. Level-triggered reconcile makes this
 * cheap and safe, and it catches what no event in this account announces: AWS managed policies get new default
 * versions without a CloudTrail event here, and an event whose read stayed stale past its retries is caught on the
 * next sweep.
 *
 * At scale: every environment is described once (environment-index.ts) while IAM is read in bulk
 * (GetAccountAuthorizationDetails, a few calls for the whole account); every execution role is evaluated locally
 * from that read, and only the drifted ones are re-read live and reconciled through the per-role path
 * (sweep-drifted.ts), so alerts and heals are the ones an event would produce. The sweep also drives memory: a role
 * the bulk read finds healthy goes the live way too when its record has an open incident (to resolve it) or owes a
 * heal's notice, and its last-known-good policies are remembered from the bulk read when they changed. The records
 * come from the table's by-kind index (one paginated Query, eventually consistent: the live path reads its role's
 * record again, consistently, before acting on it), so a role that no environment uses any more but still has an
 * open incident (its environment deleted) is found too, and reconciled live: its incident resolves.
 */
import { modeOf } from '../config'
import { findDrift } from '../drift/find-drift'
import { planHeal } from '../drift/plan-heal'
import type { AccountRoles } from '../aws/iam'
import type { StoredRole } from '../aws/state-table'
import type { RoleState } from '../drift/types'
import { isUnseen } from '../incidents'
import type { RoleRecord } from '../incidents/role-record'
import { lastKnownGoodChanged, lastKnownGoodOf } from '../incidents/last-known-good'
import { indexEnvironments } from './environment-index'
import { baselineOf } from './evaluate-role'
import { startRun } from './extras'
import { healLimits } from './heal'
import { describeError, retryLater } from './retry-later'
import {
  eachWithConcurrency,
  reconcileNow,
  reconcilePending,
  type DriftedRoleStep,
  type PendingRole,
} from './sweep-drifted'
import { readSweepDocuments } from './sweep-documents'
import { sweepOrder } from './sweep-order'
import { totalsOf, type SweepSummary } from './sweep-summary'
import type { DocumentsByEnvironment } from '../drift/find-drift'
import type { Deps, RoleEnvironments, RoleResult, RunContext } from './types'

export { sweepFailed, type SweepSummary } from './sweep-summary'

export type SweepOptions = {
  /** epoch ms after which no role is started (the Lambda's end, less the time one role can take) */
  deadline?: number
  /** what to do with a role found drifted (default: re-read it live and reconcile it now) */
  step?: DriftedRoleStep
}

/** Reconciles each distinct execution role once; what fails or is not reached is reported, never swallowed. */
export async function sweep(deps: Deps, options: SweepOptions = {}): Promise<SweepSummary> {
  const now = () => deps.clock().getTime()
  const started = now()
  const before = { ...(deps.counter?.totals ?? { calls: 0, throttled: 0 }) }
  // IAM's bulk read does not wait for MWAA's descriptions.
  const [index, bulk] = await Promise.all([indexEnvironments(deps), readBulk(deps)])
  const run: RunContext = { ...(await startRun(deps, { withExtras: index.roles.length > 0 })), environments: index }
  const memory = await readMemory(deps)
  const documents = await readSweepDocuments(deps, index, deps.config.sweepDocumentEnvironments, started)

  const results: RoleResult[] = []
  const pending: PendingRole[] = []
  const remember: Array<() => Promise<void>> = []
  for (const { roleName, ...environments } of index.roles) {
    const outcome = await evaluate(deps, run, bulk, roleName, environments, {
      memory,
      remember,
      documents: documents.documents,
    })
    if ('result' in outcome) results.push(outcome)
    else pending.push(outcome)
  }
  // Remembered roles no environment of the index uses (deleted, or given another role): what is open resolves,
  // except where the sweep could not look (a region not listed, an environment not described).
  if (memory instanceof Map) {
    const indexed = new Set(index.roles.map((r) => r.roleName.toLowerCase()))
    for (const [key, { record }] of memory) {
      const resolvable = record.incidents.some((i) => !isUnseen(index.unseen, i))
      if (!indexed.has(key) && (resolvable || record.intent)) pending.push({ roleName: record.role, why: 'remembered' })
    }
  }
  // The live reconciles (IAM) and the last-known-good writes (DynamoDB) do not wait for each other.
  const [live] = await Promise.all([
    reconcilePending(
      deps,
      run,
      sweepOrder(pending, (p) => p.roleName.toLowerCase(), started),
      {
        step: options.step ?? reconcileNow,
        deadline: options.deadline,
        now,
      },
    ),
    eachWithConcurrency(remember, REMEMBER_CONCURRENCY, async (write) => {
      if (options.deadline === undefined || now() < options.deadline) await write()
    }),
  ])
  results.push(...live.results)
  results.sort((a, b) => a.role.localeCompare(b.role))

  const after = deps.counter?.totals ?? { calls: 0, throttled: 0 }
  const failures = [...index.failures, ...documents.failures]
  const totals = totalsOf({
    environments: index.environments,
    documentsRead: documents.read,
    roles: results,
    failures,
    notReached: live.notReached,
    calls: after.calls - before.calls,
    throttled: after.throttled - before.throttled,
    seconds: Math.round((now() - started) / 100) / 10,
  })
  return {
    status: 'swept',
    totals,
    environments: index.environments,
    roles: results,
    offDrifted: results
      .filter((r) => r.result === 'off' && r.findings > 0)
      .map((r) => ({ role: r.role, environments: r.environments, findings: r.findings })),
    failures,
    notReached: live.notReached,
    ...('error' in bulk ? { bulkReadError: bulk.error } : {}),
    ...(run.extrasSkipped ? { extrasSkipped: run.extrasSkipped } : {}),
    ...(deps.state ? {} : { memory: 'off' as const }),
  }
}

/**
 * Last-known-good writes at once: a first sweep with memory stores every healthy role's policies (one PutItem each;
 * later sweeps only those that changed). On-demand tables take far more; the SDK's adaptive retry slows down if not.
 */
export const REMEMBER_CONCURRENCY = 8

/** The records read (a role without one is absent), 'unread' when they could not be read, undefined without a table. */
type Memory = Map<string, StoredRole> | 'unread' | undefined

/** Every role record, keyed by lower-cased role name; without a state table, none (and no memory). */
async function readMemory(deps: Deps): Promise<Memory> {
  if (!deps.state) return undefined
  try {
    const { items, unreadable } = await retryLater(deps, 'Query', () => deps.state!.roleRecords())
    if (unreadable.length > 0)
      // Such a role is treated as having no record here; its live reconcile replaces the item if it must act.
      deps.log.warn('sweep: role records not readable, ignored', { unreadable })
    return new Map(
      items.map((record) => [record.role.toLowerCase(), { record, version: { kind: 'rev', rev: record.rev } }]),
    )
  } catch (error) {
    // Without the records, every healthy role goes the live way (which reads its record): slower, nothing missed.
    deps.log.error('sweep: the role records could not be read; healthy roles are reconciled live', {
      error: describeError(error),
    })
    return 'unread'
  }
}

/** An open incident to resolve, or a heal whose outcome (and notice) is still owed. */
function owesSomething(record: RoleRecord): boolean {
  return record.incidents.length > 0 || record.intent !== undefined
}

/** A healthy role: remember its policies when they changed since last known good (no IAM read: the bulk read's). */
async function rememberHealthy(deps: Deps, run: RunContext, role: RoleState, stored: StoredRole | undefined) {
  const known = lastKnownGoodOf(role, run.now().getTime())
  if (!deps.state || !lastKnownGoodChanged(stored?.record.lastKnownGood, known)) return
  const record = stored?.record ?? { v: 1 as const, role: role.name, rev: 0, incidents: [], heals: [] }
  try {
    await deps.state.writeRole({ ...record, lastKnownGood: known }, stored?.version ?? { kind: 'absent' })
  } catch (error) {
    deps.log.warn('sweep: last-known-good not remembered', { role: role.name, error: describeError(error) })
  }
}

type Bulk = AccountRoles | { error: string }

/** The account's roles in bulk, or why not (then every role is read live: slower, but nothing is skipped). */
async function readBulk(deps: Deps): Promise<Bulk> {
  try {
    return await retryLater(deps, 'GetAccountAuthorizationDetails', () => deps.iam.readAccountRoles())
  } catch (error) {
    deps.log.error('sweep: the bulk IAM read failed; reading each execution role live instead', {
      error: describeError(error),
    })
    return { error: describeError(error) }
  }
}

/**
 * From the bulk read, the decisions reconcileRole would make without acting: a healthy role, and a role in mode off
 * (evaluated, not alerted), are done; a role with drift, a restore policy to converge (heal mode), or a refused
 * environment to alert about goes to the live path, with why.
 */
async function evaluate(
  deps: Deps,
  run: RunContext,
  bulk: Bulk,
  roleName: string,
  { located, refused }: RoleEnvironments,
  {
    memory,
    remember,
    documents,
  }: { memory: Memory; remember: Array<() => Promise<void>>; documents: DocumentsByEnvironment },
): Promise<RoleResult | PendingRole> {
  if ('error' in bulk) return { roleName, why: 'no-bulk-read' }
  // The live path alerts refused environment data, naming the role as it now is.
  if (refused.length > 0) return { roleName, why: 'refused' }
  const read = await bulk.role(roleName).catch((error: unknown) => {
    deps.log.warn('sweep: role not resolved from the bulk read', { role: roleName, error: describeError(error) })
    return undefined
  })
  if (!read || read.kind === 'unresolved') return { roleName, why: 'unresolved' }
  if (read.kind === 'not-listed') return { roleName, why: 'not-listed' }
  const role = read.role
  const environments = located.map((l) => l.environment.Name)
  const base = { role: role.name, roleArn: role.arn, environments, writes: [], blocked: 0, alerted: false }
  try {
    const { mode } = modeOf(role, deps.config)
    const baselines = located.map((l) => baselineOf(run, l.environment))
    const report = findDrift(role, baselines, undefined, documents)
    const findings = report.findings.length
    if (mode === 'off') return { ...base, mode, findings, result: 'off', preflight: false }
    if (findings > 0) return { roleName: role.name, why: 'drifted' }
    if (mode === 'heal') {
      const limits = healLimits(deps)
      const plan = planHeal({ role, baselines, findings: [], catalogue: run.catalogue, detached: [], limits })
      if (plan.writes.length > 0) return { roleName: role.name, why: 'drifted' }
    }
    // Memory: an open incident to resolve, a heal's notice owed (no map: the records could not be read).
    if (memory === 'unread') return { roleName: role.name, why: 'remembered' }
    const stored = memory?.get(role.name.toLowerCase())
    if (stored && owesSomething(stored.record)) return { roleName: role.name, why: 'remembered' }
    remember.push(() => rememberHealthy(deps, run, role, stored))
    return { ...base, mode, findings, result: 'healthy', preflight: false }
  } catch (error) {
    // The live path evaluates it again and reports what goes wrong, as for an event.
    deps.log.warn('sweep: role not evaluated from the bulk read', { role: roleName, error: describeError(error) })
    return { roleName: role.name, why: 'not-evaluated' }
  }
}
