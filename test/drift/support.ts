/** Roles, baselines and small document helpers shared by the drift tests (and the CLI tests and the bench). */
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import type { Baseline } from '../../lib/baseline/types'
import { baselineCatalogue } from '../../lib/catalogue/baseline-catalogue'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument, PolicyStatement } from '../../lib/iam/types'
import { sample, type Sample } from '../baseline/corpus'

export const catalogue = baselineCatalogue()

const cache = new Map<Sample, Baseline>()
/** The baseline of a corpus sample (derived once per test file). */
export function baselineOf(name: Sample): Baseline {
  let b = cache.get(name)
  if (!b) {
    b = deriveBaseline(sample(name), { catalogue })
    cache.set(name, b)
  }
  return b
}

/** Samples by key type (the doc has one sample policy per key type). */
export const CUSTOMER_KEY_SAMPLES = ['custodian-3', 'custodian-4'] as const satisfies readonly Sample[]
export const AWS_OWNED_KEY_SAMPLES = [
  'custodian-1',
  'custodian-2',
  'custodian-5',
  'custodian-6',
  'mwaaDR-1',
] as const satisfies readonly Sample[]

export const statementsOf = (doc: PolicyDocument): PolicyStatement[] =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
export const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v]
export const doc = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
})
export const clone = <T>(value: T): T => structuredClone(value)

/** The baseline policy without the statements whose Sid is listed. */
export function policyWithout(b: Baseline, ...sids: string[]): PolicyDocument {
  return doc(...b.policy.Statement.filter((s) => !sids.includes(s.Sid ?? '')))
}

/** A role of the environment holding `policy` as its one inline policy `execution` (default: the whole baseline). */
export function roleOf(b: Baseline, over: Partial<RoleState> = {}, policy: PolicyDocument = b.policy): RoleState {
  return {
    arn: b.environment.executionRoleArn,
    name: b.environment.executionRoleArn.split('/').pop()!,
    trustPolicy: clone(b.trustPolicy),
    inlinePolicies: [{ name: 'execution', document: clone(policy) }],
    attachedPolicies: [],
    permissionsBoundary: null,
    tags: {},
    ...over,
  }
}
