/** Small helpers shared by the IAM tests: compile documents and ask one question per table row. */
import {
  type AccessResult,
  compilePolicy,
  evaluateAccess,
  parseCaller,
  evaluateRequest,
  evaluateResourcePolicy,
  type CompiledPolicy,
  type Decision,
  type EvaluationRequest,
  type PolicyKind,
  type RequestContext,
} from '../../lib/iam/index'

let counter = 0

/** Compiles a document; a bare statement or statement list becomes a 2012-10-17 policy. */
export function policy(doc: unknown, kind: PolicyKind = 'identity', name = `p${++counter}`): CompiledPolicy {
  const wrapped = isDocument(doc) ? doc : { Version: '2012-10-17', Statement: doc }
  return compilePolicy(wrapped, name, kind)
}

function isDocument(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'Statement' in doc
}

/** Decision of identity policies (and an optional boundary) for one request. */
export function decide(identity: unknown[], request: EvaluationRequest, boundary?: unknown): Decision {
  return evaluateRequest(
    {
      identity: identity.map((d) => policy(d)),
      boundary: boundary === undefined ? null : policy(boundary, 'boundary'),
    },
    request,
  ).decision
}

/** Decision of a resource-based policy (trust policy) for one request. */
export function decideResource(doc: unknown, request: EvaluationRequest): Decision {
  return evaluateResourcePolicy(policy(doc, 'resource'), request).decision
}

/**
 * Whether a Condition block holds ("Match" in the docs' tables): it is put on an Allow statement for
 * every action and resource, so Match means allowed and No match means implicitly denied.
 */
export function conditionMatches(condition: unknown, context?: RequestContext, version = '2012-10-17'): boolean {
  const p = compilePolicy(
    { Version: version, Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: condition } },
    'cond',
    'identity',
  )
  const decision = evaluateRequest(
    { identity: [p] },
    { action: 'svc:Act', resource: 'arn:aws:svc:::r', context },
  ).decision
  return decision === 'allowed'
}

/** An identity policy that allows everything, so a Deny statement's effect can be observed. */
export const ALLOW_ALL = { Effect: 'Allow', Action: '*', Resource: '*' }

/** The full evaluator's result for a row of documents (see policy-type-cases.ts), compiled by kind. */
export function decideAccess(row: {
  principal?: string
  identity?: unknown[]
  boundary?: unknown
  session?: unknown
  resource?: unknown
  endpoints?: unknown[]
  scps?: unknown[][]
  rcps?: unknown[][]
  request: EvaluationRequest & { resourceAccount?: string }
}): AccessResult {
  const one = (doc: unknown, kind: PolicyKind) => (doc === undefined || doc === null ? null : policy(doc, kind))
  const caller = row.principal === undefined ? undefined : parseCaller(row.principal)
  if (row.principal !== undefined && caller === undefined) throw new Error(`bad principal ${row.principal}`)
  return evaluateAccess(
    {
      identity: (row.identity ?? []).map((d) => policy(d)),
      boundary: one(row.boundary, 'boundary'),
      session: one(row.session, 'session'),
      resource: one(row.resource, 'resource'),
      endpoints: (row.endpoints ?? []).map((d) => policy(d, 'endpoint')),
      scps: row.scps?.map((level) => level.map((d) => policy(d, 'scp'))) ?? null,
      rcps: row.rcps?.map((level) => level.map((d) => policy(d, 'rcp'))) ?? null,
    },
    { ...row.request, ...(caller === undefined ? {} : { caller }) },
  )
}
