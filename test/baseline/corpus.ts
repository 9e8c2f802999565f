/** The real GetEnvironment samples (sources and licences in ./fixtures/SOURCES.md). */
import { readFileSync } from 'node:fs'
import { parseEnvironment } from '../../lib/baseline/parse-environment'
import type { MwaaEnvironment } from '../../lib/baseline/types'

export const SAMPLES = [
  'custodian-1',
  'custodian-2',
  'custodian-3',
  'custodian-4',
  'custodian-5',
  'custodian-6',
  'mwaaDR-1',
] as const
export type Sample = (typeof SAMPLES)[number]

/** The raw JSON of a sample, as recorded. */
export function rawSample(name: Sample): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/mwaa-GetEnvironment-${name}.json`, import.meta.url), 'utf8'))
}

/** A parsed sample. */
export function sample(name: Sample): MwaaEnvironment {
  return parseEnvironment(rawSample(name), `mwaa-GetEnvironment-${name}.json`)
}

export const DOC = {
  role: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html',
  deputy: 'https://docs.aws.amazon.com/mwaa/latest/userguide/cross-service-confused-deputy-prevention.html',
  getEnvironment: 'https://docs.aws.amazon.com/mwaa/latest/API/API_GetEnvironment.html',
  cmk: 'https://docs.aws.amazon.com/mwaa/latest/userguide/custom-keys-certs.html',
  logs: 'https://docs.aws.amazon.com/mwaa/latest/userguide/monitoring-airflow.html',
  s3: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
  logsRef: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html',
  conditions:
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html',
} as const
