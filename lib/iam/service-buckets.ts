/**
 * Statements bucketed by service prefix, so a request only looks at statements that can name its action:
 * a statement whose every Action has a literal service prefix cannot apply to another service.
 */

/** What bucketing reads of a compiled statement (generic, so this module needs nothing from compile-policy). */
type Bucketable = { readonly services: ReadonlySet<string> | undefined }

/** The buckets of a policy: per service prefix, and for services no Action names. */
export function bucketByService<S extends Bucketable>(
  statements: readonly S[],
): {
  byService: ReadonlyMap<string, readonly S[]>
  anyService: readonly S[]
} {
  const byService = new Map<string, S[]>()
  for (const st of statements) for (const svc of st.services ?? []) byService.set(svc, [])
  const anyService: S[] = []
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
