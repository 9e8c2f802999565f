/**
 * Issue 6, the property: over arbitrary events (forged or genuine, any account or region), arbitrary environment data
 * (what the MWAA stand-in serves: clean descriptions and adversarial ones) and arbitrary extras (safe ones, identity
 * services, Permissions management, wildcard resources, forged catalogue slices), every document the heal writes is
 * within the baseline of the LIVE, clean environments of the role, holds no wildcard resource beyond the User Guide's
 * own, and no identity-service or Permissions management action. In-memory adapters: fast enough for every CI run.
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileExtras } from '../../lib/baseline/compile-extras'
import { deriveBaseline } from '../../lib/baseline/derive-baseline'
import { validateExtrasData } from '../../lib/baseline/extras-data'
import { extrasFor } from '../../lib/baseline/extras-file'
import { Sid } from '../../lib/baseline/sids'
import type { Baseline, MwaaEnvironment } from '../../lib/baseline/types'
import { toMwaaEnvironment } from '../../lib/aws/mwaa-environment'
import type { IamAdapter } from '../../lib/aws/iam'
import type { MwaaAdapter } from '../../lib/aws/mwaa'
import { actionLevels } from '../../lib/catalogue/action-levels'
import { baselineCatalogue, baselineCatalogueData } from '../../lib/catalogue/baseline-catalogue'
import { catalogueFromData } from '../../lib/catalogue/catalogue-from-data'
import { mergeCatalogues } from '../../lib/catalogue/merge'
import { readIamData } from '../../lib/catalogue/load-full'
import { loadConfig } from '../../lib/config'
import type { HealWrite } from '../../lib/drift/plan-heal'
import { RESTORE_POLICY_NAME } from '../../lib/drift/restore-policy'
import type { RoleState } from '../../lib/drift/types'
import type { PolicyDocument } from '../../lib/iam/types'
import { handleEvent } from '../../lib/reconcile/handle-event'
import { sweep } from '../../lib/reconcile/sweep'
import type { Deps } from '../../lib/reconcile/types'
import { cloudTrailEvent } from '../support/cloudtrail-event'
import { describeEnvironment } from '../support/environments'

const A = '111122223333' // the deployment's account
const B = '999999999999' // anyone else's
const REGIONS = ['us-east-1', 'eu-west-1']
const DOCUMENTED_STAR_SIDS = new Set<string>([
  Sid.describeLogGroups,
  Sid.accountPublicAccessBlock,
  Sid.cloudWatchMetrics,
])
const IDENTITY = new Set(['iam', 'sts', 'organizations', 'sso', 'identitystore'])
const levels = actionLevels()

const roleArn = (name: string, account = A, path = '/service-role/') => `arn:aws:iam::${account}:role${path}${name}`
const ROLES = { exec: roleArn('exec'), console: roleArn('AmazonMWAA-prod'), ci: roleArn('ci', A, '/') }

// ---- environment data: clean descriptions, and the adversarial edits an attacker or a bug could produce ----

type Edit = { name: string; apply: (w: Record<string, unknown>) => void }
/** An edit of one field of the description (`v`: its value before). */
const set =
  (field: string, to: (v: unknown) => unknown) =>
  (w: Record<string, unknown>): void => {
    w[field] = to(w[field])
  }
const EDITS: Edit[] = [
  { name: 'arn in another account', apply: set('Arn', (v) => String(v).replace(A, B)) },
  { name: 'arn in an unwatched region', apply: set('Arn', (v) => String(v).replace('us-east-1', 'ap-south-1')) },
  {
    name: 'role in another account',
    apply: set('ExecutionRoleArn', (v) => String(v).replace(A, B)),
  },
  { name: 'every bucket', apply: set('SourceBucketArn', () => 'arn:aws:s3:::*') },
  { name: 'bucket pattern', apply: set('SourceBucketArn', () => 'arn:aws:s3:::data-?ucket') },
  { name: 'another partition', apply: set('SourceBucketArn', () => 'arn:aws-cn:s3:::bucket-cn') },
  { name: 'dag path wildcard', apply: set('DagS3Path', () => '*') },
  { name: 'dag path variable', apply: set('DagS3Path', () => '${aws:username}') },
  { name: 'every key', apply: set('KmsKey', () => '*') },
  { name: "another account's key", apply: set('KmsKey', () => `arn:aws:kms:us-east-1:${B}:key/k1`) },
  { name: 'key wildcard', apply: set('KmsKey', () => `arn:aws:kms:us-east-1:${A}:key/*`) },
  { name: "another account's queue", apply: set('CeleryExecutorQueue', () => `arn:aws:sqs:us-east-1:${B}:jobs`) },
  {
    name: 'log group wildcard',
    apply: (w) => {
      const logging = w.LoggingConfiguration as Record<string, { CloudWatchLogGroupArn: string }>
      logging.TaskLogs!.CloudWatchLogGroupArn = `arn:aws:logs:us-east-1:${A}:log-group:*`
    },
  },
  {
    name: "another account's log group",
    apply: (w) => {
      const logging = w.LoggingConfiguration as Record<string, { CloudWatchLogGroupArn: string }>
      logging.WorkerLogs!.CloudWatchLogGroupArn = `arn:aws:logs:us-east-1:${B}:log-group:x`
    },
  },
]

type EnvSpec = { name: string; role: keyof typeof ROLES; customerKey: boolean; status: string; edit?: Edit }

const envSpec = (name: string) =>
  fc.record({
    name: fc.constant(name),
    role: fc.constantFrom<keyof typeof ROLES>('exec', 'exec', 'console', 'ci'),
    customerKey: fc.boolean(),
    status: fc.constantFrom('AVAILABLE', 'AVAILABLE', 'CREATING', 'UPDATING', 'DELETING'),
    edit: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      { arbitrary: fc.constantFrom(...EDITS), weight: 1 },
    ),
  })

function wireOf(spec: EnvSpec): Record<string, unknown> {
  const wire = describeEnvironment(spec.name, ROLES[spec.role], { customerKey: spec.customerKey, status: spec.status })
  const out = structuredClone(wire) as unknown as Record<string, unknown>
  // describeEnvironment names the queue in an MWAA-owned account: the documented exception.
  spec.edit?.apply(out)
  return out
}

// ---- extras: compiled for the SSM parameter, some safe, some never to be healed, some forged ----

const partial = readIamData(['secretsmanager', 's3', 'iam', 'sts', 'kms'])
const partialCatalogue = catalogueFromData(partial.actions, partial.arnFormats)
type Extra = { statement: Record<string, unknown>; safe: boolean }
const EXTRAS: Extra[] = [
  {
    safe: true,
    statement: {
      Sid: 'Secrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:airflow/*',
    },
  },
  {
    safe: true,
    statement: { Sid: 'Landing', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::landing-*/*' },
  },
  { safe: false, statement: { Sid: 'PassAny', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' } },
  {
    safe: false,
    statement: {
      Sid: 'AssumeAny',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: 'arn:aws:iam::${Account}:role/x',
    },
  },
  {
    safe: false,
    statement: { Sid: 'BucketPolicy', Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: 'arn:aws:s3:::data' },
  },
  {
    safe: false,
    statement: {
      Sid: 'Grant',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: 'arn:${Partition}:kms:${Region}:${Account}:key/k1',
    },
  },
  {
    safe: false,
    statement: { Sid: 'AllBuckets', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' },
  },
  {
    safe: false,
    statement: { Sid: 'AnySecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
  },
  {
    safe: false,
    statement: { Sid: 'AnyAccount', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:*:*:thing' },
  },
]

function compiled(chosen: readonly Extra[], forgedAction: boolean): string {
  const file = validateExtrasData(
    { version: 1, environments: { '*': chosen.map((e) => e.statement) } },
    'extras.yaml',
    partialCatalogue,
  )
  const out = compileExtras(file, partial, partial.source.version)
  if (forgedAction) {
    out.catalogue.actions.s3 = { ...out.catalogue.actions.s3, GetEverything: ['object'] }
    out.extras.environments['*']!.push({ Effect: 'Allow', Action: 's3:GetEverything', Resource: 'arn:aws:s3:::b/*' })
  }
  return JSON.stringify(out)
}

// ---- events: anything a caller (or a forger) could put on the bus ----

const anyEvent = fc.oneof(
  fc.record({
    service: fc.constant('iam' as const),
    eventName: fc.constantFrom('DeleteRolePolicy', 'UntagRole', 'DeleteRolePermissionsBoundary'),
    requestParameters: fc.record({
      roleName: fc.constantFrom('exec', 'AmazonMWAA-prod', 'ci'),
      policyName: fc.constant('gone'),
      tagKeys: fc.constant(['unrelated']),
    }),
    account: fc.constantFrom(A, A, B),
    region: fc.constantFrom('us-east-1', 'us-east-1', 'eu-west-1'),
  }),
  fc.record({
    service: fc.constant('mwaa' as const),
    eventName: fc.constantFrom('CreateEnvironment', 'UpdateEnvironment'),
    requestParameters: fc.record({
      Name: fc.constantFrom('env-a', 'env-b', 'env-new'),
      ExecutionRoleArn: fc.constantFrom(ROLES.exec, ROLES.console, ROLES.ci, roleArn('exec', B)),
      SourceBucketArn: fc.constantFrom('arn:aws:s3:::env-a-dags-111122223333', 'arn:aws:s3:::*', 'arn:aws:s3:::loot'),
      KmsKey: fc.option(
        fc.constantFrom('*', '1234abcd-12ab-34cd-56ef-1234567890ab', `arn:aws:kms:us-east-1:${B}:key/k`),
        {
          nil: undefined,
        },
      ),
    }),
    account: fc.constantFrom(A, A, B),
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-1'),
  }),
)

// ---- the world: roles in memory, environments as served, every write recorded ----

type Scenario = {
  envs: EnvSpec[]
  roleDrift: string[]
  trustKept: boolean
  staleRestore: boolean
  tags: Record<keyof typeof ROLES, string | undefined>
  defaultMode: 'heal' | 'alert'
  extras: Extra[]
  forgedAction: boolean
  healExtras: boolean
  events: Array<Record<string, unknown>>
}

const scenario = fc.record({
  envs: fc.tuple(envSpec('env-a'), envSpec('env-b')).map((pair) => [...pair]),
  roleDrift: fc.oneof(
    { arbitrary: fc.constant([] as string[]), weight: 1 },
    { arbitrary: fc.subarray(Object.values(Sid) as string[]), weight: 2 },
  ),
  trustKept: fc.boolean(),
  staleRestore: fc.boolean(),
  tags: fc.record({
    exec: fc.constantFrom('heal', 'heal', undefined, 'off'),
    console: fc.constantFrom('heal', undefined),
    ci: fc.constantFrom('heal', undefined, 'alert'),
  }),
  defaultMode: fc.constantFrom<'heal' | 'alert'>('heal', 'alert'),
  extras: fc.subarray(EXTRAS),
  forgedAction: fc.boolean(),
  healExtras: fc.boolean(),
  events: fc.array(anyEvent, { minLength: 1, maxLength: 3 }),
}) as fc.Arbitrary<Scenario>

type Written = { roleName: string; write: HealWrite; before: RoleState }

function worldOf(s: Scenario) {
  const wires = s.envs.map(wireOf)
  const environments = wires.map((w) => toMwaaEnvironment(w as never, String(w.Name)))
  const catalogue = baselineCatalogue()
  const reference = deriveBaseline(
    toMwaaEnvironment(
      wireOf({ name: 'env-a', role: 'exec', customerKey: false, status: 'AVAILABLE' }) as never,
      'env-a',
    ),
    { catalogue },
  )
  const roles = new Map<string, RoleState>()
  for (const [key, arn] of Object.entries(ROLES) as Array<[keyof typeof ROLES, string]>) {
    const name = arn.split('/').at(-1)!
    const statements = reference.policy.Statement.filter((st) => !s.roleDrift.includes(st.Sid ?? ''))
    const inline = [{ name: 'execution', document: { Version: '2012-10-17', Statement: statements } as PolicyDocument }]
    if (s.staleRestore)
      inline.push({
        name: RESTORE_POLICY_NAME,
        document: {
          Version: '2012-10-17',
          Statement: [
            { Sid: Sid.dagBucketRead, Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::loot/*'] },
            { Sid: 'Old', Effect: 'Allow', Action: 'iam:*', Resource: '*' },
          ],
        },
      })
    const tag = s.tags[key]
    roles.set(name, {
      arn,
      name,
      trustPolicy: s.trustKept
        ? reference.trustPolicy
        : {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
      inlinePolicies: inline,
      attachedPolicies: [],
      permissionsBoundary: null,
      tags: tag ? { 'mwaa-role-guard:mode': tag } : {},
    })
  }
  const written: Written[] = []
  const logs: unknown[] = []
  const record = (roleName: string, write: HealWrite, change: (r: RoleState) => void) => {
    const role = roles.get(roleName)!
    written.push({ roleName, write, before: structuredClone(role) })
    change(role)
  }
  const iam: IamAdapter = {
    readRole: async (name) => {
      const role = roles.get(name)
      return role ? { kind: 'found', role: structuredClone(role) } : { kind: 'not-found', roleName: name }
    },
    // A snapshot, as GetAccountAuthorizationDetails is (the sweep's bulk read).
    readAccountRoles: async () => {
      const snapshot = new Map([...roles].map(([k, v]) => [k.toLowerCase(), structuredClone(v)]))
      return {
        size: snapshot.size,
        pages: 1,
        role: async (roleName: string) => {
          const found = snapshot.get(roleName.toLowerCase())
          return found ? { kind: 'found' as const, role: found } : { kind: 'not-listed' as const, roleName }
        },
      }
    },
    readManagedPolicy: async () => null,
    rolesForPolicy: async () => [],
    attachRolePolicy: async (roleName, policyArn) =>
      record(roleName, { kind: 'attach-managed-policy', policyArn, restores: [] }, () => {}),
    putRolePolicy: async (roleName, policyName, document) =>
      record(roleName, { kind: 'put-inline-policy', policyName, document, restores: [] }, (r) => {
        r.inlinePolicies = [...r.inlinePolicies.filter((p) => p.name !== policyName), { name: policyName, document }]
      }),
    deleteRolePolicy: async (roleName, policyName) =>
      record(roleName, { kind: 'delete-inline-policy', policyName }, (r) => {
        r.inlinePolicies = r.inlinePolicies.filter((p) => p.name !== policyName)
      }),
    updateAssumeRolePolicy: async (roleName, document) =>
      record(roleName, { kind: 'update-trust-policy', document, adds: [] }, (r) => {
        r.trustPolicy = document
      }),
  }
  const mwaa: MwaaAdapter = {
    forget() {},
    listEnvironments: async (region) => (region === 'us-east-1' ? environments.map((e) => e.Name) : []),
    getEnvironment: async (name, region) => {
      const found = region === 'us-east-1' ? environments.find((e) => e.Name === name) : undefined
      return found ? { kind: 'found', environment: found } : { kind: 'not-found', name, region }
    },
  }
  const config = loadConfig({
    AWS_REGION: 'us-east-1',
    AWS_ACCOUNT_ID: A,
    MWAA_REGIONS: REGIONS.join(','),
    DEFAULT_MODE: s.defaultMode,
    EXTRAS_PARAMETER: s.extras.length > 0 || s.forgedAction ? '/extras' : '',
    HEAL_EXTRAS: String(s.healExtras),
    CONSISTENCY_WAIT_MS: '0',
  })
  const value = config.extrasParameter ? compiled(s.extras, s.forgedAction) : ''
  const deps: Deps = {
    config,
    deployment: async () => ({ partition: 'aws', accountId: A, regions: REGIONS }),
    iam,
    mwaa,
    notify: async (alert) => alert.kind,
    clock: () => new Date(),
    ssm: { getParameter: async () => ({ value, type: 'SecureString' }) },
    sleep: async () => undefined,
    log: { debug() {}, info() {}, warn() {}, error: (m, f) => void logs.push({ m, f }) },
  }
  return { deps, written, environments, roles, logs }
}

/** The oracle's baselines: live, clean (unedited) environments of the role, with the safe extras only. */
function cleanBaselines(s: Scenario, environments: MwaaEnvironment[], role: RoleState): Baseline[] {
  const safe = s.healExtras && !s.forgedAction ? s.extras.filter((e) => e.safe) : []
  const file =
    safe.length > 0
      ? validateExtrasData({ version: 1, environments: { '*': safe.map((e) => e.statement) } }, 'x', partialCatalogue)
      : undefined
  const catalogue = mergeCatalogues(baselineCatalogueData(), {
    actions: partial.actions,
    arnFormats: partial.arnFormats,
  })
  return s.envs.flatMap((spec, i) => {
    const env = environments[i]!
    if (spec.edit || spec.status === 'DELETING' || ROLES[spec.role] !== role.arn) return []
    return [deriveBaseline(env, { catalogue, extras: file ? extrasFor(file, env.Name) : [] })]
  })
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** Every problem with one write, judged against the clean live baselines of its role. */
function problems(w: Written, baselines: Baseline[]): string[] {
  const out: string[] = []
  const catalogue = baselineCatalogue()
  switch (w.write.kind) {
    // Without a state table nothing is remembered: no inline policy can come back as it was.
    case 'restore-inline-policy':
      return [`restored inline policy ${w.write.policyName} with no memory`]
    case 'put-inline-policy':
    case 'delete-inline-policy':
      if (w.write.policyName !== RESTORE_POLICY_NAME) out.push(`writes inline policy ${w.write.policyName}`)
      if (w.write.kind === 'delete-inline-policy') return out
      for (const st of list(w.write.document.Statement)) {
        // Sids are made unique with a number when two environments share the role (CeleryQueue2, KmsViaSqsAndS32).
        const sid =
          Object.values(Sid).find((d) => st.Sid === d || new RegExp(`^${d}\\d+$`).test(st.Sid ?? '')) ?? st.Sid
        for (const action of list(st.Action)) {
          const service = action.split(':')[0]!.toLowerCase()
          if (IDENTITY.has(service)) out.push(`identity-service action ${action}`)
          if (levels.level(action)?.includes('Permissions management')) out.push(`Permissions management ${action}`)
        }
        for (const r of list(st.Resource)) {
          const documented =
            (r === '*' && DOCUMENTED_STAR_SIDS.has(sid ?? '')) ||
            (sid === Sid.celeryQueue && /^arn:aws:sqs:[a-z0-9-]+:\*:airflow-celery-\*$/.test(r))
          const fields = r.split(':')
          if (
            !documented &&
            (r === '*' || fields.slice(1, 5).some((f) => /[*?]/.test(f)) || /^[*?/:]*$/.test(fields.slice(5).join(':')))
          )
            out.push(`wildcard resource ${r} in ${st.Sid}`)
        }
        if (st.NotResource !== undefined && sid !== Sid.kmsAwsOwnedKey) out.push(`NotResource in ${st.Sid}`)
        const within = baselines.some((b) =>
          b.policy.Statement.some(
            (src) =>
              src.Sid !== undefined &&
              (st.Sid === src.Sid || new RegExp(`^${src.Sid}\\d+$`).test(st.Sid ?? '')) &&
              JSON.stringify(src.Condition ?? null) === JSON.stringify(st.Condition ?? null) &&
              JSON.stringify(src.NotResource ?? null) === JSON.stringify(st.NotResource ?? null) &&
              list(st.Resource).every((r) => list(src.Resource).includes(r)) &&
              list(st.Action).every((a) =>
                list(src.Action).some(
                  (p) => p.toLowerCase() === a.toLowerCase() || catalogue.expand(p).includes(a) || globLike(p, a),
                ),
              ),
          ),
        )
        if (!within) out.push(`statement ${st.Sid} is not within a clean live baseline: ${JSON.stringify(st)}`)
      }
      return out
    case 'update-trust-policy': {
      const live = new Set(baselines.map((b) => b.environment.arn))
      const old = list(w.before.trustPolicy.Statement).map((st) => JSON.stringify(st))
      for (const st of list(w.write.document.Statement)) {
        if (old.includes(JSON.stringify(st))) continue
        const arns = Object.values(st.Condition ?? {}).flatMap((b) =>
          Object.entries(b).flatMap(([k, v]) => (k.toLowerCase() === 'aws:sourcearn' ? list(v).map(String) : [])),
        )
        const accounts = Object.values(st.Condition ?? {}).flatMap((b) =>
          Object.entries(b).flatMap(([k, v]) => (k.toLowerCase() === 'aws:sourceaccount' ? list(v).map(String) : [])),
        )
        if (arns.length === 0 || arns.some((a) => !live.has(a)))
          out.push(`trust statement pinned to ${arns.join(', ')}`)
        if (accounts.some((a) => a !== A)) out.push(`trust statement for account ${accounts.join(', ')}`)
      }
      return out
    }
    case 'attach-managed-policy':
      return w.write.policyArn.startsWith(`arn:aws:iam::${A}:policy/`) ? [] : [`attaches ${w.write.policyArn}`]
  }
}

/** An IAM action pattern (extras may write `glue:GetTable*`) matching a concrete action. */
function globLike(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  )
  return re.test(action)
}

describe('issue 6 property: whatever the events, environment data and extras, writes stay within the live baseline', () => {
  it('every document written is within the baseline of the live, clean environments; no wildcard beyond the documented ones; no identity or Permissions management action', async () => {
    const kinds: Record<string, number> = {}
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const world = worldOf(s)
        const logs = world.logs
        for (const e of s.events) {
          const event = cloudTrailEvent({
            account: String(e.account),
            service: e.service as 'iam' | 'mwaa',
            eventName: String(e.eventName),
            requestParameters: e.requestParameters as Record<string, unknown>,
            caller: { kind: 'user', arn: `arn:aws:iam::${String(e.account)}:user/someone` },
          })
          ;(event.detail as Record<string, unknown>).awsRegion = e.region
          await handleEvent(event, world.deps)
        }
        const swept = await sweep(world.deps)
        // A heal that fails is not a violation of the property, but a plan that cannot converge is a bug.
        expect(
          swept.roles.filter((r) => r.result === 'failed').map((r) => `${r.error} ${JSON.stringify(logs)}`),
        ).toEqual([])
        for (const w of world.written) {
          kinds[w.write.kind] = (kinds[w.write.kind] ?? 0) + 1
          const baselines = cleanBaselines(s, world.environments, world.roles.get(w.roleName)!)
          expect(problems(w, baselines), JSON.stringify({ write: w.write.kind, role: w.roleName })).toEqual([])
        }
      }),
      { numRuns: 400 },
    )
    // The property must have judged real writes of every kind a heal makes here, or it proves nothing.
    expect(kinds['put-inline-policy']).toBeGreaterThan(100)
    expect(kinds['update-trust-policy']).toBeGreaterThan(30)
    expect(kinds['delete-inline-policy']).toBeGreaterThan(0)
  }, 120_000)
})
