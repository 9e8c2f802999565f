/**
 * EventBridge `cidr` operand: matches IPv4 and IPv6 addresses inside a block.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-ip-matching
 * CloudTrail's sourceIPAddress can also be a service name (`cloudformation.amazonaws.com`): that never matches.
 * Addresses and blocks are parsed by the IAM evaluator's parser (IpAddress uses the same notation).
 */
import { cidrContains, parseCidr as parseIamCidr, parseIp, type Cidr } from '../iam/ip'

export type CidrBlock = Cidr

/** Parses `10.0.0.0/24` or `2001:db8::/32` (a bare address means a single host), or returns the reason it is invalid. */
export function parseCidr(text: string): CidrBlock | string {
  if (text.split('/').length > 2) return `'${text}' is not a CIDR block`
  return parseIamCidr(text) ?? `'${text}' is not an IPv4 or IPv6 address or CIDR block`
}

/** True when `address` is an IP address inside `block`. */
export function inCidr(block: CidrBlock, address: string): boolean {
  const ip = parseIp(address)
  return ip !== undefined && cidrContains(block, ip)
}
