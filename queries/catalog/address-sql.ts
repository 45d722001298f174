/**
 * SQL for "address in any of these CIDR ranges", from constant ranges at compile time, so that DuckDB
 * compares only integers (IPv4: the workspace's `src_ip4`/`dst_ip4` columns or `ip4_to_int(text)`) or
 * fixed-width hex strings (IPv6: `ip6_hex(text)`, which sorts like the number).
 */
import type { CidrRange } from '../language/ip';

/** SQL expressions for one address: its IPv4 integer (NULL if not IPv4) and its IPv6 hex (NULL if not IPv6). */
export interface AddressSql {
  ip4: string;
  ip6hex: string;
}

/**
 * True when the address is in any of the ranges, false when it is a valid address outside them all,
 * NULL when the address is NULL or not an address.
 */
export function inRangesSql(address: AddressSql, list: readonly CidrRange[]): string {
  const v4 = list.flatMap((r) => (r.family === 4 ? [`${address.ip4} BETWEEN ${r.lo} AND ${r.hi}`] : []));
  const v6 = list.flatMap((r) => (r.family === 6 ? [`${address.ip6hex} BETWEEN '${r.lo}' AND '${r.hi}'`] : []));
  const any = (conds: string[]) => (conds.length ? `(${conds.join(' OR ')})` : 'false');
  return `(CASE WHEN ${address.ip4} IS NOT NULL THEN ${any(v4)} WHEN ${address.ip6hex} IS NOT NULL THEN ${any(v6)} END)`;
}
