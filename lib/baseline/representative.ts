/**
 * Representative resources for things GetEnvironment does not name. A check needs one concrete resource; it stands
 * for every resource of its kind, so a policy passes only if it grants the kind, not one lucky name.
 */
import { arnAccount } from './arns'
import type { EnvironmentRef, MwaaEnvironment } from './types'

/**
 * The Celery queue and the AWS owned key live in an account Amazon MWAA owns, which older GetEnvironment responses
 * do not reveal (the doc's policy writes `*` for it: `arn:aws:sqs:{region}:*:airflow-celery-*`). The stand-in must not
 * be the customer's account: a role that pins these resources to its own account breaks MWAA, and the check must
 * say so. 000000000000 is never a real account.
 */
export const MWAA_ACCOUNT_STAND_IN = '000000000000'
const FALLBACK_STAND_IN = '999999999999'

/** Celery queue names are `airflow-celery-` plus an id (https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html). */
export const REPRESENTATIVE_QUEUE_NAME = 'airflow-celery-00000000-0000-0000-0000-000000000000'
export const REPRESENTATIVE_KEY_ID = '00000000-0000-0000-0000-000000000000'

/** The account holding MWAA's queue and AWS owned key: the queue's, when GetEnvironment names it. */
export function mwaaOwnedAccount(env: MwaaEnvironment, ref: EnvironmentRef): string {
  if (env.CeleryExecutorQueue) return arnAccount(env.CeleryExecutorQueue)
  return ref.accountId === MWAA_ACCOUNT_STAND_IN ? FALLBACK_STAND_IN : MWAA_ACCOUNT_STAND_IN
}

/** `sqs.us-east-1.amazonaws.com`: the kms:ViaService value of a service in the environment's Region. */
export function viaService(service: 'sqs' | 's3', region: string): string {
  return `${service}.${region}.amazonaws.com`
}
