/**
 * Many environments, one execution role each, over in-memory adapters (as fakes.ts, for the sweep): every live read,
 * description, alert and write is counted, and a read can be scripted to fail.
 */
import { deriveBaseline } from '../../lib/baseline'
import type { MwaaEnvironment } from '../../lib/baseline/types'
import { baselineCatalogue } from '../../lib/catalogue'
import { loadConfig } from '../../lib/config'
import type { IamAdapter } from '../../lib/aws/iam'
import type { MwaaAdapter } from '../../lib/aws/mwaa'
import type { RoleState } from '../../lib/drift/types'
import type { AlertRequest, Deps } from '../../lib/reconcile/types'
import { sample } from '../baseline/corpus'

/** IAM's throttling error as the SDK raises it (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). */
export const throttling = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } })
export const accessDenied = () =>
  Object.assign(new Error('not authorized to perform: iam:GetRole'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  })

/** `n` environments env-000.. with healthy roles role-000.. (custodian-1's baseline, renamed). */
export function fleet(n: number, env: Record<string, string> = {}) {
  const base = sample('custodian-1')
  const account = base.ExecutionRoleArn.split(':')[4]
  const environments: MwaaEnvironment[] = []
  const roles = new Map<string, RoleState>()
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(3, '0')
    const environment = {
      ...base,
      Name: `env-${id}`,
      Arn: base.Arn.replace(/[^/]+$/, `env-${id}`),
      ExecutionRoleArn: `arn:aws:iam::${account}:role/service-role/role-${id}`,
    }
    const baseline = deriveBaseline(environment, { catalogue: baselineCatalogue() })
    environments.push(environment)
    roles.set(`role-${id}`, {
      arn: environment.ExecutionRoleArn,
      name: `role-${id}`,
      trustPolicy: baseline.trustPolicy,
      inlinePolicies: [{ name: 'mwaa', document: baseline.policy }],
      attachedPolicies: [],
      permissionsBoundary: null,
      tags: {},
    })
  }
  let clock = Date.UTC(2026, 11, 2, 6, 0, 0)
  const counts = { liveReads: new Map<string, number>(), bulkReads: 0, describes: 0, lists: 0 }
  const alerts: AlertRequest[] = []
  const writes: string[] = []
  /** errors the next live reads of a role throw, in order */
  const readFailures = new Map<string, unknown[]>()
  const failures = {
    bulk: [] as unknown[],
    list: [] as unknown[],
    describe: new Map<string, unknown[]>(),
    write: [] as unknown[],
  }
  const slept: number[] = []
  /** simulated time each live read takes (it moves the fleet's clock) */
  const timing = { readMs: 0 }

  const iam: IamAdapter = {
    async readRole(roleName) {
      counts.liveReads.set(roleName, (counts.liveReads.get(roleName) ?? 0) + 1)
      clock += timing.readMs
      const error = readFailures.get(roleName)?.shift()
      if (error) throw error
      const found = roles.get(roleName)
      return found ? { kind: 'found', role: structuredClone(found) } : { kind: 'not-found', roleName }
    },
    async readAccountRoles() {
      counts.bulkReads++
      const error = failures.bulk.shift()
      if (error) throw error
      const snapshot = new Map([...roles].map(([k, v]) => [k.toLowerCase(), structuredClone(v)]))
      return {
        size: snapshot.size,
        pages: 1,
        async role(roleName: string) {
          const found = snapshot.get(roleName.toLowerCase())
          return found ? { kind: 'found' as const, role: found } : { kind: 'not-listed' as const, roleName }
        },
      }
    },
    async readManagedPolicy() {
      return null
    },
    async rolesForPolicy() {
      return []
    },
    async attachRolePolicy(roleName, policyArn) {
      writes.push(`attach ${roleName} ${policyArn}`)
    },
    async putRolePolicy(roleName, policyName, document) {
      const error = failures.write.shift()
      writes.push(`put ${roleName} ${policyName}`)
      if (error) throw error
      const r = roles.get(roleName)!
      r.inlinePolicies = [...r.inlinePolicies.filter((p) => p.name !== policyName), { name: policyName, document }]
    },
    async deleteRolePolicy(roleName, policyName) {
      writes.push(`delete ${roleName} ${policyName}`)
      const r = roles.get(roleName)!
      r.inlinePolicies = r.inlinePolicies.filter((p) => p.name !== policyName)
    },
    async updateAssumeRolePolicy(roleName, document) {
      writes.push(`trust ${roleName}`)
      roles.get(roleName)!.trustPolicy = document
    },
  }
  const mwaa: MwaaAdapter = {
    forget() {},
    async listEnvironments() {
      counts.lists++
      const error = failures.list.shift()
      if (error) throw error
      return environments.map((e) => e.Name)
    },
    async getEnvironment(name, region) {
      counts.describes++
      const error = failures.describe.get(name)?.shift()
      if (error) throw error
      const found = environments.find((e) => e.Name === name)
      return found ? { kind: 'found', environment: found } : { kind: 'not-found', name, region }
    },
  }
  const silent = { debug() {}, info() {}, warn() {}, error() {} }
  const config = loadConfig({ AWS_REGION: 'us-east-1', AWS_ACCOUNT_ID: account!, CONSISTENCY_WAIT_MS: '1000', ...env })
  const deps: Deps = {
    config,
    deployment: async () => ({ partition: 'aws', accountId: config.accountId!, regions: config.mwaaRegions }),
    iam,
    mwaa,
    notify: async (alert) => {
      alerts.push(alert)
      return alert.kind
    },
    sleep: async (ms) => {
      slept.push(ms)
      clock += ms
    },
    log: silent,
    clock: () => new Date(clock),
  }
  return {
    deps,
    environments,
    roles,
    counts,
    alerts,
    writes,
    readFailures,
    failures,
    slept,
    timing,
    now: () => clock,
    role: (i: number) => roles.get(`role-${String(i).padStart(3, '0')}`)!,
    /** moves the fleet's clock (the sweep's start decides where its order begins) */
    advance: (ms: number) => {
      clock += ms
    },
    /** drops the Celery queue statement from a role: 6 findings */
    drift(i: number) {
      const role = this.role(i)
      const doc = role.inlinePolicies[0]!.document
      const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
      role.inlinePolicies[0]!.document = { ...doc, Statement: statements.filter((s) => s.Sid !== 'CeleryQueue') }
      return role
    },
    liveReads: () => [...counts.liveReads.values()].reduce((a, b) => a + b, 0),
  }
}
