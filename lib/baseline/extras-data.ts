/**
 * Validates extras already parsed into plain data (an extras file's YAML or JSON, or the `extras` of a compiled SSM
 * parameter): the shape with zod, then each statement against a catalogue. No text parser here, so the Lambda,
 * which validates the compiled parameter with this same code, stays free of yaml. Format: docs/extras.md.
 */
import * as z from 'zod'
import type { Catalogue } from '../catalogue/types'
import { formatPath } from '../input-error'
import { ExtrasParseError } from './errors'
import { validateStatement } from './extras-validate'
import { ALL, type ExtraStatement, type ExtrasFile } from './extras-file'

const ENV_NAME = /^[A-Za-z][0-9A-Za-z_-]*$/
const listOf = (what: string) =>
  z.union(
    [
      z.string(),
      z.array(z.string(), { error: `expected ${what} or a list of them` }).min(1, { error: 'must not be empty' }),
    ],
    {
      error: `expected ${what} or a list of them`,
    },
  )
const conditionValue = z.union(
  [z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)],
  {
    error: 'expected a string or a list of strings',
  },
)

const statementSchema = z.strictObject(
  {
    Sid: z.string({ error: 'expected a string' }).optional(),
    Effect: z.string({ error: (i) => (i.input === undefined ? 'required ("Allow")' : 'expected "Allow"') }),
    Action: listOf('an action'),
    Resource: listOf('a resource ARN'),
    Condition: z
      .record(z.string(), z.record(z.string(), conditionValue), { error: 'expected {Operator: {key: value}}' })
      .optional(),
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

function shapeError(source: string, error: z.ZodError): ExtrasParseError {
  const issue = error.issues[0]!
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!
    const field = formatPath([...issue.path, key])
    return new ExtrasParseError(source, field, UNSUPPORTED[key] ?? 'unknown field', { cause: error })
  }
  return new ExtrasParseError(source, formatPath(issue.path), issue.message, { cause: error })
}

/** Validates parsed extras data; throws ExtrasParseError, one line naming the source and the field. */
export function validateExtrasData(data: unknown, source: string, catalogue: Catalogue): ExtrasFile {
  const parsed = fileSchema.safeParse(data)
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
