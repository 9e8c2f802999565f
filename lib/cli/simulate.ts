/**
 * `simulate --input FILE`: evaluates IAM requests with the local evaluator. Built for batches: policies are
 * compiled once per distinct document, so thousands of requests sharing policies cost one compilation each.
 */
import * as z from 'zod'
import { compilePolicy, evaluateRequest, PolicyParseError, type CompiledPolicy, type EvaluationResult } from '../iam'
import { InputError, parseWith } from '../input-error'
import { parseFlags, required } from './args'
import { readJson } from './files'
import type { Io } from './io'

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String)
const requestSchema = z.object({
  identityPolicies: z.array(z.unknown()),
  permissionsBoundary: z.unknown().optional(),
  request: z.object({
    action: z.string().min(1),
    resource: z.string().min(1),
    context: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
  }),
})
export type SimulateInput = z.infer<typeof requestSchema>

/** The CLI command. */
export async function simulateCommand(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, { input: { type: 'string' } })
  const path = required(flags.input, 'input')
  const raw = readJson(path)
  const batch = Array.isArray(raw)
  const items = batch ? parseWith(z.array(requestSchema), raw, path) : [parseWith(requestSchema, raw, path)]
  const results = simulateAll(items, path, batch)
  io.out(JSON.stringify(results, null, 2))
  return 0
}

/** Evaluates each request in order; a bad policy is an InputError naming the request and field. */
export function simulateAll(items: readonly SimulateInput[], source: string, batch = true): EvaluationResult[] {
  const cache = new Map<string, CompiledPolicy>()
  const compileOnce = (doc: unknown, where: string, name: string, kind: 'identity' | 'boundary'): CompiledPolicy => {
    const key = `${kind}\u0000${name}\u0000${typeof doc === 'string' ? doc : JSON.stringify(doc)}`
    let compiled = cache.get(key)
    if (!compiled) {
      try {
        compiled = compilePolicy(doc, name, kind)
      } catch (error) {
        if (error instanceof PolicyParseError) {
          throw new InputError(
            source,
            [where, error.path].filter(Boolean).join('.'),
            error.message.slice(error.path ? error.path.length + 2 : 0),
            { cause: error },
          )
        }
        throw error
      }
      cache.set(key, compiled)
    }
    return compiled
  }
  return items.map((item, i) => {
    const at = batch ? `[${i}].` : ''
    const identity = item.identityPolicies.map((doc, p) =>
      compileOnce(doc, `${at}identityPolicies[${p}]`, `identityPolicies[${p}]`, 'identity'),
    )
    const boundary =
      item.permissionsBoundary === undefined || item.permissionsBoundary === null
        ? null
        : compileOnce(item.permissionsBoundary, `${at}permissionsBoundary`, 'permissionsBoundary', 'boundary')
    return evaluateRequest({ identity, boundary }, item.request)
  })
}
