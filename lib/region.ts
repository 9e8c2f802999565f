/**
 * The one place that decides which AWS Region to use when none is given, for the Lambda, the adapters and the CLI.
 * AWS_REGION first (the SDKs' variable, set by Lambda: https://docs.aws.amazon.com/sdkref/latest/guide/feature-region.html),
 * then AWS_DEFAULT_REGION (the AWS CLI's; AWS_REGION wins over it:
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html), then us-east-1, where IAM's events are.
 */

export const FALLBACK_REGION = 'us-east-1'

/** The Region an environment map names (AWS_REGION, then AWS_DEFAULT_REGION), else us-east-1; blank values are unset. */
export function regionFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  return nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? FALLBACK_REGION
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}
