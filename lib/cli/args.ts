/** Argument parsing for the CLI (node:util parseArgs), with usage errors as data the caller prints in one line. */
import { parseArgs, type ParseArgsConfig } from 'node:util'

export class UsageError extends Error {
  override name = 'UsageError'
}

type Options = NonNullable<ParseArgsConfig['options']>

/** Parses flags strictly: an unknown flag or a missing value is a UsageError. */
export function parseFlags<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values
  } catch (cause) {
    const message = cause instanceof Error ? (cause.message.split('\n')[0] ?? '') : String(cause)
    // node:util says "argument is ambiguous" when a flag's value is missing and another flag follows it.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message)
    const missing = /^Option '(--[\w-]+) <value>' argument missing/.exec(message)
    const flag = ambiguous?.[1] ?? missing?.[1]
    throw new UsageError(flag ? `missing value for ${flag}` : message.replace(/^TypeError \[[A-Z_]+\]: /, ''), {
      cause,
    })
  }
}

/** Returns a required string flag or throws a UsageError naming it. */
export function required(value: string | boolean | undefined | Array<string | boolean>, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing required flag --${flag}`)
  return value
}

/** The --help text (kept in step with the README). */
export function usage(): string {
  return `mwaa-role-guard — keeps Amazon MWAA execution roles granting what their environments need

Usage:
  mwaa-role-guard simulate --input FILE
      Evaluate requests locally with AWS's full evaluation logic. FILE holds one request or a JSON array of them:
      {"principal": "arn:aws:sts::ACCOUNT:assumed-role/R/S" | role or user ARN | "SERVICE.amazonaws.com" | "anonymous",
       "identityPolicies": [doc, ...], "permissionsBoundary": doc | null, "sessionPolicy": doc | null,
       "resourcePolicy": doc | null, "vpcEndpointPolicies": [doc, ...],
       "serviceControlPolicies": [[root's], [OU's], ..., [account's]], "resourceControlPolicies": [[...], ...],
       "request": {"action": "s3:GetObject", "resource": "arn:...", "resourceAccount": "ACCOUNT",
                   "context": {"key": "v" | ["v1", "v2"]}}}
      Only "request" (and "identityPolicies" for a role, session or user) is required. principal defaults to a
      role in the resource's account; resourceAccount to the ARN's account, else (S3, "*") the principal's; no
      serviceControlPolicies/resourceControlPolicies means no organization. An unknown field is an error.
      Prints a JSON array, in input order, of {"decision": "allowed" | "implicitDeny" | "explicitDeny",
      "statements": [...], "missing": [fields lacking an Allow], "rule": {...}, "exempt": [...]}.

  mwaa-role-guard baseline --environment-file ENV.json [--extras FILE] [--part policy|trust] [--checks] [--json]
      Print the execution-role policy and trust policy ENV.json's environment needs (ENV.json: the output of
      \`aws mwaa get-environment\`). --part prints one document alone (ready for file://), --checks lists the
      concrete checks, --json prints everything as JSON.

  mwaa-role-guard check --environment-file ENV.json --authorization-details AUTH.json [--extras FILE] [--json]
                        [--bucket-policy FILE] [--key-policy FILE] [--endpoint-policy FILE]... [--scp FILE]... [--rcp FILE]...
      Check the environment's execution role (AUTH.json: \`aws iam get-account-authorization-details\`).
      With the documents beyond the role, end to end (AWS's full evaluation): --bucket-policy (\`aws s3api
      get-bucket-policy\` output or the document), --key-policy (\`aws kms get-key-policy\` output or the document),
      --endpoint-policy (\`aws ec2 describe-vpc-endpoints\` output for the environment's VPC), --scp and --rcp (one
      flag per level, root first: a document, an array of the documents attached there, or \`aws organizations
      describe-policy\` output). A finding names the blocking document and statement.
      Exit 0: everything required is granted; 1: drift; 2: bad input (one line naming the file and field).

  mwaa-role-guard check --env NAME [--region R] [--extras FILE] [--json]
      Check a live environment end to end (reads MWAA and IAM with your AWS credentials, and the documents beyond
      the role: the DAG bucket's policy, the customer managed key's policy and state, the policies of the VPC
      endpoints of the environment's VPC, and with READ_ORGANIZATION_POLICIES=true the SCPs and RCPs; extras from
      --extras, else from the SSM parameter EXTRAS_PARAMETER when set). A document it may not read is a warning. Its data is validated as the Lambda does, against AWS_ACCOUNT_ID's
      account (unset: your credentials', from STS): refused values are listed, exit 1. R defaults to AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1.

  mwaa-role-guard extras --extras FILE [--output OUT]
      Validate an extras file (as check --extras does) and compile it for the Lambda: its statements plus the slice
      of the IAM catalogue they need, as JSON for the SSM parameter EXTRAS_PARAMETER (a SecureString, or a String
      whose SHA-256 is pinned in EXTRAS_PARAMETER_SHA256; up to 4 KB in the Standard tier, 8 KB in the Advanced
      tier). Prints it, or writes OUT. The Lambda checks extras, and heals them only with HEAL_EXTRAS=true.

  mwaa-role-guard handle --event FILE | --events FILE.jsonl [--settle SECONDS] [--replay] [--dry-run] [--verbose]
      Run the deployed chain on an EventBridge event file in this process and print a JSON summary (logs on
      stderr: warnings and errors, everything with --verbose): the event once per event id (STATE_TABLE), the
      settle window waited out (SETTLE_SECONDS, default 30; --settle 0 acts at once), then each role it names
      reconciled; another handle, the sweep or the Lambda acting on the same role is waited for (the state
      table's lease). Without STATE_TABLE: at once and without memory (no duplicate detection, no incidents).
      --replay handles an event id already handled (a failed event from a dead-letter queue). Configured by the
      Lambda's environment variables (AWS_ACCOUNT_ID: the account events must come from; unset, the account of
      your credentials, from STS). --dry-run writes nothing (IAM, state table) and publishes nothing: the summary
      lists what a heal would write (wouldWrite) and the alerts that would go out (wouldAlert). Replay a failed
      event with --dry-run first. A failed role is "result": "failed" with "retryable" and "error", classified as
      the Lambda classifies it. Exit 0 handled, ignored or a duplicate; 1 the event or a role failed for good
      (AccessDenied, a quota, a refused heal: alerted as the Lambda alerts it); 75 every failure was retryable
      (throttled, a 5xx, a stale read, the role busy; nothing alerted): run it again later with --replay.
      --events FILE.jsonl: one event per line (JSON Lines, up to 64 MiB, each line up to
      6 MiB), handled in one process in file order, one compact JSON summary per line with its "line" number (a line
      that is not an event: status "unreadable" and why); --settle defaults to 0 there (the events have happened);
      exit 1 when a line was unreadable or failed for good, 75 when every failure was retryable.

  mwaa-role-guard replay [--queue failed-events|reconcile-dlq|URL] [--dry-run] [--max N] [--json] [--verbose]
      Replay what failed: read the queue (default failed-events: FAILED_EVENTS_QUEUE_URL, the stack output
      FailedEventsQueueUrl; reconcile-dlq: RECONCILE_DLQ_URL, ReconcileDeadLetterQueueUrl; or a queue URL), handle
      each message's event again as handle --replay does (a reconcile message: its role), delete the message when
      every role was reconciled, leave it otherwise (failed, busy, deferred, an event ignored, an unreadable message).
      One line per message (--json: one JSON object per line): the event, which roles, what happened, and the reason
      a message is left. Messages are hidden while the run works and the ones left are visible again when it ends.
      --dry-run: nothing written, published or remembered, nothing deleted. --max N: stop after N messages. Same
      environment variables as handle; needs sqs:ReceiveMessage, sqs:DeleteMessage, sqs:ChangeMessageVisibility.
      Exit 0: every message replayed (or none waiting), 1: some left in the queue, 2: bad usage, 3: an AWS error.

  mwaa-role-guard sweep [--json] [--verbose]
      Run the scheduled sweep's code path now: every execution role of MWAA_REGIONS' environments, IAM read in bulk,
      drifted roles re-read live and reported or healed as an event would. Prints the totals (roles, drifted, healed,
      skipped, failed, not reached, AWS calls, throttled, seconds) and every role that is not healthy; --json prints
      the whole summary. Same environment variables as handle; runs until every role is done. With STATE_TABLE it
      reminds and resolves incidents and remembers last-known-good policies; without it, no memory (said so).

  mwaa-role-guard history [--role NAME | --env NAME] [--since 7d] [--json] [--incidents]
      What the guard found and did, oldest first: trigger (CloudTrail event, actor, source IP), environments,
      what was missing and what changed since the role was last known good, writes, incidents, notices, outcome.
      --incidents lists the open incidents (contested roles marked) and those resolved since --since.
      --since: 30m, 12h, 7d (default) or a date (2026-11-30). Reads the state table STATE_TABLE with your
      credentials (dynamodb:Query).

  mwaa-role-guard --version
      Print the version.

Exit codes: 0 ok, 1 drift (check) or a failed run (handle; sweep: a role or an environment failed, or a role was
not reached; replay: a message left in the queue), 2 bad input or usage, 3 an AWS or internal error, 75
handle --event: only retryable failures (run it again later).
`
}
