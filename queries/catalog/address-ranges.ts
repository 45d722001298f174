/**
 * Address ranges that decide whether an address is private or public, and the default VPC ranges
 * `direction` is computed against.
 *
 * "Private" is wider than RFC 1918 on purpose: an analyst asking "is this the internet?" means any
 * range that is not routed on the internet (carrier-grade NAT, link-local, loopback, IPv6 ULA ...).
 * Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) count as public,
 * because AWS's own examples use them to stand for internet peers.
 */
import { ipv4Of, ipv6Hex, parseCidr, type CidrRange } from './ip';

export interface NamedRange {
  cidr: string;
  name: string;
}

export const PRIVATE_RANGES: readonly NamedRange[] = [
  { cidr: '10.0.0.0/8', name: 'RFC 1918 private' },
  { cidr: '172.16.0.0/12', name: 'RFC 1918 private' },
  { cidr: '192.168.0.0/16', name: 'RFC 1918 private' },
  { cidr: '100.64.0.0/10', name: 'carrier-grade NAT (RFC 6598)' },
  { cidr: '169.254.0.0/16', name: 'link-local' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: 'fc00::/7', name: 'IPv6 unique local (ULA)' },
  { cidr: 'fe80::/10', name: 'IPv6 link-local' },
  { cidr: '::1/128', name: 'IPv6 loopback' },
];

/** Neither private nor public: no host on any network has these as its own address. */
export const NON_HOST_RANGES: readonly NamedRange[] = [
  { cidr: '0.0.0.0/8', name: '"this network"' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved and broadcast' },
  { cidr: '::/128', name: 'IPv6 unspecified' },
  { cidr: 'ff00::/8', name: 'IPv6 multicast' },
];

/** The special-use IPv4 blocks of RFC 5735 (its table, section 4): Sumo's `isReservedIP`. */
export const RESERVED_IPV4_RANGES: readonly NamedRange[] = [
  { cidr: '0.0.0.0/8', name: '"this" network' },
  { cidr: '10.0.0.0/8', name: 'private-use networks' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link local' },
  { cidr: '172.16.0.0/12', name: 'private-use networks' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', name: 'TEST-NET-1' },
  { cidr: '192.88.99.0/24', name: '6to4 relay anycast' },
  { cidr: '192.168.0.0/16', name: 'private-use networks' },
  { cidr: '198.18.0.0/15', name: 'network interconnect device benchmark testing' },
  { cidr: '198.51.100.0/24', name: 'TEST-NET-2' },
  { cidr: '203.0.113.0/24', name: 'TEST-NET-3' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved for future use' },
  { cidr: '255.255.255.255/32', name: 'limited broadcast' },
];

/**
 * The ranges `direction` treats as "inside the VPC" unless the workspace sets its own VPC CIDRs: the
 * private ranges except loopback, because a VPC's own addresses are private and its flow logs name the
 * internet by public addresses.
 */
export const DEFAULT_VPC_CIDRS: readonly string[] = PRIVATE_RANGES.filter((r) => !r.name.includes('loopback')).map(
  (r) => r.cidr,
);

export function ranges(cidrs: readonly string[]): CidrRange[] {
  return cidrs.map((c) => {
    const range = parseCidr(c);
    if (!range) throw new Error(`not a CIDR block: ${c}`);
    return range;
  });
}

/** An IPv4 range holds an IPv4-mapped address (`::ffff:10.0.0.9`) as its IPv4 address; an IPv6 one tests its 128 bits. */
export function rangeContains(range: CidrRange, address: string): boolean {
  if (range.family === 4) {
    const n = ipv4Of(address);
    return n !== undefined && n >= range.lo && n <= range.hi;
  }
  const hex = ipv6Hex(address);
  return hex !== undefined && hex >= range.lo && hex <= range.hi;
}
