/**
 * The lease on a role's record: a run that is about to do something visible (notify, write to IAM) first writes
 * itself into the record as its owner, conditionally on the revision it read, so exactly one run acts on a role at a
 * time (two CLI processes, the sweep and the worker). In the cloud the FIFO message group already serialises the
 * worker; the lease covers everything else. A heal records its write-ahead intent in the same conditional write.
 * Nothing is ever done because of what the lease says: a run that finds a live lease waits, then reads again.
 */
import type { StateTable, StoredRole, Version } from '../aws/state-table'
import type { Intent, RoleRecord } from '../incidents/role-record'
import type { Log } from './types'

/** Longer than one role's reconcile (reads, writes, verification, notices) takes, well under the queue's visibility. */
export const LEASE_MS = 180_000

/** Someone else holds a live lease on the role: try again later (the worker's message comes back, the sweep skips). */
export class RoleBusyError extends Error {
  override name = 'RoleBusyError'
  constructor(
    readonly roleName: string,
    readonly until: number,
    options?: { cause?: unknown },
  ) {
    super(`role ${roleName} is being reconciled by another run until ${new Date(until).toISOString()}`, options)
  }
}

export type Held = { owner: string; record: RoleRecord; version: Version }

/** Reads the role's record; an unreadable item is logged and treated as absent. */
export async function readMemory(state: StateTable, roleName: string, log: Log): Promise<StoredRole> {
  const stored = await state.readRole(roleName)
  if (stored.version.kind === 'unreadable')
    log.error('state: the role record cannot be read; it is ignored and will be replaced', {
      role: roleName,
      reason: stored.version.reason,
    })
  return stored
}

/** True when another run's lease on the record has not expired. */
export function leasedByOther(record: RoleRecord, owner: string, now: number): boolean {
  return record.leaseOwner !== undefined && record.leaseOwner !== owner && (record.leaseUntil ?? 0) > now
}

/** Takes the lease (and records the intent, if any); `undefined` when the record changed since it was read. */
export async function acquire(
  state: StateTable,
  stored: StoredRole,
  owner: string,
  now: number,
  intent?: Intent,
): Promise<Held | undefined> {
  const record: RoleRecord = {
    ...stored.record,
    leaseOwner: owner,
    leaseUntil: now + LEASE_MS,
    ...(intent ? { intent } : {}),
  }
  const written = await state.writeRole(record, stored.version)
  return written.written ? { owner, record, version: written.version } : undefined
}

/** Writes the new record (lease and intent cleared) with its history entry; false when the lease was lost meanwhile. */
export async function commit(
  state: StateTable,
  held: Held,
  next: RoleRecord,
  history?: Parameters<StateTable['writeRole']>[2],
): Promise<boolean> {
  const { leaseOwner: _owner, leaseUntil: _until, intent: _intent, ...rest } = next
  return (await state.writeRole(rest, held.version, history)).written
}

/** Gives the lease up after a failure, keeping the intent so the next run reports what was written. Best effort. */
export async function release(state: StateTable, held: Held, log: Log): Promise<void> {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = held.record
  try {
    await state.writeRole(rest, held.version)
  } catch (error) {
    log.warn('state: could not release the lease; it expires on its own', {
      role: held.record.role,
      error: error instanceof Error ? error.message : String(error),
    })
  }
}
