/** What the shell needs (adapters, clock, config) and what it reports, as plain types. */
import type { Catalogue } from '../catalogue'
import type { Config, Mode } from '../config'
import type { IamAdapter } from '../aws/iam'
import type { MwaaAdapter } from '../aws/mwaa'
import type { SsmAdapter } from '../aws/ssm'
import type { AlertInput } from '../alerts/types'
import type { ExtrasFile } from '../baseline/extras-file'
import type { Deployment } from '../baseline/deployment'
import type { ApiCallCounter } from '../aws/call-counter'
import type { MwaaEnvironment } from '../baseline/types'
import type { Refusal } from '../baseline/validate-environment'

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
  /** The environments that use a role (names compare case-insensitively, as IAM's do). */
  usingRole(roleName: string): RoleEnvironments
}

/** The alert the shell asks for; the notifier composes the SNS and Slack messages from it. */
export type AlertRequest = Omit<AlertInput, 'at' | 'modeTagKey'>

export type Outcome =
  | 'reported'
  | 'healed'
  | 'partially-healed'
  | 'blocked'
  | 'failed'
  | 'critical'
  | 'refused'
  | 'noted'

export type Notifier = (alert: AlertRequest) => Promise<void>

export type Log = {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

export type Deps = {
  config: Config
  /** partition, account and watched regions: AWS_ACCOUNT_ID, else STS (resolved once per process) */
  deployment: () => Promise<Deployment>
  iam: IamAdapter
  mwaa: MwaaAdapter
  notify: Notifier
  /** what baselines are derived with: the shipped subset, merged with the compiled extras' slice once loaded */
  catalogue: Catalogue
  extras?: ExtrasFile
  /** reads EXTRAS_PARAMETER (wireDeps sets it when a parameter is configured) */
  ssm?: Pick<SsmAdapter, 'getParameter'>
  /** why EXTRAS_PARAMETER's extras are not checked in this invocation (set by withExtras) */
  extrasSkipped?: string
  sleep: (ms: number) => Promise<void>
  log: Log
  /** the clock (wireDeps sets it); without one, a read that never reflects its event is always taken as stale */
  now?: () => Date
  /** plan and report, write nothing, publish nothing (`handle --dry-run`) */
  dryRun?: boolean
  /** every AWS call and throttled attempt (wireDeps sets it): the sweep reports its share */
  counter?: ApiCallCounter
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
  findings: number
  writes: string[]
  blocked: number
  alerted: boolean
  error?: string
  preflight?: boolean
  /** --dry-run: the writes a heal would make */
  wouldWrite?: string[]
}

export type EventSummary = {
  status: 'handled' | 'ignored'
  reason?: string
  eventName?: string
  eventId?: string
  roles: RoleResult[]
  /** EXTRAS_PARAMETER could not be used: the roles were checked against the MWAA baseline alone */
  extrasSkipped?: string
  /** --dry-run: nothing was written or published */
  dryRun?: boolean
}
