/**
 * Environment variables, parsed once and validated: the Lambda and the CLI's `handle` / live `check` read the same
 * ones. A bad value is a one-line InputError naming the variable.
 */
import * as z from 'zod'
import { DEFAULT_MEMORY_SETTINGS, type MemorySettings } from './incidents/settings'
import { parseWith } from './input-error'
import { regionFromEnv } from './region'

export const Mode = { heal: 'heal', alert: 'alert', off: 'off' } as const
export type Mode = (typeof Mode)[keyof typeof Mode]
const modes = z.enum([Mode.heal, Mode.alert, Mode.off])

export const DEFAULT_MODE_TAG_KEY = 'mwaa-role-guard:mode'

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
)

const flag = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true')

/** The console's execution role names (https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html). */
export const DEFAULT_HEAL_ROLE_PATTERN = 'role/service-role/AmazonMWAA-*'

/**
 * Environments whose documents beyond the role one sweep reads: every environment of a typical account each sweep,
 * and a bounded cost (up to five calls each) where there are hundreds (lib/reconcile/sweep-documents.ts).
 */
export const DEFAULT_SWEEP_DOCUMENT_ENVIRONMENTS = 25

/** The reconcile queue's maxReceiveCount in serverless.yml. */
export const DEFAULT_RECONCILE_MAX_RECEIVES = 10

const schema = z.object({
  AWS_REGION: z.string().min(1).optional(),
  /** the deployment's account (the stack sets it to AWS::AccountId); unset: STS GetCallerIdentity */
  AWS_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
    .optional(),
  ALERT_TOPIC_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'expected an SNS topic ARN')
    .optional(),
  DEFAULT_MODE: modes.default(Mode.alert),
  // Tag keys: up to 128 characters of letters, digits, spaces and _.:/=+-@ (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html)
  MODE_TAG_KEY: z
    .string()
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, 'expected an IAM tag key')
    .default(DEFAULT_MODE_TAG_KEY),
  MWAA_REGIONS: list
    .pipe(z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected region names like us-east-1')))
    .optional(),
  SLACK_WEBHOOK_PARAMETER: z.string().min(1).optional(),
  // A name, not an ARN: letters, digits, _.- and / (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html)
  EXTRAS_PARAMETER: z
    .string()
    .regex(/^[a-zA-Z0-9_.\-/]{1,2048}$/, 'expected an SSM parameter name (letters, digits, _.-/), not an ARN')
    .optional(),
  /** SHA-256 (hex) of the extras parameter's value: pins a String parameter (a SecureString needs no pin) */
  EXTRAS_PARAMETER_SHA256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected the SHA-256 of the parameter value, 64 hex digits')
    .transform((v) => v.toLowerCase())
    .optional(),
  /** whether a heal may write extras statements at all (default false: extras are checked and alerted) */
  HEAL_EXTRAS: flag.default(false),
  // Organizations' SCPs and RCPs are readable only from the management or a delegated administrator account.
  READ_ORGANIZATION_POLICIES: flag.default(false),
  /**
   * under DEFAULT_MODE=heal, the untagged roles that are healed: an IAM resource pattern after `:role/`'s account
   * (the stack's IAM policy uses the same one as the write statement's Resource)
   */
  HEAL_ROLE_PATTERN: z
    .string()
    .regex(
      /^role\/[\w+=,.@/*-]{1,512}$/,
      'expected role/PATH/NAME, with * wildcards, e.g. role/service-role/AmazonMWAA-*',
    )
    .default(DEFAULT_HEAL_ROLE_PATTERN),
  /** the remediator's own role(s): events it caused are skipped */
  REMEDIATOR_ROLE_ARN: list.optional(),
  /** how long to wait for IAM's eventual consistency before giving up on a read (milliseconds) */
  CONSISTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(4_000),
  // DynamoDB table names: 3-255 of letters, digits, _ . - (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html)
  STATE_TABLE: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'expected a DynamoDB table name')
    .optional(),
  RECONCILE_QUEUE_URL: z.url({ protocol: /^https?$/, error: 'expected an SQS queue URL' }).optional(),
  // SQS DelaySeconds: 0 to 900 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html)
  /** environments whose documents beyond the role one sweep reads (a rotating slice; 0: none, events only) */
  SWEEP_DOCUMENT_ENVIRONMENTS: z.coerce.number().int().min(0).max(100_000).default(DEFAULT_SWEEP_DOCUMENT_ENVIRONMENTS),
  SETTLE_SECONDS: z.coerce.number().int().min(0).max(900).default(30),
  /**
   * the reconcile queue's maxReceiveCount (the stack sets both from one value): on that receive a role that still
   * fails is reported instead of going to the dead-letter queue. RedrivePolicy allows 1 to 1,000
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html).
   */
  RECONCILE_MAX_RECEIVES: z.coerce.number().int().min(1).max(1000).default(DEFAULT_RECONCILE_MAX_RECEIVES),
  REMIND_AFTER_HOURS: z.coerce
    .number()
    .positive()
    .max(720)
    .default(DEFAULT_MEMORY_SETTINGS.remindAfterMs / 3_600_000),
  HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_MEMORY_SETTINGS.historyDays),
  MAX_HEALS: z.coerce.number().int().min(1).max(20).default(DEFAULT_MEMORY_SETTINGS.maxHeals),
  FIGHT_WINDOW_MINUTES: z.coerce
    .number()
    .positive()
    .max(1440)
    .default(DEFAULT_MEMORY_SETTINGS.fightWindowMs / 60_000),
})

export type Config = {
  region: string
  /** AWS_ACCOUNT_ID; undefined: the shell asks STS */
  accountId?: string
  alertTopicArn?: string
  defaultMode: Mode
  modeTagKey: string
  mwaaRegions: string[]
  slackWebhookParameter?: string
  /** SSM parameter holding compiled extras (`mwaa-role-guard extras`) */
  extrasParameter?: string
  /** SHA-256 (lower-case hex) a String extras parameter must have */
  extrasSha256?: string
  healExtras: boolean
  /** READ_ORGANIZATION_POLICIES: also check the SCPs and RCPs that apply to the account (Organizations reads) */
  readOrganizationPolicies: boolean
  /** `role/...` pattern: untagged roles a DEFAULT_MODE=heal deployment heals */
  healRolePattern: string
  ownRoleArns: string[]
  consistencyWaitMs: number
  /** the state table (memory); without it, every decision is made as if it were the first */
  stateTable?: string
  /** the FIFO queue the ingest function sends one message per role to */
  reconcileQueueUrl?: string
  /** how long a role must be quiet before it is reconciled (the queue's delay; 0: at once) */
  settleSeconds: number
  /** the reconcile queue's maxReceiveCount: the receive on which a role that still fails is reported */
  reconcileMaxReceives: number
  /** how many environments' documents (bucket, key, endpoint policies, SCPs, RCPs) one sweep reads */
  sweepDocumentEnvironments: number
  memory: MemorySettings
}

/** Parses the process environment (or any map) into a Config; throws InputError naming the variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // Empty strings mean "not set" (serverless.yml passes '' for an unset parameter).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = parseWith(schema, present, 'environment')
  const region = regionFromEnv(present)
  return {
    region,
    accountId: parsed.AWS_ACCOUNT_ID,
    alertTopicArn: parsed.ALERT_TOPIC_ARN,
    defaultMode: parsed.DEFAULT_MODE,
    modeTagKey: parsed.MODE_TAG_KEY,
    mwaaRegions: parsed.MWAA_REGIONS?.length ? parsed.MWAA_REGIONS : [region],
    slackWebhookParameter: parsed.SLACK_WEBHOOK_PARAMETER,
    extrasParameter: parsed.EXTRAS_PARAMETER,
    extrasSha256: parsed.EXTRAS_PARAMETER_SHA256,
    healExtras: parsed.HEAL_EXTRAS,
    readOrganizationPolicies: parsed.READ_ORGANIZATION_POLICIES,
    healRolePattern: parsed.HEAL_ROLE_PATTERN,
    ownRoleArns: parsed.REMEDIATOR_ROLE_ARN ?? [],
    consistencyWaitMs: parsed.CONSISTENCY_WAIT_MS,
    stateTable: parsed.STATE_TABLE,
    reconcileQueueUrl: parsed.RECONCILE_QUEUE_URL,
    settleSeconds: parsed.SETTLE_SECONDS,
    reconcileMaxReceives: parsed.RECONCILE_MAX_RECEIVES,
    sweepDocumentEnvironments: parsed.SWEEP_DOCUMENT_ENVIRONMENTS,
    memory: {
      ...DEFAULT_MEMORY_SETTINGS,
      remindAfterMs: Math.round(parsed.REMIND_AFTER_HOURS * 3_600_000),
      historyDays: parsed.HISTORY_DAYS,
      maxHeals: parsed.MAX_HEALS,
      fightWindowMs: Math.round(parsed.FIGHT_WINDOW_MINUTES * 60_000),
    },
  }
}

/**
 * The mode of a role: its `MODE_TAG_KEY` tag, else the deployment default. Tag keys compare case-insensitively
 * (IAM keeps one tag per key regardless of case); the value must be exactly heal/alert/off, as the remediator's own
 * IAM policy conditions on `aws:ResourceTag/<key>` with StringEquals "heal" (case-sensitive). Under DEFAULT_MODE=heal
 * an untagged role is healed only when its ARN matches HEAL_ROLE_PATTERN, the Resource of the stack's write statement
 * for untagged roles: any other untagged role is in alert mode (IAM would refuse the write anyway), with a note.
 */
export function modeOf(
  role: { arn: string; tags: Readonly<Record<string, string>> },
  config: Pick<Config, 'modeTagKey' | 'defaultMode' | 'healRolePattern'>,
): { mode: Mode; warning?: string; note?: string } {
  const { tags } = role
  const key = Object.keys(tags).find((k) => k.toLowerCase() === config.modeTagKey.toLowerCase())
  const value = key === undefined ? undefined : (tags[key] ?? '')
  const parsed = modes.safeParse(value)
  if (parsed.success) return { mode: parsed.data }
  const warning =
    key === undefined
      ? undefined
      : `tag ${key}=${value} is not one of heal, alert, off; using the default mode ${config.defaultMode}`
  if (config.defaultMode === Mode.heal && !matchesRolePattern(role.arn, config.healRolePattern)) {
    const note =
      `the role is untagged and outside HEAL_ROLE_PATTERN (${config.healRolePattern}): alert mode; ` +
      `tag it ${config.modeTagKey}=heal to heal it`
    return { mode: Mode.alert, note, ...(warning ? { warning } : {}) }
  }
  return { mode: config.defaultMode, ...(warning ? { warning } : {}) }
}

/**
 * Whether a role ARN's resource part (`role/PATH/NAME`) matches an IAM resource pattern: `*` any run of characters,
 * `?` one, both across `/`, case-sensitive, as IAM matches the write statement's Resource
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
function matchesRolePattern(roleArn: string, pattern: string): boolean {
  const resource = roleArn.split(':').slice(5).join(':')
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`, 's').test(resource)
}
