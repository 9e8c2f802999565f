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

/**
 * IAM's own limits on a PolicyDocument parameter (PutRolePolicy, UpdateAssumeRolePolicy, CreatePolicyVersion): at most
 * 131,072 characters, each a tab, line feed, carriage return or U+0020-U+00FF
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html). A request outside them failed, so its
 * text says nothing about the role.
 */
export const POLICY_DOCUMENT_MAX_LENGTH = 131_072
const POLICY_DOCUMENT_CHARACTERS = /^[\t\n\r\u0020-\u00ff]+$/

/**
 * Parses a policy document given as a JSON string (as in CloudTrail requestParameters); undefined if it is not one,
 * or not one IAM would have accepted.
 */
export function parsePolicyText(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text.length > POLICY_DOCUMENT_MAX_LENGTH || !POLICY_DOCUMENT_CHARACTERS.test(text))
    return undefined
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
  // Each element's canonical text once, not once per comparison.
  return list
    .map((element) => ({ element, key: canonical(element) }))
    .sort((x, y) => x.key.localeCompare(y.key))
    .map((x) => x.element)
}

/** A piece of output text on the work stack of `canonical`, as opposed to a value still to write. */
class Text {
  constructor(readonly text: string) {}
}

/**
 * JSON with object keys sorted, so that key order does not matter. Iterative: a document from an event may nest
 * thousands of levels (a recursive version throws RangeError: Maximum call stack size exceeded).
 */
function canonical(value: unknown): string {
  const out: string[] = []
  const stack: unknown[] = [value]
  // Pushed in reverse (the stack pops the last first); a loop, not push(...list): spreading a long list throws too.
  const pushReversed = (pieces: unknown[]) => {
    for (let i = pieces.length - 1; i >= 0; i--) stack.push(pieces[i])
  }
  while (stack.length > 0) {
    const item = stack.pop()
    if (item instanceof Text) out.push(item.text)
    else if (Array.isArray(item)) {
      const pieces: unknown[] = [new Text('[')]
      item.forEach((element, i) => {
        if (i > 0) pieces.push(new Text(','))
        pieces.push(element)
      })
      pieces.push(new Text(']'))
      pushReversed(pieces)
    } else if (isObject(item)) {
      const pieces: unknown[] = [new Text('{')]
      for (const [i, k] of Object.keys(item).sort().entries()) {
        pieces.push(new Text(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`), item[k])
      }
      pieces.push(new Text('}'))
      pushReversed(pieces)
    } else out.push(JSON.stringify(item) ?? 'undefined')
  }
  return out.join('')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
