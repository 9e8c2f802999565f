/**
 * What an MWAA environment needs from its execution role: the doc's policy filled for this environment, its trust
 * policy, and the concrete checks a drift evaluation runs. Pure and synchronous.
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html
 */
import type { Catalogue } from '../catalogue/types'
import { docLogGroupPattern, docPolicyStatements, docTrustPolicy } from './doc-policy'
import type { ExtraStatement } from './extras-file'
import { extrasChecks } from './extras-checks'
import {
  cloudWatchMetricsChecks,
  dagBucketChecks,
  kmsChecks,
  logGroupArns,
  logsChecks,
  publishMetricsChecks,
  queueChecks,
  type FeatureInput,
} from './feature-checks'
import { environmentRef } from './parse-environment'
import { trustChecks } from './trust-checks'
import type { Baseline, MwaaEnvironment, RequiredCheck } from './types'
import { environmentWarnings } from './warnings'

export type DeriveOptions = { catalogue: Catalogue; extras?: readonly ExtraStatement[] }

/** The baseline for one environment (plus its extras); checks are unique by id, baseline before extras. */
export function deriveBaseline(env: MwaaEnvironment, opts: DeriveOptions): Baseline {
  const ref = environmentRef(env)
  const input: FeatureInput = { env, ref, catalogue: opts.catalogue }
  const docPrefix = docLogGroupPattern(ref).slice(0, -1)
  const extraLogGroups = logGroupArns(input)
    .map((g) => g.arn)
    .filter((arn) => !arn.startsWith(docPrefix))
  const extras = extrasChecks(opts.extras ?? [], ref, opts.catalogue)

  const seen = new Set<string>()
  const checks = [
    ...publishMetricsChecks(input),
    ...dagBucketChecks(input),
    ...logsChecks(input),
    ...cloudWatchMetricsChecks(),
    ...queueChecks(input),
    ...kmsChecks(input),
    ...extras.checks,
  ].filter((c: RequiredCheck) => !seen.has(c.id) && seen.add(c.id))

  return {
    environment: ref,
    policy: {
      Version: '2012-10-17',
      Statement: [
        ...docPolicyStatements({ ref, bucketArn: env.SourceBucketArn, extraLogGroups }),
        ...extras.statements,
      ],
    },
    trustPolicy: docTrustPolicy(),
    checks,
    trustChecks: trustChecks(ref),
    warnings: [...environmentWarnings(env), ...extras.warnings],
  }
}
