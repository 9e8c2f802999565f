/** In-memory stand-ins for the shell's adapters: the reconcile's decisions, without any wire. */
import { baselineCatalogue } from '../../lib/catalogue'
import { deriveBaseline } from '../../lib/baseline'
import { loadConfig } from '../../lib/config'
import type { IamAdapter } from '../../lib/aws/iam'
import type { MwaaAdapter } from '../../lib/aws/mwaa'
import type { MwaaEnvironment } from '../../lib/baseline/types'
import type { RoleState } from '../../lib/drift/types'
import type { AlertRequest, Deps } from '../../lib/reconcile/types'
import { sample } from '../baseline/corpus'

export type World = {
  deps: Deps
  roles: Map<string, RoleState>
  alerts: AlertRequest[]
  writes: string[]
  /** reads of the role that should look stale before the fresh one (IAM eventual consistency) */
  staleReads: { count: number; state?: RoleState }
  environment: MwaaEnvironment
}

/** The corpus environment custodian-1 and a role built from its own baseline (healthy). */
export function healthyWorld(env: Record<string, string> = {}): World {
  const environment = sample('custodian-1')
  const baseline = deriveBaseline(environment, { catalogue: baselineCatalogue() })
  const name = environment.ExecutionRoleArn.split('/').at(-1)!
  const role: RoleState = {
    arn: environment.ExecutionRoleArn,
    name,
    trustPolicy: baseline.trustPolicy,
    inlinePolicies: [{ name: 'mwaa', document: baseline.policy }],
    attachedPolicies: [],
    permissionsBoundary: null,
    tags: {},
  }
  const roles = new Map([[name, role]])
  const alerts: AlertRequest[] = []
  const writes: string[] = []
  const staleReads: World['staleReads'] = { count: 0 }
  const iam: IamAdapter = {
    async readRole(roleName) {
      if (staleReads.count > 0 && staleReads.state) {
        staleReads.count--
        return { kind: 'found', role: structuredClone(staleReads.state) }
      }
      const found = roles.get(roleName)
      return found ? { kind: 'found', role: structuredClone(found) } : { kind: 'not-found', roleName }
    },
    // A snapshot, as GetAccountAuthorizationDetails is: later changes to `roles` are not in it.
    async readAccountRoles() {
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
      writes.push(`put ${roleName} ${policyName}`)
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
      return [environment.Name]
    },
    async getEnvironment(n, region) {
      return n === environment.Name ? { kind: 'found', environment } : { kind: 'not-found', name: n, region }
    },
  }
  const silent = { debug() {}, info() {}, warn() {}, error() {} }
  const config = loadConfig({
    AWS_REGION: 'us-east-1',
    AWS_ACCOUNT_ID: '644160558196',
    CONSISTENCY_WAIT_MS: '1000',
    ...env,
  })
  const deps: Deps = {
    config,
    deployment: async () => ({ partition: 'aws', accountId: config.accountId!, regions: config.mwaaRegions }),
    iam,
    mwaa,
    notify: async (alert) => {
      alerts.push(alert)
      return alert.kind
    },
    sleep: async () => undefined,
    log: silent,
    // The events' time: a read that does not reflect its event is stale, never superseded (tests move it on).
    clock: () => new Date('2026-11-28T10:00:00Z'),
  }
  return { deps, roles, alerts, writes, staleReads, environment }
}

/** An EventBridge CloudTrail event for an IAM call on the role (the shape of events/samples). */
export function iamEvent(
  eventName: string,
  requestParameters: Record<string, unknown>,
  caller = 'arn:aws:iam::644160558196:user/alice',
) {
  return {
    version: '0',
    id: `evt-${eventName}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: '644160558196',
    time: '2026-11-28T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: caller, accountId: '644160558196', userName: caller.split('/').at(-1) },
      eventTime: '2026-11-28T10:00:00Z',
      eventSource: 'iam.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.15.0',
      requestParameters,
      responseElements: null,
      eventID: `ct-${eventName}`,
      eventType: 'AwsApiCall',
      recipientAccountId: '644160558196',
    },
  }
}
