/**
 * `npm run bench [-- --json] [-- --sample NAME]`: speed of the evaluator and of a full role check, on the doc's sample
 * execution-role policy for a corpus environment (https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html).
 *  (a) evaluateRequest per second, cycling through the environment's required checks (allowed) and near misses
 *      (implicitly denied: another bucket, account or Region; explicitly denied: the doc's s3:ListAllMyBuckets Deny);
 *  (b) milliseconds per role check, median and p95: compileRole + findDrift of the doc's policy and trust policy
 *      against the environment's baseline;
 *  (c) evaluateAccess per second, the same requests by the execution role's session with every policy type present: the
 *      doc's policy, a bucket policy (S3 requests), a VPC endpoint policy, two SCP levels and an RCP level.
 *  (d) start-up of the built CLI (dist/, `npm run bench` builds it first): milliseconds from spawning Node to the first
 *      output of `mwaa-role-guard --help` and of `baseline --environment-file` on the sample, median and p95 of 20.
 * Targets (2-core CI machine): >= 200,000 evaluations/s, <= 0.5 ms median per role check, <= 120 ms start-up (median).
 * Not a test: nothing asserts.
 */
import { parseArgs } from 'node:util'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { deriveBaseline } from '../lib/baseline/derive-baseline'
import { baselineCatalogue } from '../lib/catalogue/baseline-catalogue'
import { findDrift } from '../lib/drift/find-drift'
import { compileRole } from '../lib/drift/role-policies'
import type { RoleState } from '../lib/drift/types'
import {
  type Caller,
  compilePolicy,
  evaluateAccess,
  evaluateRequest,
  type EvaluationRequest,
  type PolicySet,
  parseCaller,
} from '../lib/iam'
import { sample, SAMPLES, type Sample } from '../test/baseline/corpus'
import { docSamplePolicy, DOC_TRUST_POLICY } from '../test/drift/doc-sample'
import { measureStartup } from './startup'

const { values: flags } = parseArgs({
  options: { json: { type: 'boolean' }, sample: { type: 'string' }, runs: { type: 'string' } },
})
const name = (flags.sample ?? 'custodian-1') as Sample
if (!SAMPLES.includes(name)) {
  console.error(`bench: --sample must be one of ${SAMPLES.join(', ')}`)
  process.exit(2)
}
const RUNS = Number(flags.runs ?? 2000)

const env = sample(name)
const baseline = deriveBaseline(env, { catalogue: baselineCatalogue() })
const policy = docSamplePolicy(baseline.environment, env.SourceBucketArn)
const role: RoleState = {
  arn: env.ExecutionRoleArn,
  name: env.ExecutionRoleArn.split('/').pop()!,
  trustPolicy: DOC_TRUST_POLICY,
  inlinePolicies: [{ name: 'execution', document: policy }],
  attachedPolicies: [],
  permissionsBoundary: null,
  tags: {},
}

// ---- (a) evaluations per second -------------------------------------------------------------------------------------
const near = (r: string) =>
  r === '*'
    ? r
    : r
        .replace('arn:aws:s3:::', 'arn:aws:s3:::other-')
        .replace(`:${baseline.environment.accountId}:`, ':111122223333:')
        .replace(`:${baseline.environment.region}:`, ':eu-west-1:')
const requests: EvaluationRequest[] = baseline.checks.flatMap((c) => [
  { action: c.action, resource: c.resource, context: c.context },
  { action: c.action, resource: near(c.resource), context: c.context },
])
requests.push({ action: 's3:ListAllMyBuckets', resource: env.SourceBucketArn })
const identity = { identity: [compilePolicy(policy, 'inline:execution', 'identity')] }
const mix = { allowed: 0, implicitDeny: 0, explicitDeny: 0 }
for (const r of requests) mix[evaluateRequest(identity, r).decision]++

function evaluationsPerSecond(n: number): number {
  let sink = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink += evaluateRequest(identity, requests[i % requests.length]!).statements.length
  const ns = Number(process.hrtime.bigint() - start)
  if (sink < 0) console.log(sink) // keeps the loop observable
  return (n / ns) * 1e9
}
evaluationsPerSecond(300_000) // warm-up: let the JIT settle
const rates = Array.from({ length: 5 }, () => evaluationsPerSecond(1_000_000)).sort((x, y) => x - y)
const rate = rates[2]!

// ---- (b) one role check ---------------------------------------------------------------------------------------------
let findings = 0
const checkOnce = (): number => {
  const start = process.hrtime.bigint()
  const report = findDrift(role, [baseline], compileRole(role))
  const ns = Number(process.hrtime.bigint() - start)
  findings += report.findings.length
  return ns / 1e6
}
for (let i = 0; i < 300; i++) checkOnce() // warm-up
const times = Array.from({ length: RUNS }, checkOnce).sort((x, y) => x - y)
const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!
const evaluatedPerCheck = baseline.checks.length + baseline.trustChecks.length

// ---- (c) the full evaluator, every policy type ------------------------------------------------------------------------
const doc = (name: string, kind: Parameters<typeof compilePolicy>[2], ...Statement: object[]) =>
  compilePolicy({ Version: '2012-10-17', Statement }, name, kind)
const ALL = { Effect: 'Allow', Action: '*', Resource: '*' }
const bucketPolicy = doc('bucket', 'resource', {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [env.SourceBucketArn, `${env.SourceBucketArn}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
})
const common: PolicySet = {
  identity: identity.identity,
  endpoints: [doc('endpoint', 'endpoint', { ...ALL, Principal: '*' })],
  scps: [
    [doc('FullAWSAccess', 'scp', ALL)],
    [
      doc('FullAWSAccess', 'scp', ALL),
      doc('regions', 'scp', {
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': [baseline.environment.region, 'us-east-1'] } },
      }),
    ],
  ],
  rcps: [
    [
      doc('RCPFullAWSAccess', 'rcp', { ...ALL, Principal: '*' }),
      doc('perimeter', 'rcp', {
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*', 'sqs:*', 'kms:*', 'logs:*'],
        Resource: '*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-exampleorg' },
          BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    ],
  ],
}
const withBucket: PolicySet = { ...common, resource: bucketPolicy }
const caller = parseCaller(env.ExecutionRoleArn) as Caller
const accessRequests = requests.map((r) => ({
  set: r.action.startsWith('s3:') ? withBucket : common,
  request: {
    ...r,
    caller,
    context: {
      ...r.context,
      'aws:SecureTransport': 'true',
      'aws:RequestedRegion': baseline.environment.region,
      'aws:PrincipalOrgID': 'o-exampleorg',
    },
  },
}))
const accessMix = { allowed: 0, implicitDeny: 0, explicitDeny: 0 }
for (const a of accessRequests) accessMix[evaluateAccess(a.set, a.request).decision]++

function accessPerSecond(n: number): number {
  let sink = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) {
    const a = accessRequests[i % accessRequests.length]!
    sink += evaluateAccess(a.set, a.request).statements.length
  }
  const ns = Number(process.hrtime.bigint() - start)
  if (sink < 0) console.log(sink)
  return (n / ns) * 1e9
}
accessPerSecond(100_000)
const accessRates = Array.from({ length: 5 }, () => accessPerSecond(300_000)).sort((x, y) => x - y)
const accessRate = accessRates[2]!

// ---- (d) start-up of the built CLI ----------------------------------------------------------------------------------
const STARTUP_TARGET_MS = 120
const sampleFile = join(import.meta.dirname, '..', 'test', 'baseline', 'fixtures', `mwaa-GetEnvironment-${name}.json`)
const startup = [
  await measureStartup(['--help'], 20),
  await measureStartup(['baseline', '--environment-file', sampleFile], 20),
].map((s) => ({ ...s, targetMs: STARTUP_TARGET_MS, meetsTarget: s.medianMs <= STARTUP_TARGET_MS }))

const result = {
  sample: name,
  environment: baseline.environment.name,
  key: baseline.environment.kmsKey ? 'customer managed key' : 'AWS owned key',
  node: process.version,
  cpus: cpus().length,
  evaluate: {
    evaluationsPerSecond: Math.round(rate),
    runs: rates.map(Math.round),
    requests: requests.length,
    mix,
    target: 200_000,
    meetsTarget: rate >= 200_000,
  },
  evaluateAccess: {
    evaluationsPerSecond: Math.round(accessRate),
    runs: accessRates.map(Math.round),
    mix: accessMix,
  },
  roleCheck: {
    runs: RUNS,
    checksPerRun: evaluatedPerCheck,
    findingsPerRun: findings / (RUNS + 300),
    medianMs: Number(pct(50).toFixed(4)),
    p95Ms: Number(pct(95).toFixed(4)),
    maxMs: Number(times[times.length - 1]!.toFixed(4)),
    targetMedianMs: 0.5,
    meetsTarget: pct(50) <= 0.5,
  },
  startup,
}

if (flags.json) {
  console.log(JSON.stringify(result, null, 2))
} else {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED')
  const rows: Array<[string, string, string, string]> = [
    ['measure', 'result', 'target', ''],
    [
      'evaluateRequest',
      `${result.evaluate.evaluationsPerSecond.toLocaleString('en-US')} /s`,
      '>= 200,000 /s',
      ok(result.evaluate.meetsTarget),
    ],
    ['evaluateAccess, every type', `${result.evaluateAccess.evaluationsPerSecond.toLocaleString('en-US')} /s`, '', ''],
    ['role check, median', `${result.roleCheck.medianMs.toFixed(3)} ms`, '<= 0.5 ms', ok(result.roleCheck.meetsTarget)],
    ['role check, p95', `${result.roleCheck.p95Ms.toFixed(3)} ms`, '', ''],
    ...startup.map((s): [string, string, string, string] => [
      `start-up, ${s.command.split(' ').slice(1, 2).join(' ')}`,
      `${s.medianMs.toFixed(1)} ms (p95 ${s.p95Ms.toFixed(1)})`,
      `<= ${STARTUP_TARGET_MS} ms`,
      ok(s.meetsTarget),
    ]),
  ]
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)))
  console.log(
    `mwaa-role-guard bench — ${name} (${result.environment}, ${result.key}), Node ${process.version}, ${result.cpus} CPUs`,
  )
  console.log(
    `(a) ${requests.length} requests cycled: ${mix.allowed} allowed, ${mix.implicitDeny} implicitly denied, ${mix.explicitDeny} explicitly denied; median of 5 x 1,000,000`,
  )
  console.log(
    `(c) evaluateAccess, same requests by the role's session, with a bucket policy (S3), an endpoint policy, 2 SCP levels, 1 RCP level: ${accessMix.allowed} allowed, ${accessMix.implicitDeny} implicitly denied, ${accessMix.explicitDeny} explicitly denied; median of 5 x 300,000`,
  )
  console.log(
    `(b) compileRole + findDrift of the doc's policy and trust policy: ${evaluatedPerCheck} checks, ${result.roleCheck.findingsPerRun} findings, ${RUNS} runs`,
  )
  for (const r of rows)
    console.log(`  ${r[0].padEnd(width[0]!)}  ${r[1].padStart(width[1]!)}  ${r[2].padEnd(width[2]!)}  ${r[3]}`)
}
