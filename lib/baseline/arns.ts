/**
 * ARN shapes the baseline reads. ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 * Partitions are matched generally (aws, aws-cn, aws-us-gov, ...); account ids are 12 digits.
 */
const P = 'aws[a-z-]*'
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+'
const ACCOUNT = '\\d{12}'

export const ArnPattern = {
  /** MWAA names: a letter, then letters, digits, `-` and `_` (https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html) */
  environment: new RegExp(`^arn:(${P}):airflow:(${REGION}):(${ACCOUNT}):environment/([A-Za-z][0-9A-Za-z_-]*)$`),
  role: new RegExp(`^arn:${P}:iam::${ACCOUNT}:role/[\\w+=,.@/-]+$`),
  bucket: new RegExp(`^arn:${P}:s3:::[^/*?:\\s]+$`),
  kmsKey: new RegExp(`^arn:${P}:kms:${REGION}:${ACCOUNT}:key/[\\w-]+$`),
  kmsAlias: new RegExp(`^arn:${P}:kms:${REGION}:${ACCOUNT}:alias/[\\w/-]+$`),
  queue: new RegExp(`^arn:${P}:sqs:${REGION}:(${ACCOUNT}):[\\w-]+$`),
  logGroup: new RegExp(`^arn:${P}:logs:${REGION}:${ACCOUNT}:log-group:[\\w./#-]+(?::\\*)?$`),
} as const

/** The sixth field on of an ARN (`arn:aws:sqs:us-east-1:123456789012:NAME` -> `NAME`). */
export function arnResource(arn: string): string {
  return arn.split(':').slice(5).join(':')
}

/** The account field of an ARN. */
export function arnAccount(arn: string): string {
  return arn.split(':')[4] ?? ''
}
