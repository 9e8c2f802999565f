/** Human wording shared by the CLI report and the alerts (pure). */
import type { StatementRef } from '../iam/types'
import { type Finding, isBeyondRole } from '../drift/findings'
import type { HealWrite } from '../drift/plan-heal'

/**
 * `inline:ops statement "DenySqs"`, `arn:...:policy/X statement #2`; a document beyond the role reads
 * `bucket policy of sales-dags, statement "DenyNonVpc"`.
 */
export function describeStatement(ref: StatementRef): string {
  const beyondRole = isBeyondRole(ref)
  return `${ref.policy}${beyondRole ? ',' : ''} statement ${ref.sid ? `"${ref.sid}"` : `#${ref.index}`}`
}

/** Why a finding is missing, in one phrase (the statement to blame included). */
export function describeCause(finding: Finding): string {
  switch (finding.kind) {
    case 'not-granted':
      return `not granted (baseline statement ${finding.check.statement})`
    case 'denied':
      return `explicitly denied by ${finding.by.map(describeStatement).join(', ')}`
    case 'blocked-by-boundary':
      return `blocked by the permissions boundary ${finding.boundary}`
    case 'trust-missing':
      return finding.by.length > 0
        ? `explicitly denied by the trust policy (${finding.by.map((r) => (r.sid ? `statement "${r.sid}"` : `statement #${r.index}`)).join(', ')})`
        : 'the trust policy does not let it call sts:AssumeRole'
    case 'blocked-by-document':
      return `not allowed by ${finding.documents.join(', ')}`
    case 'key-unusable':
      return `the KMS key ${finding.key} is ${finding.state}: it refuses every cryptographic call`
  }
}

/** A one-line description of a heal write. */
export function describeWrite(write: HealWrite): string {
  switch (write.kind) {
    case 'attach-managed-policy':
      return `re-attach managed policy ${write.policyArn} (restores ${write.restores.length} permission${plural(write.restores.length)})`
    case 'update-trust-policy':
      return `add ${write.adds.join(' and ')} to the trust policy (other statements kept)`
    case 'put-inline-policy':
      return `put inline policy ${write.policyName} (restores ${write.restores.length} permission${plural(write.restores.length)}${write.pruned ? '; drops what no environment needs any more' : ''})`
    case 'delete-inline-policy':
      return `delete inline policy ${write.policyName} (nothing is missing without it)`
    case 'restore-inline-policy':
      return `put inline policy ${write.policyName} back as it was when last known good (restores ${write.restores.length} permission${plural(write.restores.length)})`
  }
}

/** Lists up to `max` items and says how many more there are. */
export function listSome(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.join(', ')
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`
}

export function plural(n: number): string {
  return n === 1 ? '' : 's'
}

/** Findings collapsed per (feature, cause): the actions and resources involved, in first-seen order. */
export type FindingGroup = {
  feature: Finding['feature']
  cause: string
  actions: string[]
  resources: string[]
  findings: Finding[]
}

/** Groups findings by feature then cause, so a report says "7 actions on 5 log groups" instead of 35 lines. */
export function groupByCause(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>()
  for (const f of findings) {
    const cause = describeCause(f)
    const key = `${f.feature}\u0000${cause}`
    const group = groups.get(key) ?? { feature: f.feature, cause, actions: [], resources: [], findings: [] }
    const action = f.kind === 'trust-missing' ? `${f.check.principal} → ${f.check.action}` : f.check.action
    const resource = f.kind === 'trust-missing' ? 'the role' : f.check.resource + contextSuffix(f.check.context)
    if (!group.actions.includes(action)) group.actions.push(action)
    if (!group.resources.includes(resource)) group.resources.push(resource)
    group.findings.push(f)
    groups.set(key, group)
  }
  return [...groups.values()]
}

function contextSuffix(context: Record<string, string | string[]>): string {
  const entries = Object.entries(context)
  return entries.length === 0
    ? ''
    : ` (${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(', ')})`
}
