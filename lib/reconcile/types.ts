/**
 * What the shell needs and what it reports, as plain types. `Deps` are long-lived (clients, caches, config: built once
 * per process, kept by a warm Lambda); a `RunContext` is what one event, batch or sweep decided (the extras and the
 * catalogue in effect, the clock), made once per run and never changed after.
 */
import type { Catalogue } from '../catalogue'
import type { Config, Mode } from '../config'
import type { IamAdapter } from '../aws/iam'
import type { MwaaAdapter } from '../aws/mwaa'
import type { ReconcileQueue } from '../aws/reconcile-queue'
import type { SsmAdapter } from '../aws/ssm'
import type { StateTable } from '../aws/state-table'
import type { AlertInput, AlertOutcome } from '../alerts/types'
import type { ExtrasFile } from '../baseline/extras-file'
import type { Deployment } from '../baseline/deployment'
import type { DocumentAdapters } from '../aws/environment-documents'
import type { ApiCallCounter } from '../aws/call-counter'
import type { MwaaEnvironment } from '../baseline/types'
import type { Refusal } from '../baseline/validate-environment'
import type { Unseen } from '../incidents'

/** An environment and the region it runs in (validated against the deployment: environments.ts). */
export type LocatedEnvironment = { region: string; environment: MwaaEnvironment }
/** An environment whose description failed validation: never used as a baseline. */
export type RefusedEnvironment = LocatedEnvironment & { refusals: Refusal[] }
/** The environments that use a role: the ones that can be used, and the ones refused. */
export type RoleEnvironments = { located: LocatedEnvironment[]; refused: RefusedEnvironment[] }

/** Something the sweep could not read (a region's list, an environment), with why. */
export type SweepFailure = { subject: string; error: string; throttled: boolean }

/** Every environment of the watched regions, described and validated once by a sweep, indexed by execution role. */
export type EnvironmentIndex = {
  /** environments described (deleting ones included) */
  readonly environments: number
  /** each execution role once (the name as the first environment spells it), with the environments that use it */
  readonly roles: ReadonlyArray<{ roleName: string } & RoleEnvironments>
  /** What could not be listed or described: the roles those environments use were not checked against them. */
  readonly failures: readonly SweepFailure[]
  /** The same, as places: an incident there is not resolved for want of its environment. */
  readonly unseen: readonly Unseen[]
  /** The environments that use a role (names compare case-insensitively, as IAM's do). */
  usingRole(roleName: string): RoleEnvironments
}
import type { Once } from '../aws/event-once'
import type { Context } from 'aws-lambda'

/** The alert the shell asks for; the notifier composes the SNS and Slack messages from it. */
export type AlertRequest = Omit<AlertInput, 'at' | 'modeTagKey'>

/** What an evaluation or a heal ends in (an incident's `resolved`/`contested` come from the incident logic). */
export type Outcome = Exclude<AlertOutcome, 'resolved' | 'contested'>

/** Sends one alert; returns its subject (for the history). */
export type Notifier = (alert: AlertRequest) => Promise<string>

export type Log = {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Long-lived: adapters, caches and configuration. */
export type Deps = {
  config: Config
  /** partition, account and watched regions: AWS_ACCOUNT_ID, else STS (resolved once per process) */
  deployment: () => Promise<Deployment>
  iam: IamAdapter
  mwaa: MwaaAdapter
  notify: Notifier
  /** reads EXTRAS_PARAMETER (wireDeps sets it when a parameter is configured) */
  ssm?: Pick<SsmAdapter, 'getParameter'>
  /** the state table (STATE_TABLE); without it, every decision is made as if it were the first */
  state?: StateTable
  /** the reconcile queue (RECONCILE_QUEUE_URL): the ingest function sends roles there; unset, they run in-process */
  queue?: ReconcileQueue
  /** each CloudTrail event id handled once (Powertools idempotency in the state table); set with `state` */
  dedupe?: <T>(
    fn: (event: unknown, context: Context) => Promise<T>,
  ) => (event: unknown, context: Context) => Promise<Once<T>>
  sleep: (ms: number) => Promise<void>
  log: Log
  /** the time source every run's clock comes from */
  clock: () => Date
  /** plan and report, write nothing, publish nothing (`handle --dry-run`) */
  dryRun?: boolean
  /** every AWS call and throttled attempt (wireDeps sets it): the sweep reports its share */
  counter?: ApiCallCounter
  /** the documents beyond the role (bucket, key, endpoint policies, SCPs/RCPs); without them, the role alone is checked */
  documents?: DocumentAdapters
}

/** Per run (one event, one batch, one sweep): made by startRun, never changed after. */
export type RunContext = {
  now: () => Date
  /** what baselines are derived with: the shipped subset, merged with the compiled extras' slice */
  catalogue: Catalogue
  extras?: ExtrasFile
  /** why EXTRAS_PARAMETER's extras are not checked in this run */
  extrasSkipped?: string
  /** the environments one sweep described (set by the sweep): lookups answer from it instead of describing again */
  environments?: EnvironmentIndex
}

/** What happened to one role (the JSON summary `handle` prints, one entry per role). */
export type RoleResult = {
  role: string
  roleArn?: string
  environments: string[]
  mode?: Mode
  result:
    | 'healthy'
    | 'reported'
    | 'healed'
    | 'partially-healed'
    | 'blocked'
    | 'failed'
    | 'off'
    | 'no-environment'
    | 'role-not-found'
    | 'role-deleted-in-use'
    /** every environment using the role was refused (its data failed validation): nothing evaluated */
    | 'refused'
    /** --dry-run: what a heal would write is in `wouldWrite` */
    | 'dry-run'
    /** a heal inside its back-off: the role comes back at `deferredUntil` */
    | 'deferred'
    /** heals keep being undone: healing stopped for the role */
    | 'contested'
    /** another run holds the role's lease: it is reconciled later */
    | 'busy'
  findings: number
  writes: string[]
  blocked: number
  alerted: boolean
  error?: string
  /** result failed: whether the error was retryable (throttled, 5xx, stale, busy); false: it fails the same way again */
  retryable?: boolean
  /** result failed: the tries it took (the reconcile queue's receive count; 1 for the CLI) */
  tries?: number
  /** result failed and retryable, in the worker: the role's messages come back after this many seconds */
  retryInSeconds?: number
  preflight?: boolean
  /** --dry-run: the writes a heal would make */
  wouldWrite?: string[]
  /** the incidents this reconcile told about (or kept quiet about), and where they stand */
  incidents?: Array<{ id: string; environment: string; transition: string; kind?: 'refused' }>
  /** ISO-8601: when a deferred heal is due */
  deferredUntil?: string
  /** EXTRAS_PARAMETER could not be used: the role was checked against the MWAA baseline alone */
  extrasSkipped?: string
}

export type EventSummary = {
  /** duplicate: the event id was handled before (or is being handled): nothing done */
  status: 'handled' | 'ignored' | 'duplicate'
  reason?: string
  eventName?: string
  eventId?: string
  roles: RoleResult[]
  /** the roles sent to the reconcile queue (reconciled after the settle window) */
  enqueued?: string[]
  /** EXTRAS_PARAMETER could not be used: the roles were checked against the MWAA baseline alone */
  extrasSkipped?: string
  /** --dry-run: nothing was written or published */
  dryRun?: boolean
  /** STATE_TABLE unset: no duplicate detection, no incidents, no settle window (the CLI only) */
  memory?: 'off'
}
