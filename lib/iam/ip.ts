/**
 * IPv4 and IPv6 addresses and CIDR ranges for IpAddress/NotIpAddress. A value without a prefix is a single
 * address (/32, or /128 for IPv6): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */

/** An address as 32-bit words: one for IPv4, four for IPv6. */
export type IpWords = readonly number[]
export type Cidr = { readonly words: IpWords; readonly prefix: number }

/** Parses `a.b.c.d` or an IPv6 address (with `::` and an optional trailing IPv4); undefined when invalid. */
export function parseIp(text: string): IpWords | undefined {
  return text.indexOf(':') < 0 ? parseIpv4(text) : parseIpv6(text)
}

/** Parses `address/prefix` or a bare address; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  const words = parseIp((slash < 0 ? text : text.slice(0, slash)).trim())
  if (words === undefined) return undefined
  const max = words.length * 32
  if (slash < 0) return { words, prefix: max }
  const p = text.slice(slash + 1).trim()
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined
  return { words, prefix: Number(p) }
}

/** True when the address is inside the range (same family only). */
export function cidrContains(c: Cidr, ip: IpWords): boolean {
  if (ip.length !== c.words.length) return false
  let bits = c.prefix
  for (let i = 0; i < ip.length && bits > 0; i++, bits -= 32) {
    const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0
    if ((ip[i]! & mask) >>> 0 !== (c.words[i]! & mask) >>> 0) return false
  }
  return true
}

function parseIpv4(text: string): IpWords | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined
    n = n * 256 + Number(p)
  }
  return [n >>> 0]
}

function parseIpv6(text: string): IpWords | undefined {
  let head = text
  let tail = ''
  const dbl = text.indexOf('::')
  if (dbl >= 0) {
    head = text.slice(0, dbl)
    tail = text.slice(dbl + 2)
    if (tail.indexOf('::') >= 0) return undefined
  }
  const h = groups(head)
  const t = groups(tail)
  if (h === undefined || t === undefined) return undefined
  const missing = 8 - h.length - t.length
  if (dbl < 0 ? missing !== 0 : missing < 1) return undefined
  const all = [...h, ...new Array<number>(dbl < 0 ? 0 : missing).fill(0), ...t]
  const words: number[] = []
  for (let i = 0; i < 8; i += 2) words.push(((all[i]! << 16) | all[i + 1]!) >>> 0)
  return words
}

/** 16-bit groups of one side of `::`; a trailing dotted IPv4 counts as two groups. */
function groups(text: string): number[] | undefined {
  if (text === '') return []
  const out: number[] = []
  const parts = text.split(':')
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (i === parts.length - 1 && p.indexOf('.') >= 0) {
      const v4 = parseIpv4(p)
      if (v4 === undefined) return undefined
      out.push(v4[0]! >>> 16, v4[0]! & 0xffff)
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      out.push(parseInt(p, 16))
    } else {
      return undefined
    }
  }
  return out
}
