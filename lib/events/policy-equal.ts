/**
 * Compares two policy documents by meaning rather than by text, for the "has IAM caught up?" check.
 * - whitespace and key order never matter (CloudTrail has compact and pretty-printed JSON of the same document);
 * - a single value and a one-element list are the same, and list order is ignored (Action, Resource, Principal);
 * - an account ID principal equals its root ARN: IAM may store `"AWS": "123456789012"` as
 *   `arn:aws:iam::123456789012:root` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
 */

/** True when the two documents say the same thing (see the rules above). */
export function samePolicy(a: unknown, b: unknown, partition = 'aws'): boolean {
  return canonical(normaliseDocument(a, partition)) === canonical(normaliseDocument(b, partition))
}

/** Parses a policy document given as a JSON string (as in CloudTrail requestParameters); undefined if it is not one. */
export function parsePolicyText(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

const LISTS = new Set(['Action', 'NotAction', 'Resource', 'NotResource'])
const PRINCIPALS = new Set(['Principal', 'NotPrincipal'])

function normaliseDocument(doc: unknown, partition: string): unknown {
  if (!isObject(doc)) return doc
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
  return { ...doc, Statement: statements.map((s) => normaliseStatement(s, partition)) }
}

function normaliseStatement(statement: unknown, partition: string): unknown {
  if (!isObject(statement)) return statement
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(statement)) {
    if (LISTS.has(key)) out[key] = sortedList(value)
    else if (PRINCIPALS.has(key) && isObject(value)) out[key] = principals(value, partition)
    else if (key === 'Condition' && isObject(value)) out[key] = conditions(value)
    else out[key] = value
  }
  return out
}

function principals(value: Record<string, unknown>, partition: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [type, ids] of Object.entries(value)) {
    const list = sortedList(ids)
    out[type] =
      type === 'AWS'
        ? sortedList(list.map((id) => (/^\d{12}$/.test(String(id)) ? `arn:${partition}:iam::${String(id)}:root` : id)))
        : list
  }
  return out
}

function conditions(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [operator, block] of Object.entries(value)) {
    out[operator] = isObject(block)
      ? Object.fromEntries(Object.entries(block).map(([k, v]) => [k, sortedList(v)]))
      : block
  }
  return out
}

function sortedList(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : [value]
  return [...list].sort((x, y) => canonical(x).localeCompare(canonical(y)))
}

/** JSON with object keys sorted, so that key order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (isObject(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'undefined'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
