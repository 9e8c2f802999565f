/**
 * User extras: permissions an environment's DAGs need beyond the doc's baseline (e.g. Secrets Manager), in a small
 * YAML or JSON file. Format: docs/extras.md. MWAA cannot detect these itself:
 * https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html ("How to add permission to use other AWS services")
 */
import { parseDocument } from 'yaml'
import * as z from 'zod'
import type { Catalogue } from '../catalogue/types'
import { formatPath } from '../input-error'
import { ExtrasParseError } from './errors'
import { validateStatement } from './extras-validate'
import { ALL, type ExtraStatement, type ExtrasFile } from './extras-file'

export { extrasFor, type ExtraStatement, type ExtrasFile } from './extras-file'

const ENV_NAME = /^[A-Za-z][0-9A-Za-z_-]*$/
const listOf = (what: string) =>
  z.union([z.string(), z.array(z.string(), { error: `expected ${what} or a list of them` }).min(1, { error: 'must not be empty' })], {
    error: `expected ${what} or a list of them`,
  })
const conditionValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)], {
  error: 'expected a string or a list of strings',
})

const statementSchema = z.strictObject(
  {
    Sid: z.string({ error: 'expected a string' }).optional(),
    Effect: z.string({ error: (i) => (i.input === undefined ? 'required ("Allow")' : 'expected "Allow"') }),
    Action: listOf('an action'),
    Resource: listOf('a resource ARN'),
    Condition: z.record(z.string(), z.record(z.string(), conditionValue), { error: 'expected {Operator: {key: value}}' }).optional(),
  },
  { error: 'expected an IAM statement {Effect, Action, Resource}' },
)

const fileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'expected 1' }),
    environments: z.record(z.string(), z.array(statementSchema, { error: 'expected a list of statements' }), {
      error: 'expected {"*" | ENVIRONMENT_NAME: [statement, ...]}',
    }),
  },
  { error: 'expected {version: 1, environments: {...}}' },
)

const UNSUPPORTED: Record<string, string> = {
  NotAction: 'not supported: list the actions the role needs in Action',
  NotResource: 'not supported: list the resources in Resource',
  Principal: 'not supported: extras are identity-policy statements (no Principal)',
  NotPrincipal: 'not supported: extras are identity-policy statements (no Principal)',
}

function parseText(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false })
  const error = doc.errors[0]
  if (error) {
    const line = text.slice(0, error.pos[0]).split('\n').length
    throw new ExtrasParseError(source, `line ${line}`, error.message.split('\n')[0] ?? 'invalid YAML', { cause: error })
  }
  return doc.toJS()
}

function shapeError(source: string, error: z.ZodError): ExtrasParseError {
  const issue = error.issues[0]!
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!
    const field = formatPath([...issue.path, key])
    return new ExtrasParseError(source, field, UNSUPPORTED[key] ?? 'unknown field', { cause: error })
  }
  return new ExtrasParseError(source, formatPath(issue.path), issue.message, { cause: error })
}

/** Parses and validates an extras file (YAML or JSON); throws ExtrasParseError, one line naming file and field. */
export function parseExtras(text: string, source: string, catalogue: Catalogue): ExtrasFile {
  const parsed = fileSchema.safeParse(parseText(text, source))
  if (!parsed.success) throw shapeError(source, parsed.error)
  const environments: Record<string, ExtraStatement[]> = {}
  for (const [name, statements] of Object.entries(parsed.data.environments)) {
    if (name !== ALL && !ENV_NAME.test(name)) {
      throw new ExtrasParseError(source, formatPath(['environments', name]), 'expected "*" or an MWAA environment name')
    }
    environments[name] = statements.map((raw, index) =>
      validateStatement(raw, {
        source,
        path: ['environments', name, index],
        catalogue,
        defaultSid: `${name === ALL ? 'ExtraShared' : 'ExtraEnv'}${index + 1}`,
      }),
    )
  }
  checkSids(source, environments)
  return { source, version: 1, environments }
}

/** IAM requires unique Sids within a policy: the shared statements plus one environment's must not collide. */
function checkSids(source: string, environments: Record<string, ExtraStatement[]>): void {
  const shared = environments[ALL] ?? []
  for (const [name, own] of Object.entries(environments)) {
    const seen = new Set<string>()
    for (const extra of name === ALL ? own : [...shared, ...own]) {
      if (seen.has(extra.sid)) {
        throw new ExtrasParseError(source, extra.field, `duplicate Sid "${extra.sid}"`)
      }
      seen.add(extra.sid)
    }
  }
}
