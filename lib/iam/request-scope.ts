/**
 * Per-request view used while evaluating: the lowercased action and its service prefix, computed once,
 * and case-insensitive context lookup (condition key names are not case-sensitive:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
 */
import type { ContextValue, EvaluationRequest, RequestContext } from './types'
import type { VariableSlot } from './variables'

export class RequestScope {
  readonly action: string
  readonly service: string
  readonly resource: string
  readonly request: EvaluationRequest
  private readonly context: RequestContext | undefined
  /** keys AWS derives from the caller, by lowercase name, used when the request's context lacks them */
  private readonly derived: ReadonlyMap<string, ContextValue> | undefined

  constructor(request: EvaluationRequest, derived?: ReadonlyMap<string, ContextValue>) {
    this.request = request
    this.derived = derived
    this.action = request.action.toLowerCase()
    const colon = this.action.indexOf(':')
    this.service = colon < 0 ? '' : this.action.slice(0, colon)
    this.resource = request.resource
    this.context = request.context
  }

  /** The context value of a key, whatever the case of its name in the request or the policy. */
  get(key: string, keyLower: string): ContextValue | undefined {
    const own = this.own(key, keyLower)
    return own === undefined && this.derived !== undefined ? this.derived.get(keyLower) : own
  }

  private own(key: string, keyLower: string): ContextValue | undefined {
    const ctx = this.context
    if (ctx === undefined) return undefined
    const direct = ctx[key]
    if (typeof direct === 'string') return direct
    if (direct !== undefined && Object.hasOwn(ctx, key)) {
      const v = normalize(direct)
      if (v !== undefined) return v
    }
    // a key spelled another way: a linear scan (contexts hold a handful of keys) costs less than a map per request
    for (const k in ctx) {
      if (k.length === keyLower.length && k.toLowerCase() === keyLower && Object.hasOwn(ctx, k)) {
        const v = normalize(ctx[k])
        if (v !== undefined) return v
      }
    }
    return undefined
  }

  /** A variable's value: single-valued keys only, else the default, else none. */
  variable(slot: VariableSlot): string | undefined {
    const v = this.get(slot.key, slot.keyLower)
    // a multivalued key cannot be a policy variable:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    return typeof v === 'string' ? v : slot.fallback
  }
}

/** Context values from untyped callers: numbers and booleans are read as their JSON text. */
function normalize(v: unknown): ContextValue | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (!Array.isArray(v)) return undefined
  return v.every((x) => typeof x === 'string')
    ? (v as string[])
    : v.filter((x) => x !== null && x !== undefined).map(String)
}
