/**
 * The enrichment functions as query functions of Insights and Sumo (registered in
 * `queries/language/functions.ts`). They compile to the SQL macros of `sql-macros.ts` (which the engine
 * creates on every query connection), except that an address test on the stored `srcaddr` or `dstaddr`
 * compares the integer `src_ip4`/`dst_ip4` columns instead of parsing text on every record.
 */
import type { Arg, FunctionDef } from './functions';
import { numeric, scalar, text, type ScalarArgs } from './builtin-functions';
import { inRangesSql, ip6First4Sql, rangeTestSql, type AddressSql } from '../catalog/address-sql';
import { NON_HOST_RANGES, PRIVATE_RANGES, ranges } from '../catalog/address-ranges';

const BOTH = ['insights', 'sumo'] as const;

/** The IPv4 integer and IPv6 hex SQL of an address argument, using the stored integer columns when it is one. */
export function addressSql(arg: Arg): AddressSql {
  const t = text(arg);
  const ip4 = arg.column === 'srcaddr' ? 'src_ip4' : arg.column === 'dstaddr' ? 'dst_ip4' : `ip4_to_int(${t})`;
  return { ip4, isIp6: `contains(${t}, ':')`, ip6hex: `ip6_hex(${t})`, ip6first4: ip6First4Sql(t) };
}

const privateRanges = ranges(PRIVATE_RANGES.map((r) => r.cidr));
const notPublicRanges = ranges([...PRIVATE_RANGES, ...NON_HOST_RANGES].map((r) => r.cidr));

export function isPrivateSql(arg: Arg): string {
  return inRangesSql(addressSql(arg), privateRanges);
}

export function isPublicSql(arg: Arg): string {
  return rangeTestSql(addressSql(arg), 'any', notPublicRanges);
}

function directionSql(src: Arg, dst: Arg): string {
  // Through the connection's macros, so that the VPC ranges the engine installed (by default the private
  // ranges) decide, as they do for `direction` in SQL.
  const inside = (arg: Arg) => {
    const a = addressSql(arg);
    return `CAST((CASE WHEN ${a.ip4} IS NOT NULL THEN in_vpc4_(${a.ip4}) WHEN ${a.isIp6} THEN in_vpc6_(${text(arg)}) END) AS INTEGER)`;
  };
  // Each end's test written once (NULL stays NULL): 2 × source inside + destination inside.
  return `(CASE ${inside(src)} * 2 + ${inside(dst)} WHEN 3 THEN 'internal' WHEN 2 THEN 'outbound' WHEN 1 THEN 'inbound' WHEN 0 THEN 'external' END)`;
}

const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, BOTH);

export const ENRICHMENT_FUNCTIONS: FunctionDef[] = [
  fn(
    'protocolName',
    1,
    1,
    'protocolName(protocol)',
    'IANA keyword of an IP protocol number: 6 → TCP, 17 → UDP, 1 → ICMP (SQL: protocol_name)',
    'string',
    ([p]) => `protocol_name(${numeric(p!)})`,
  ),
  fn(
    'serviceName',
    2,
    2,
    'serviceName(port, protocol)',
    'IANA service name of a TCP/UDP/SCTP port: serviceName(dstPort, protocol) → ssh, https (SQL: service_name)',
    'string',
    ([port, p]) => `service_name(CAST(${numeric(port!)} AS INTEGER), CAST(${numeric(p!)} AS SMALLINT))`,
  ),
  fn(
    'tcpFlagNames',
    1,
    1,
    'tcpFlagNames(tcpFlags)',
    'Names of the TCP flags in a tcp-flags bitmask: 18 → SYN,ACK; 2 → SYN; 1 → FIN (SQL: tcp_flag_names)',
    'string',
    ([f]) => `tcp_flag_names(CAST(${numeric(f!)} AS INTEGER))`,
  ),
  fn(
    'trafficPathName',
    1,
    1,
    'trafficPathName(trafficPath)',
    'Meaning of a traffic-path code (1 to 8): 2 → through an internet gateway or a gateway VPC endpoint (SQL: traffic_path_name)',
    'string',
    ([t]) => `traffic_path_name(CAST(${numeric(t!)} AS INTEGER))`,
  ),
  fn(
    'isPrivateIp',
    1,
    1,
    'isPrivateIp(ip)',
    'True for an address not routed on the internet: RFC 1918, 100.64/10, link-local, loopback, IPv6 fc00::/7, fe80::/10, ::1 (Sumo: isPrivateIP; SQL: is_private_ip)',
    'boolean',
    ([a]) => isPrivateSql(a!),
  ),
  fn(
    'isPublicIp',
    1,
    1,
    'isPublicIp(ip)',
    'True for an internet address: valid, not private, not multicast/broadcast/unspecified (Sumo: isPublicIP; SQL: is_public_ip)',
    'boolean',
    ([a]) => isPublicSql(a!),
  ),
  fn(
    'direction',
    2,
    2,
    'direction(srcAddr, dstAddr)',
    "inbound, outbound, internal or external, relative to the workspace's VPC ranges (set in the workspace, or seen in the data) (SQL: direction; not the flowDirection field, which is ingress or egress)",
    'string',
    ([s, d]) => directionSql(s!, d!),
  ),
];
