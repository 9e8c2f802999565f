/** Milliseconds since the epoch; injected so tests move time instead of waiting. */
export type Clock = () => number

/**
 * A small in-memory cache of promises with a time to live. Concurrent lookups of one key share a single
 * load (a batch of events about one environment costs one call); a load that fails is not kept.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { expiresAt: number; value: Promise<V> }>()

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /** The cached value of `key`, or the result of `load` (kept for ttlMs unless `keep` says otherwise). */
  get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const now = this.clock()
    const hit = this.entries.get(key)
    if (hit && hit.expiresAt > now) return hit.value
    const value = load()
    this.entries.set(key, { expiresAt: now + this.ttlMs, value })
    value.then(
      (v) => {
        if (!keep(v)) this.forget(key, value)
      },
      () => this.forget(key, value),
    )
    return value
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }

  private forget(key: string, value: Promise<V>): void {
    // Only drop our own entry: a newer load may already have replaced it.
    if (this.entries.get(key)?.value === value) this.entries.delete(key)
  }
}
