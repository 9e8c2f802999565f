/** `baseline --environment-file ENV.json`: the policy and trust policy the environment needs, ready to paste. */
import { UsageError, parseFlags, required } from './args'
import { loadBaseline } from './load-environment'
import type { Io } from './io'

/** The CLI command. */
export async function baselineCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, {
    'environment-file': { type: 'string' },
    extras: { type: 'string' },
    part: { type: 'string' },
    checks: { type: 'boolean' },
    json: { type: 'boolean' },
  })
  const part = flags.part
  if (part !== undefined && part !== 'policy' && part !== 'trust')
    throw new UsageError('--part must be "policy" or "trust"')
  const { baseline } = await loadBaseline(required(flags['environment-file'], 'environment-file'), flags.extras)
  const env = baseline.environment
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          environment: env,
          policy: baseline.policy,
          trustPolicy: baseline.trustPolicy,
          checks: baseline.checks,
          trustChecks: baseline.trustChecks,
          warnings: baseline.warnings,
        },
        null,
        2,
      ),
    )
    return 0
  }
  if (part === 'policy' || part === 'trust') {
    io.out(JSON.stringify(part === 'policy' ? baseline.policy : baseline.trustPolicy, null, 2))
    return 0
  }
  if (flags.checks) {
    io.out(`# ${baseline.checks.length + baseline.trustChecks.length} checks for environment ${env.name}`)
    for (const c of baseline.checks)
      io.out(`${c.feature}\t${c.statement}\t${c.action}\t${c.resource}${contextText(c.context)}`)
    for (const t of baseline.trustChecks)
      io.out(`trust\tTrustPolicy\t${t.action}\tprincipal ${t.principal}${contextText(t.context)}`)
    return 0
  }
  const key = env.kmsKey ? `customer managed key ${env.kmsKey}` : 'AWS owned key'
  io.out(`# Execution role policy for MWAA environment ${env.name} (${env.region}, ${key})`)
  io.out(`# Role: ${env.executionRoleArn}   (--part policy prints this document alone)`)
  io.out("# (The doc sample's Deny of s3:ListAllMyBuckets on the bucket is left out: that action has no resource-level")
  io.out('#  permissions, so a Deny scoped to the bucket never applies. Every statement below is required.)')
  io.out(JSON.stringify(baseline.policy, null, 2))
  io.out('')
  io.out('# Trust policy (assume role policy document)   (--part trust prints this document alone)')
  io.out(JSON.stringify(baseline.trustPolicy, null, 2))
  for (const w of baseline.warnings) io.err(`warning: ${w}`)
  return 0
}

function contextText(context: Record<string, string | string[]>): string {
  const entries = Object.entries(context)
  return entries.length === 0
    ? ''
    : `\t${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(' ')}`
}
