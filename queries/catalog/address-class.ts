/** Private/public classification and traffic direction of addresses, in TypeScript (tests, constants). */
import { DEFAULT_VPC_CIDRS, NON_HOST_RANGES, PRIVATE_RANGES, rangeContains, ranges } from './address-ranges';
import { ipv6Hex, parseIpv4, type CidrRange } from './ip';

const privateRanges = ranges(PRIVATE_RANGES.map((r) => r.cidr));
const nonHostRanges = ranges(NON_HOST_RANGES.map((r) => r.cidr));

const inAny = (list: readonly CidrRange[], address: string) => list.some((r) => rangeContains(r, address));

function isIp(address: string): boolean {
  return parseIpv4(address) !== undefined || ipv6Hex(address) !== undefined;
}

export function isPrivateIp(address: string): boolean {
  return inAny(privateRanges, address);
}

/** A valid address that is neither private nor a non-host (multicast, broadcast, unspecified) address. */
export function isPublicIp(address: string): boolean {
  return isIp(address) && !inAny(privateRanges, address) && !inAny(nonHostRanges, address);
}

export type Direction = 'inbound' | 'outbound' | 'internal' | 'external';

/**
 * Where a flow goes relative to the VPC: `internal` (both ends inside), `inbound` (from outside in),
 * `outbound` (from inside out) or `external` (neither end inside, e.g. a NAT'd or transit flow).
 */
export function direction(src: string, dst: string, vpcCidrs: readonly string[] = DEFAULT_VPC_CIDRS): Direction {
  const vpc = ranges(vpcCidrs);
  const srcIn = inAny(vpc, src);
  const dstIn = inAny(vpc, dst);
  return srcIn ? (dstIn ? 'internal' : 'outbound') : dstIn ? 'inbound' : 'external';
}
