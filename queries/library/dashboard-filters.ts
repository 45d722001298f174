/**
 * Dashboard filters (source/destination address, port, protocol, action, ENI), applied to every panel the
 * way the Sumo Logic app's dashboard filters are: as one extra predicate on the time-filtered `flows` records
 * each panel reads, whatever the panel's dialect. Every value is validated here and becomes a literal of a
 * known shape (integers, `eni-…`, IPv6 hex digits), so the predicate carries no user text into SQL. Addresses
 * and protocols are read by the same parsers as the query languages' (`catalog/ip.ts`, `catalog/protocols.ts`).
 * Pure: no Node, DuckDB or Electron.
 */
import { z } from 'zod';
import { cidrTestSql, parseCidr } from '../catalog/ip';
import { protocolNumber } from '../catalog/protocols';
import type { TimeBounds } from '../language/compile';

/** An IPv4 or IPv6 address or CIDR block. */
const Address = z
  .string()
  .trim()
  .max(64)
  .refine((s) => parseCidr(s) !== undefined, {
    message: 'expected an IP address or CIDR block (10.0.0.0/16, 2001:db8::/32)',
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
  const range = parseCidr(value);
  if (!range) throw new Error(`not an address: ${value}`);
  return cidrTestSql(range, ip4Column, textColumn);
}
