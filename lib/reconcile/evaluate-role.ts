/**
 * The read and evaluate half of a reconcile: re-read the role (until it reflects the newest triggering event, or that
 * event is old enough to have been superseded), find the environments that use it (live GetEnvironment descriptions,
 * validated; refused ones are alerted), derive their baselines, evaluate, and plan what a heal would write. Nothing
 * is decided or written here; nothing from an event decides what a plan holds.
 */
// Direct imports: the baseline index also exports the extras parser, which would bring yaml into the Lambda.
import { deriveBaseline } from '../baseline/derive-baseline'
import { extrasFor } from '../baseline/extras-file'
import type { Baseline, MwaaEnvironment } from '../baseline/types'
import { modeOf, type Mode } from '../config'
import type { Change } from '../events'
import { findDrift } from '../drift/find-drift'
import type { DriftReport } from '../drift/findings'
import { planHeal, type HealPlan, type ManagedPolicyCandidate } from '../drift/plan-heal'
import type { RoleState } from '../drift/types'
import type { PolicyDocument } from '../iam/types'
import type { Unseen } from '../incidents'
import { documentsFor } from './documents'
import { environmentsUsingRole, type LocatedEnvironment, type RefusedEnvironment } from './environments'
import { healLimits } from './heal'
import { logRefused, notifyRefused } from './notices'
import { readFresh, supersededAfter } from './read-fresh'
import type { Deps, RunContext } from './types'

/** One event that named the role, as the reconcile uses it. */
export type RoleTrigger = {
  change: Change
  /** what a fresh read must show (the event's own effect), see readFresh */
  reflects?: (role: RoleState) => boolean
  /** a managed policy the event detached: a heal may re-attach it */
  detachedPolicyArn?: string
  /** the event set or removed the mode tag: a person has decided (a fight is over) */
  modeTagSet?: boolean
}

export type Evaluated = {
  kind: 'evaluated'
  role: RoleState
  mode: Mode
  located: LocatedEnvironment[]
  baselines: Baseline[]
  report: DriftReport
  plan: HealPlan
  detached: ManagedPolicyCandidate[]
  /** the refused environments were alerted (without a state table; with one, they are incidents: remember.ts) */
  alerted: boolean
  /** environments that use the role and whose data was refused (never used) */
  refused: RefusedEnvironment[]
  /** environments not evaluated (refused; not listed or described by the sweep): their incidents stay open */
  unseen: Unseen[]
}

export type Evaluation =
  | { kind: 'not-found' }
  | {
      kind: 'no-environment'
      role: RoleState
      mode: Mode
      refused: RefusedEnvironment[]
      alerted: boolean
      unseen: Unseen[]
    }
  | Evaluated

export type EvaluateInput = {
  roleName: string
  /** oldest first; empty for a sweep */
  triggers: readonly RoleTrigger[]
  /** inline policies and managed policies the role had when last known good */
  lastKnownGood?: { inline: ReadonlyArray<{ name: string; document: PolicyDocument }>; managed: readonly string[] }
}

/**
 * Reads and evaluates the role. Refused environment data is never used; without a state table it is alerted here,
 * every time it is seen; with one it is an incident, decided and told by remember.ts like any other problem.
 */
export async function evaluateRole(deps: Deps, run: RunContext, input: EvaluateInput): Promise<Evaluation> {
  const newest = input.triggers.at(-1)
  const read = await readFresh(deps, input.roleName, {
    reflects: newest?.reflects,
    changedAt: newest?.change.time,
    now: run.now,
    supersededAfterMs: supersededAfter(deps.config.settleSeconds),
  })
  if (read.kind === 'not-found') return { kind: 'not-found' }
  const role = read.role
  const deployment = await deps.deployment()
  const { located, refused } = await environmentsUsingRole(deps, deployment, role.name, run.environments)
  const { mode, warning, note } = modeOf(role, deps.config)
  const change = newest?.change
  if (refused.length > 0 && deps.state) logRefused(deps, role, refused)
  const alerted = refused.length > 0 && !deps.state ? await notifyRefused(deps, { role, mode, refused, change }) : false
  const unseen = [
    ...refused.map((r) => ({ region: r.region, environment: r.environment.Name })),
    ...(run.environments?.unseen ?? []),
  ]
  if (located.length === 0) return { kind: 'no-environment', role, mode, refused, alerted, unseen }
  if (warning) deps.log.warn(warning, { role: role.arn })
  if (note) deps.log.info(note, { role: role.arn })
  const baselines = located.map((l) => baselineOf(run, l.environment))
  const found = findDrift(role, baselines, undefined, await documentsFor(deps, located))
  // The alert's reader must know the check was partial (EXTRAS_PARAMETER could not be used) and why a mode applies.
  const preface = [
    ...(run.extrasSkipped ? [`extras not checked (only the MWAA baseline was): ${run.extrasSkipped}`] : []),
    ...(note ? [note] : []),
  ]
  const report: DriftReport = { ...found, warnings: [...preface, ...found.warnings] }
  const detached = await detachedCandidates(deps, role, input)
  const plan = planHeal({
    role,
    baselines,
    findings: report.findings,
    catalogue: run.catalogue,
    detached,
    limits: healLimits(deps),
    ...(input.lastKnownGood ? { lastKnownGood: input.lastKnownGood.inline } : {}),
  })
  return { kind: 'evaluated', role, mode, located, baselines, report, plan, detached, alerted, refused, unseen }
}

/** The baseline of a validated, live environment (plus the extras that apply to it). */
export function baselineOf(run: Pick<RunContext, 'catalogue' | 'extras'>, environment: MwaaEnvironment): Baseline {
  const extras = run.extras ? extrasFor(run.extras, environment.Name) : []
  return deriveBaseline(environment, { catalogue: run.catalogue, extras })
}

/**
 * Managed policies a heal may re-attach: the ones the triggering events detached, and the ones the role had when last
 * known good (a sweep heal re-attaches too). Each is read live; the plan re-attaches only one within the baselines.
 */
async function detachedCandidates(
  deps: Deps,
  role: RoleState,
  input: EvaluateInput,
): Promise<ManagedPolicyCandidate[]> {
  const arns = new Set([
    ...input.triggers.flatMap((t) => (t.detachedPolicyArn ? [t.detachedPolicyArn] : [])),
    ...(input.lastKnownGood?.managed ?? []),
  ])
  const out: ManagedPolicyCandidate[] = []
  for (const arn of arns) {
    if (role.attachedPolicies.some((p) => p.arn === arn)) continue
    const policy = await deps.iam.readManagedPolicy(arn)
    if (policy) out.push(policy)
  }
  return out
}
