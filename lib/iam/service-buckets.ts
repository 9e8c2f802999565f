/**
 * Statements bucketed by service prefix, so a request only looks at statements that can name its action:
 * a statement whose every Action has a literal service prefix cannot apply to another service.
 */
import type { CompiledStatement } from './compile-policy'

/** The buckets of a policy: per service prefix, and for services no Action names. */
export function bucketByService(statements: readonly CompiledStatement[]): {
  byService: ReadonlyMap<string, readonly CompiledStatement[]>
  anyService: readonly CompiledStatement[]
} {
  const byService = new Map<string, CompiledStatement[]>()
  for (const st of statements) for (const svc of st.services ?? []) byService.set(svc, [])
  const anyService: CompiledStatement[] = []
  for (const st of statements) {
    if (st.services === undefined) anyService.push(st)
    for (const [svc, list] of byService) if (st.services === undefined || st.services.has(svc)) list.push(st)
  }
  return { byService, anyService }
}

/** The service prefixes of a list of actions; undefined when one has a wildcard prefix (or is "*"). */
export function servicesOf(actions: readonly string[]): Set<string> | undefined {
  const set = new Set<string>()
  for (const a of actions) {
    const svc = a.slice(0, a.indexOf(':')).toLowerCase()
    if (a === '*' || svc.indexOf('*') >= 0 || svc.indexOf('?') >= 0) return undefined
    set.add(svc)
  }
  return set
}
