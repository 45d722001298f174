/**
 * SQL for "address in any of these CIDR ranges", from constant ranges at compile time, so that DuckDB
 * compares only integers (IPv4: the workspace's `src_ip4`/`dst_ip4` columns or `ip4_to_int(text)`) or
 * fixed-width hex strings (IPv6: `ip6_hex(text)`, which sorts like the number, computed only for text
 * that has a `:`).
 */
import type { CidrRange } from '../language/ip';

/** SQL for one address: its IPv4 integer (NULL if not IPv4), whether it looks like IPv6, and its IPv6 hex. */
export interface AddressSql {
  ip4: string;
  isIp6: string;
  ip6hex: string;
}

/**
 * `inside` when the address is in any of the `inside` ranges and in none of the `outside` ranges: true or
 * false for a valid address, NULL when the address is NULL or not an address.
 */
export function rangeTestSql(address: AddressSql, inside: readonly CidrRange[] | 'any', outside: readonly CidrRange[] = []): string {
  const conds = (family: 4 | 6, list: readonly CidrRange[], value: string) =>
    list.flatMap((r) => (r.family !== family ? [] : family === 4 ? [`${value} BETWEEN ${r.lo} AND ${r.hi}`] : [`${value} BETWEEN '${r.lo}' AND '${r.hi}'`]));
  const test = (family: 4 | 6, value: string) => {
    const yes = inside === 'any' ? [] : conds(family, inside, value);
    const no = conds(family, outside, value);
    const parts = [...(inside === 'any' ? [] : [yes.length ? `(${yes.join(' OR ')})` : 'false']), ...(no.length ? [`NOT (${no.join(' OR ')})`] : [])];
    return parts.length ? parts.join(' AND ') : 'true';
  };
  return `(CASE WHEN ${address.ip4} IS NOT NULL THEN ${test(4, address.ip4)} WHEN ${address.isIp6} THEN ${test(6, address.ip6hex)} END)`;
}

/** True when the address is in any of the ranges (see `rangeTestSql`). */
export function inRangesSql(address: AddressSql, list: readonly CidrRange[]): string {
  return rangeTestSql(address, list);
}
