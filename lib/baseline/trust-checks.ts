/**
 * The execution role's trust policy must let both MWAA service principals assume it. The context carries the
 * confused-deputy keys MWAA sends, so a trust policy that pins aws:SourceAccount / aws:SourceArn to this environment
 * (as https://docs.aws.amazon.com/mwaa/latest/userguide/cross-service-confused-deputy-prevention.html recommends)
 * still passes. Principals: https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html
 */
import type { EnvironmentRef, TrustCheck } from './types'

export const MWAA_SERVICE_PRINCIPALS = ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] as const

/** One sts:AssumeRole check per MWAA service principal. */
export function trustChecks(ref: EnvironmentRef): TrustCheck[] {
  return MWAA_SERVICE_PRINCIPALS.map((principal) => ({
    id: `sts:AssumeRole ${principal}`,
    principal,
    action: 'sts:AssumeRole',
    context: { 'aws:SourceAccount': ref.accountId, 'aws:SourceArn': ref.arn },
  }))
}
