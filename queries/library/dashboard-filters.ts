/**
 * Dashboard filters (source/destination address, port, protocol, action, ENI), applied to every panel the
 * way the Sumo Logic app's dashboard filters are: as one extra predicate on the time-filtered `flows` records
 * each panel reads, whatever the panel's dialect. Every value is validated here and becomes a literal of a
 * known shape (integers, `eni-…`, an IPv6 address), so the predicate carries no user text into SQL.
 * Pure: no Node, DuckDB or Electron.
 */
import { z } from 'zod';
import { IANA_PROTOCOLS } from '../catalog/generated/iana-protocols';
import type { TimeBounds } from '../language/compile';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

/** An IPv4 address or CIDR block, or an IPv6 address. */
const Address = z
  .string()
  .trim()
  .max(64)
  .refine((s) => parseIpv4Range(s) !== null || (IPV6.test(s) && s.includes(':')), {
    message: 'expected an IPv4 address or CIDR block (10.0.0.0/16) or an IPv6 address',
  });

const Protocol = z
  .union([z.number().int().min(0).max(255), z.string().trim().min(1).max(32)])
  .refine((p) => protocolNumber(p) !== null, {
    message: 'expected a protocol number (0–255) or an IANA protocol name such as tcp, udp, icmp',
  });

export const DashboardFilters = z.strictObject({
  srcAddr: Address.optional(),
  dstAddr: Address.optional(),
  /** Either end of the flow. */
  port: z.number().int().min(0).max(65535).optional(),
  protocol: Protocol.optional(),
  action: z.enum(['ACCEPT', 'REJECT']).optional(),
  interfaceId: z
    .string()
    .trim()
    .regex(/^eni-[0-9a-f]{1,32}$/, { message: 'expected an ENI id such as eni-0a1b2c3d' })
    .optional(),
});
export type DashboardFilters = z.infer<typeof DashboardFilters>;

/** The SQL predicate over `flows` columns for a set of filters; null when no filter is set. */
export function filterPredicate(filters: DashboardFilters | undefined): string | null {
  if (!filters) return null;
  const terms: string[] = [];
  if (filters.srcAddr) terms.push(addressTerm('srcaddr', 'src_ip4', filters.srcAddr));
  if (filters.dstAddr) terms.push(addressTerm('dstaddr', 'dst_ip4', filters.dstAddr));
  if (filters.port !== undefined) terms.push(`(srcport = ${filters.port} OR dstport = ${filters.port})`);
  if (filters.protocol !== undefined) terms.push(`protocol = ${protocolNumber(filters.protocol)}`);
  if (filters.action) terms.push(`action = '${filters.action}'`);
  if (filters.interfaceId) terms.push(`interface_id = '${filters.interfaceId}'`);
  return terms.length ? terms.join(' AND ') : null;
}

/** The time range of a query with the filters added as one more condition on its records. */
export function withFilters(
  range: TimeBounds | null | undefined,
  filters: DashboardFilters | undefined,
): TimeBounds | undefined {
  const where = filterPredicate(filters);
  if (!where) return range ?? undefined;
  return { ...range, where };
}

function addressTerm(textColumn: string, ip4Column: string, value: string): string {
  const range = parseIpv4Range(value);
  if (range)
    return range.lo === range.hi ? `${ip4Column} = ${range.lo}` : `${ip4Column} BETWEEN ${range.lo} AND ${range.hi}`;
  if (!IPV6.test(value)) throw new Error(`not an address: ${value}`);
  return `lower(${textColumn}) = '${value.toLowerCase()}'`;
}

/** `10.1.2.3` → one address; `10.0.0.0/8` → its first and last address, as unsigned 32-bit integers. */
export function parseIpv4Range(text: string): { lo: number; hi: number } | null {
  const [addr, bitsText, ...rest] = text.split('/');
  if (rest.length || !addr || !IPV4.test(addr)) return null;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32 || (bitsText !== undefined && !/^\d{1,2}$/.test(bitsText)))
    return null;
  const value = addr.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - bits);
  const lo = Math.floor(value / size) * size;
  return { lo, hi: lo + size - 1 };
}

const protocolByName = new Map(
  IANA_PROTOCOLS.filter(([, keyword]) => keyword).map(([n, keyword]) => [keyword.toLowerCase(), n]),
);
// The name analysts use for IPv6-ICMP.
protocolByName.set('icmpv6', 58);

export function protocolNumber(p: number | string): number | null {
  if (typeof p === 'number') return p;
  if (/^\d{1,3}$/.test(p)) return Number(p) <= 255 ? Number(p) : null;
  return protocolByName.get(p.toLowerCase()) ?? null;
}
