/**
 * Environment variables, parsed once and validated: the Lambda and the CLI's `handle` / live `check` read the same
 * ones. A bad value is a one-line InputError naming the variable.
 */
import * as z from 'zod'
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

const schema = z.object({
  AWS_REGION: z.string().min(1).optional(),
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
  /** the remediator's own role(s): events it caused are skipped */
  REMEDIATOR_ROLE_ARN: list.optional(),
  /** how long to wait for IAM's eventual consistency before giving up on a read (milliseconds) */
  CONSISTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(4_000),
})

export type Config = {
  region: string
  alertTopicArn?: string
  defaultMode: Mode
  modeTagKey: string
  mwaaRegions: string[]
  slackWebhookParameter?: string
  /** SSM parameter holding compiled extras (`mwaa-role-guard extras`) */
  extrasParameter?: string
  ownRoleArns: string[]
  consistencyWaitMs: number
}

/** Parses the process environment (or any map) into a Config; throws InputError naming the variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // Empty strings mean "not set" (serverless.yml passes '' for an unset parameter).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = parseWith(schema, present, 'environment')
  const region = regionFromEnv(present)
  return {
    region,
    alertTopicArn: parsed.ALERT_TOPIC_ARN,
    defaultMode: parsed.DEFAULT_MODE,
    modeTagKey: parsed.MODE_TAG_KEY,
    mwaaRegions: parsed.MWAA_REGIONS?.length ? parsed.MWAA_REGIONS : [region],
    slackWebhookParameter: parsed.SLACK_WEBHOOK_PARAMETER,
    extrasParameter: parsed.EXTRAS_PARAMETER,
    ownRoleArns: parsed.REMEDIATOR_ROLE_ARN ?? [],
    consistencyWaitMs: parsed.CONSISTENCY_WAIT_MS,
  }
}

/**
 * The mode of a role: its `MODE_TAG_KEY` tag, else the deployment default. Tag keys compare case-insensitively
 * (IAM keeps one tag per key regardless of case); the value must be exactly heal/alert/off, as the remediator's own
 * IAM policy conditions on `aws:ResourceTag/<key>` with StringEquals "heal" (case-sensitive).
 */
export function modeOf(
  tags: Readonly<Record<string, string>>,
  config: Pick<Config, 'modeTagKey' | 'defaultMode'>,
): { mode: Mode; warning?: string } {
  const key = Object.keys(tags).find((k) => k.toLowerCase() === config.modeTagKey.toLowerCase())
  if (key === undefined) return { mode: config.defaultMode }
  const value = tags[key] ?? ''
  const parsed = modes.safeParse(value)
  if (parsed.success) return { mode: parsed.data }
  return {
    mode: config.defaultMode,
    warning: `tag ${key}=${value} is not one of heal, alert, off; using the default mode ${config.defaultMode}`,
  }
}
