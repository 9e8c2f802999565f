/**
 * The `simulate` input: one request or an array, each with every policy type the evaluator takes. Unknown fields are
 * errors naming the field; the caller-dependent rules (who can have identity-based or session policies) are checked
 * here, before anything is evaluated.
 */
import * as z from 'zod'
import { type Caller, CallerType, parseCaller } from '../iam'
import { formatPath, InputError, parseWith } from '../input-error'

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String)
// one array per level, root first: an organization has at least its root; no organization is no field at all
const levels = z
  .array(z.array(z.unknown()))
  .min(1, 'one array per level, root first (leave the field out when there is no organization)')
  .nullable()
  .optional()
const itemSchema = z.strictObject({
  principal: z.string().min(1).optional(),
  identityPolicies: z.array(z.unknown()).optional(),
  permissionsBoundary: z.unknown().optional(),
  sessionPolicy: z.unknown().optional(),
  resourcePolicy: z.unknown().optional(),
  vpcEndpointPolicies: z.array(z.unknown()).optional(),
  serviceControlPolicies: levels,
  resourceControlPolicies: levels,
  request: z.strictObject({
    action: z.string().min(1),
    resource: z.string().min(1),
    resourceAccount: z
      .string()
      .regex(/^\d{12}$/, 'an AWS account ID has 12 digits')
      .optional(),
    context: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
  }),
})
export type SimulateInput = z.infer<typeof itemSchema>

/** A validated request and the caller it names (undefined: the default, a role in the resource's account). */
export type SimulateItem = { readonly input: SimulateInput; readonly caller: Caller | undefined; readonly at: string }

const ACCOUNT_IN_ARN = /^arn:[^:]*:[^:]*:[^:]*:\d{12}:/

/** Parses the file's JSON (one request or an array); throws InputError naming the file and the field. */
export function parseSimulateInput(raw: unknown, source: string): { items: SimulateItem[]; batch: boolean } {
  const batch = Array.isArray(raw)
  const inputs = batch ? strict(z.array(itemSchema), raw, source) : [strict(itemSchema, raw, source)]
  return { items: inputs.map((input, i) => checkItem(input, batch ? `[${i}].` : '', source)), batch }
}

/** The caller-dependent rules of one request. */
export function checkItem(input: SimulateInput, at: string, source: string): SimulateItem {
  const fail = (field: string, problem: string): never => {
    throw new InputError(source, `${at}${field}`, problem)
  }
  const caller = input.principal === undefined ? undefined : parseCaller(input.principal)
  if (input.principal !== undefined && caller === undefined) {
    fail('principal', 'not a role, assumed-role or user ARN, a service principal (NAME.amazonaws.com) or "anonymous"')
  }
  const iam = caller === undefined || caller.type === CallerType.role || caller.type === CallerType.session
  const user = caller?.type === CallerType.user
  if (iam || user) {
    if (input.identityPolicies === undefined) fail('identityPolicies', 'required for a role, a session or a user')
  } else {
    const who = caller!.type === CallerType.service ? 'a service principal' : 'an anonymous caller'
    if ((input.identityPolicies ?? []).length > 0) fail('identityPolicies', `${who} has no identity-based policies`)
    if (given(input.permissionsBoundary)) fail('permissionsBoundary', `${who} has no permissions boundary`)
    if (given(input.sessionPolicy)) fail('sessionPolicy', `${who} has no session policy`)
  }
  if (user && given(input.sessionPolicy)) fail('sessionPolicy', 'session policies belong to role sessions, not users')
  const principalBound = given(input.resourcePolicy) || (input.vpcEndpointPolicies ?? []).length > 0
  const accountKnown =
    caller?.account !== undefined ||
    caller?.type === CallerType.service ||
    caller?.type === CallerType.anonymous ||
    input.request.resourceAccount !== undefined ||
    ACCOUNT_IN_ARN.test(input.request.resource)
  if (principalBound && !accountKnown) {
    fail(
      'request.resourceAccount',
      "needed with resourcePolicy or vpcEndpointPolicies when the resource ARN has no account: set it or 'principal'",
    )
  }
  return { input, caller, at }
}

function given(doc: unknown): boolean {
  return doc !== undefined && doc !== null
}

/** Like parseWith, but an unknown field is reported by its own path: `[2].request.contxt: unknown field`. */
function strict<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value)
  const issue = result.success ? undefined : result.error.issues[0]
  if (issue?.code === 'unrecognized_keys') {
    throw new InputError(source, formatPath([...issue.path, issue.keys[0]!]), 'unknown field (see --help)', {
      cause: result.error,
    })
  }
  return parseWith(schema, value, source)
}
