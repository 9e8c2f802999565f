/**
 * A stable, dependency-free hash for fingerprints and change detection (not for security: nothing trusts a hash to
 * decide a write). FNV-1a 64-bit over the UTF-8 bytes of a canonical JSON form, so two equal values hash alike
 * whatever the order of their object keys. http://www.isthe.com/chongo/tech/comp/fnv/ (FNV-1a, 64-bit parameters)
 */

const OFFSET = 0xcbf29ce484222325n
const PRIME = 0x100000001b3n
const MASK = 0xffffffffffffffffn

/** JSON with object keys sorted at every depth; arrays keep their order (statement order is part of a policy). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** 16 lowercase hex digits: FNV-1a 64 of the value's canonical JSON. */
export function stableHash(value: unknown): string {
  let hash = OFFSET
  for (const byte of new TextEncoder().encode(typeof value === 'string' ? value : canonicalJson(value))) {
    hash ^= BigInt(byte)
    hash = (hash * PRIME) & MASK
  }
  return hash.toString(16).padStart(16, '0')
}
