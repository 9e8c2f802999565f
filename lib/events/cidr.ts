/**
 * EventBridge `cidr` operand: matches IPv4 and IPv6 addresses inside a block.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-ip-matching
 * CloudTrail's sourceIPAddress can also be a service name (`cloudformation.amazonaws.com`): that never matches.
 */

export type CidrBlock = { bits: 32 | 128; network: bigint; prefix: number }

/** Parses `10.0.0.0/24` or `2001:db8::/32` (a bare address means a single host), or returns the reason it is invalid. */
export function parseCidr(text: string): CidrBlock | string {
  const [address, prefixText, extra] = text.split('/')
  if (extra !== undefined || address === undefined) return `'${text}' is not a CIDR block`
  const ip = parseIp(address)
  if (!ip) return `'${address}' is not an IPv4 or IPv6 address`
  const prefix = prefixText === undefined ? ip.bits : Number(prefixText)
  if (!/^\d+$/.test(prefixText ?? String(ip.bits)) || prefix > ip.bits) {
    return `'${prefixText}' is not a prefix length for a ${ip.bits}-bit address`
  }
  return { bits: ip.bits, network: ip.value & mask(ip.bits, prefix), prefix }
}

/** True when `address` is an IP address inside `block`. */
export function inCidr(block: CidrBlock, address: string): boolean {
  const ip = parseIp(address)
  if (!ip || ip.bits !== block.bits) return false
  return (ip.value & mask(block.bits, block.prefix)) === block.network
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n
  return all ^ ((1n << BigInt(bits - prefix)) - 1n)
}

function parseIp(text: string): { bits: 32 | 128; value: bigint } | undefined {
  const v4 = parseIpv4(text)
  if (v4 !== undefined) return { bits: 32, value: v4 }
  const v6 = parseIpv6(text)
  return v6 === undefined ? undefined : { bits: 128, value: v6 }
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined
    value = (value << 8n) | BigInt(Number(part))
  }
  return value
}

function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string | undefined): string[] => (half ? half.split(':') : [])
  let head = groups(halves[0])
  let tail = groups(halves[1])
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const last = (halves.length === 2 ? tail : head).at(-1)
  if (last?.includes('.')) {
    const v4 = parseIpv4(last)
    if (v4 === undefined) return undefined
    const replacement = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)]
    if (halves.length === 2) tail = [...tail.slice(0, -1), ...replacement]
    else head = [...head.slice(0, -1), ...replacement]
  }
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  let value = 0n
  for (const group of [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined
    value = (value << 16n) | BigInt(parseInt(group, 16))
  }
  return value
}
