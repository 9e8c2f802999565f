/** Things about an environment a user should know when reading its drift report. */
import { ArnPattern } from './arns'
import { LOG_TYPES } from './doc-actions'
import type { MwaaEnvironment } from './types'

/** Environment statuses: https://docs.aws.amazon.com/mwaa/latest/API/API_Environment.html */
const GONE = new Set(['DELETING', 'DELETED'])

export function environmentWarnings(env: MwaaEnvironment): string[] {
  const warnings: string[] = []
  if (env.Status && GONE.has(env.Status)) {
    warnings.push(`environment status is ${env.Status}: the role may no longer need these permissions`)
  } else if (env.Status && env.Status !== 'AVAILABLE') {
    warnings.push(`environment status is ${env.Status}, not AVAILABLE: a finding may come from the change in progress`)
  }
  const disabled = LOG_TYPES.filter(([field]) => env.LoggingConfiguration?.[field]?.Enabled === false).map(
    ([field]) => field,
  )
  if (disabled.length > 0) {
    warnings.push(
      `${disabled.join(', ')} ${disabled.length === 1 ? 'is' : 'are'} disabled: their log groups are still checked, ` +
        'because the documented policy grants them and enabling logging later needs them',
    )
  }
  if (env.KmsKey && ArnPattern.kmsAlias.test(env.KmsKey)) {
    warnings.push(
      'KmsKey is an alias ARN: IAM authorizes KMS requests on the key ARN, so use the key ARN in the role policy',
    )
  }
  return warnings
}
