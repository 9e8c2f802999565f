/**
 * `simulate --input FILE`: evaluates requests with the local evaluator, every policy type included (identity-based,
 * boundary, session, resource, VPC endpoint, SCP and RCP levels). Built for batches: policies are compiled once per
 * distinct document, so thousands of requests sharing policies cost one compilation each.
 */
import {
  type AccessResult,
  type CompiledPolicy,
  compilePolicy,
  evaluateAccess,
  type Gap,
  type PolicyKind,
  PolicyParseError,
  type ServiceRule,
  type StatementRef,
} from '../iam'
import { InputError } from '../input-error'
import { parseFlags, required } from './args'
import { readJson } from './files'
import type { Io } from './io'
import { checkItem, parseSimulateInput, type SimulateInput, type SimulateItem } from './simulate-input'

export type { SimulateInput } from './simulate-input'

/** One answer: the decision, the deciding statements, the policy types that lacked an Allow, what did not apply. */
export type SimulateResult = {
  decision: AccessResult['decision']
  statements: StatementRef[]
  missing?: string[]
  rule?: ServiceRule
  exempt?: Array<{ policies: string; reason: string; doc: string }>
}

/** The CLI command. */
export async function simulateCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, { input: { type: 'string' } })
  const path = required(flags.input, 'input')
  const { items } = parseSimulateInput(readJson(path), path)
  io.out(JSON.stringify(evaluateItems(items, path), null, 2))
  return 0
}

/** Evaluates each request in order; a bad request or policy is an InputError naming the request and field. */
export function simulateAll(inputs: readonly SimulateInput[], source: string, batch = true): SimulateResult[] {
  const items = inputs.map((input, i) => checkItem(input, batch ? `[${i}].` : '', source))
  return evaluateItems(items, source)
}

const FIELDS: Record<PolicyKind, string> = {
  identity: 'identityPolicies',
  boundary: 'permissionsBoundary',
  session: 'sessionPolicy',
  resource: 'resourcePolicy',
  endpoint: 'vpcEndpointPolicies',
  scp: 'serviceControlPolicies',
  rcp: 'resourceControlPolicies',
}

function evaluateItems(items: readonly SimulateItem[], source: string): SimulateResult[] {
  const cache = new Map<string, CompiledPolicy>()
  return items.map(({ input, caller, at }) => {
    const compile = (doc: unknown, name: string, kind: PolicyKind) => compileOnce(cache, doc, at, name, kind, source)
    const optional = (doc: unknown, kind: PolicyKind) =>
      doc === undefined || doc === null ? null : compile(doc, FIELDS[kind], kind)
    const list = (docs: readonly unknown[] | undefined, kind: PolicyKind) =>
      (docs ?? []).map((doc, i) => compile(doc, `${FIELDS[kind]}[${i}]`, kind))
    const levels = (docs: readonly (readonly unknown[])[] | null | undefined, kind: 'scp' | 'rcp') =>
      docs === undefined || docs === null
        ? null
        : docs.map((level, l) => level.map((doc, i) => compile(doc, `${FIELDS[kind]}[${l}][${i}]`, kind)))
    const result = evaluateAccess(
      {
        identity: list(input.identityPolicies, 'identity'),
        boundary: optional(input.permissionsBoundary, 'boundary'),
        session: optional(input.sessionPolicy, 'session'),
        resource: optional(input.resourcePolicy, 'resource'),
        endpoints: list(input.vpcEndpointPolicies, 'endpoint'),
        scps: levels(input.serviceControlPolicies, 'scp'),
        rcps: levels(input.resourceControlPolicies, 'rcp'),
      },
      { ...input.request, ...(caller === undefined ? {} : { caller }) },
    )
    return toOutput(result)
  })
}

function toOutput(r: AccessResult): SimulateResult {
  const out: SimulateResult = { decision: r.decision, statements: r.statements }
  if (r.missing !== undefined) out.missing = r.missing.map(fieldOf)
  if (r.rule !== undefined) out.rule = r.rule
  if (r.exempt !== undefined)
    out.exempt = r.exempt.map((e) => ({ policies: FIELDS[e.kind], reason: e.reason, doc: e.doc }))
  return out
}

/** The input field a gap points at: `permissionsBoundary`, `serviceControlPolicies[1]`, `vpcEndpointPolicies[0]`. */
function fieldOf(gap: Gap): string {
  return gap.level === undefined ? FIELDS[gap.kind] : `${FIELDS[gap.kind]}[${gap.level}]`
}

function compileOnce(
  cache: Map<string, CompiledPolicy>,
  doc: unknown,
  at: string,
  name: string,
  kind: PolicyKind,
  source: string,
): CompiledPolicy {
  const key = `${kind}\u0000${name}\u0000${typeof doc === 'string' ? doc : JSON.stringify(doc)}`
  let compiled = cache.get(key)
  if (compiled === undefined) {
    try {
      compiled = compilePolicy(doc, name, kind)
    } catch (error) {
      if (error instanceof PolicyParseError) {
        const field = [`${at}${name}`, error.path].filter(Boolean).join('.')
        throw new InputError(source, field, error.message.slice(error.path ? error.path.length + 2 : 0), {
          cause: error,
        })
      }
      throw error
    }
    cache.set(key, compiled)
  }
  return compiled
}
