/**
 * SQL for "address in any of these CIDR ranges", from constant ranges at compile time, so that DuckDB
 * compares only integers (IPv4: the workspace's `src_ip4`/`dst_ip4` columns or `ip4_to_int(text)`) or
 * fixed-width hex strings (IPv6: `ip6_hex(text)`, which sorts like the number, computed only for text
 * that has a `:`).
 */
import type { CidrRange } from './ip';

/**
 * SQL for one address: its IPv4 integer (NULL if not IPv4), whether it looks like IPv6, its IPv6 hex, and
 * the first 4 hex digits of its IPv6 form (cheap: no expansion), which decide any range of prefix ≤ 16.
 */
export interface AddressSql {
  ip4: string;
  isIp6: string;
  ip6hex: string;
  ip6first4: string;
}

/** The first IPv6 group of an address text as 4 hex digits (`fd12:…` → `fd12`, `::1` → `0000`). */
export function ip6First4Sql(textSql: string): string {
  return `lpad(split_part(lower(${textSql}), ':', 1), 4, '0')`;
}

/** A range decided by the first 16 bits: its low and high first groups. */
function firstGroupRange(r: { lo: string; hi: string }): [string, string] | null {
  return /^0+$/.test(r.lo.slice(4)) && /^f+$/.test(r.hi.slice(4)) ? [r.lo.slice(0, 4), r.hi.slice(0, 4)] : null;
}

/**
 * `inside` when the address is in any of the `inside` ranges and in none of the `outside` ranges: true or
 * false for a valid address, NULL when the address is NULL or not an address.
 */
export function rangeTestSql(
  address: AddressSql,
  inside: readonly CidrRange[] | 'any',
  outside: readonly CidrRange[] = [],
): string {
  // The full IPv6 expansion is a large expression: bound once (lambda `h`) and only when a range needs it.
  let needsHex = false;
  const conds = (family: 4 | 6, list: readonly CidrRange[]) =>
    list.flatMap((r) => {
      if (r.family !== family) return [];
      if (r.family === 4) return [`${address.ip4} BETWEEN ${r.lo} AND ${r.hi}`];
      const first = firstGroupRange(r);
      if (first) return [`${address.ip6first4} BETWEEN '${first[0]}' AND '${first[1]}'`];
      needsHex = true;
      return [`h BETWEEN '${r.lo}' AND '${r.hi}'`];
    });
  const test = (family: 4 | 6) => {
    const yes = inside === 'any' ? [] : conds(family, inside);
    const no = conds(family, outside);
    const parts = [
      ...(inside === 'any' ? [] : [yes.length ? `(${yes.join(' OR ')})` : 'false']),
      ...(no.length ? [`NOT (${no.join(' OR ')})`] : []),
    ];
    return parts.length ? parts.join(' AND ') : 'true';
  };
  const v4 = test(4);
  const v6 = test(6);
  const v6Sql = needsHex ? `list_transform([${address.ip6hex}], lambda h: ${v6})[1]` : v6;
  return `(CASE WHEN ${address.ip4} IS NOT NULL THEN ${v4} WHEN ${address.isIp6} THEN ${v6Sql} END)`;
}

/** True when the address is in any of the ranges (see `rangeTestSql`). */
export function inRangesSql(address: AddressSql, list: readonly CidrRange[]): string {
  return rangeTestSql(address, list);
}

/**
 * The direction named by `2 × (source inside) + (destination inside)` (NULL stays NULL), with that sum
 * written once: `CASE sum WHEN 3 …` would be expanded by DuckDB's parser into one copy of the sum per
 * branch, and planning four copies of the two VPC tests cost about 0.2 s on every query that used it.
 */
export function directionNameSql(insideCode: string): string {
  return `['external', 'inbound', 'outbound', 'internal'][(${insideCode}) + 1]`;
}
