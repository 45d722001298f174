/**
 * IP addresses and CIDR ranges, computed without DuckDB's `inet` extension (not available offline).
 *
 * IPv4: a CIDR is turned into an integer range at compile time, and tested against the `src_ip4`/`dst_ip4`
 * UINTEGER columns the workspace stores (a range test on integers, fast over tens of millions of rows),
 * or against an integer computed from any other text.
 * IPv6: an address is expanded in SQL to its 32 lower-case hex digits; fixed-width hex sorts like the
 * number, so a CIDR becomes a range of two such strings; a dotted IPv4 tail (`64:ff9b::8.8.8.8`) is its
 * last two groups.
 * An IPv4-mapped address (`::ffff:10.0.0.9`, `::ffff:a00:9`) is its IPv4 address, as Java's InetAddress and
 * so Trino read it: it has the IPv4 integer (the stored `src_ip4` too), which IPv4 ranges, the private and
 * public tests and the address lookups read; an IPv6 range still tests its 128 bits (`::ffff:0:0/96`).
 */

export interface Ipv4Range {
  family: 4;
  lo: number;
  hi: number;
}
export interface Ipv6Range {
  family: 6;
  lo: string;
  hi: string;
}
export type CidrRange = Ipv4Range | Ipv6Range;

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

/** The 32 hex digits of an IPv6 address, or undefined if it is not one. */
export function expandIpv6(text: string): string | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return all.map((g) => g.toLowerCase().padStart(4, '0')).join('');
}

/** The 32 hex digits of an IPv6 address, its last 32 bits written as dotted IPv4 or not (`::ffff:10.0.0.9`). */
export function ipv6Hex(text: string): string | undefined {
  const tail = /^(.*:)([^:]*\.[^:]*)$/.exec(text);
  const n = tail ? parseIpv4(tail[2]!) : undefined;
  if (tail && n === undefined) return undefined;
  return expandIpv6(n === undefined ? text : `${tail![1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`);
}

/** The first 96 bits of every IPv4-mapped address (`::ffff:0:0/96`), as hex. */
const MAPPED_HEX = '00000000000000000000ffff';

/** The IPv4 integer of a dotted IPv4 address or an IPv4-mapped IPv6 one (`::ffff:10.0.0.9`), else undefined. */
export function ipv4Of(text: string): number | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return v4;
  const hex = ipv6Hex(text);
  return hex?.startsWith(MAPPED_HEX) ? parseInt(hex.slice(24), 16) : undefined;
}

/** A CIDR (`10.0.0.0/8`, `2001:db8::/32`, `::ffff:10.0.0.0/104`) or a single address, as a range; undefined if malformed. */
export function parseCidr(text: string): CidrRange | undefined {
  const [addr, bitsText, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseIpv4(addr);
  if (v4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (bits > 32) return undefined;
    const size = 2 ** (32 - bits);
    const lo = Math.floor(v4 / size) * size;
    return { family: 4, lo, hi: lo + size - 1 };
  }
  const v6 = ipv6Hex(addr);
  if (v6 === undefined) return undefined;
  const bits = bitsText === undefined ? 128 : Number(bitsText);
  if (bits > 128) return undefined;
  const value = BigInt(`0x${v6}`);
  const size = 1n << BigInt(128 - bits);
  const lo = (value / size) * size;
  const hex = (n: bigint) => n.toString(16).padStart(32, '0');
  return { family: 6, lo: hex(lo), hi: hex(lo + size - 1n) };
}

/** SQL: the integer of `x`, text its caller has found to be a dotted quad. */
export function dottedQuadIntegerSql(x: string): string {
  const part = (i: number) => `CAST(split_part(${x}, '.', ${i}) AS UBIGINT)`;
  return `${part(1)} * 16777216 + ${part(2)} * 65536 + ${part(3)} * 256 + ${part(4)}`;
}

/** A number 0 to 255 of up to three digits, as an IPv4 address writes each of its four. */
const OCTET = '(?:25[0-5]|2[0-4]\\d|[01]?\\d?\\d)';

const DOTTED_QUAD = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;

/** A dotted quad without leading zeros, as the import's address check reads the tail of an IPv6 address. */
const STRICT_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const STRICT_QUAD = `${STRICT_OCTET}(\\.${STRICT_OCTET}){3}`;

/**
 * The text forms of the first six groups of an IPv4-mapped address, `0:0:0:0:0:ffff:`, as a regular
 * expression: written out, or with `::` for one to five of the zero groups (`::ffff:`, `0::ffff:`, …).
 */
const MAPPED_HEAD = (() => {
  const zeros = (n: string) => `(0{1,4}:){${n}}`;
  const compressed = [0, 1, 2, 3, 4].map((a) =>
    a === 0 ? `::${zeros('0,4')}` : `${zeros(String(a))}:${zeros(`0,${4 - a}`)}`,
  );
  return `(${zeros('5')}|${compressed.join('|')})[fF]{4}:`;
})();

/** An IPv4-mapped address, its last 32 bits dotted (`::ffff:10.0.0.9`) or as two groups (`::ffff:a00:9`). */
export const IPV4_MAPPED = `${MAPPED_HEAD}(${STRICT_QUAD}|[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4})`;

/**
 * SQL: the IPv4 integer of `x`, text with a `:` (the caller has tested it), when it is an IPv4-mapped
 * address; else NULL.
 */
export function mappedIpv4IntegerSql(x: string): string {
  const last = `regexp_extract(${x}, '[^:]*$')`;
  const group = (g: string) => `CAST('0x' || ${g} AS UBIGINT)`;
  return (
    `CASE WHEN NOT regexp_full_match(${x}, '${IPV4_MAPPED}') THEN NULL ` +
    `WHEN contains(${x}, '.') THEN ${dottedQuadIntegerSql(last)} ` +
    `ELSE ${group(`regexp_extract(${x}, '([^:]*):[^:]*$', 1)`)} * 65536 + ${group(last)} END`
  );
}

/**
 * SQL: the IPv4 text `x` as an integer, also for an IPv4-mapped address (`::ffff:10.0.0.9`), NULL if it is
 * not a dotted quad of numbers 0 to 255 (127.0.500.1 is not) or one mapped.
 */
export function ipv4IntegerSql(x: string): string {
  return `CASE WHEN contains(${x}, ':') THEN ${mappedIpv4IntegerSql(x)} ELSE ${dottedIpv4IntegerSql(x)} END`;
}

/** SQL: dotted IPv4 text `x` as an integer, NULL if it is not a dotted quad of numbers 0 to 255. */
function dottedIpv4IntegerSql(x: string): string {
  return `CASE WHEN regexp_full_match(${x}, '${DOTTED_QUAD}') THEN ${dottedQuadIntegerSql(x)} END`;
}

/**
 * SQL: the IPv6 text `x` as 32 lower-case hex digits, NULL if it has no `:`. Written without `range` and
 * `lpad`, which on a query connection are the guarded macros of `query-limits.ts`: those call error(), so
 * DuckDB takes them as volatile and its TRY (Athena's try()) would refuse the expression.
 */
export function ipv6HexSql(x: string): string {
  const groups = (s: string) => `CASE WHEN ${s} = '' THEN []::VARCHAR[] ELSE string_split(${s}, ':') END`;
  const left = groups(`split_part(${x}, '::', 1)`);
  const right = groups(`split_part(${x}, '::', 2)`);
  // A dotted IPv4 tail is one piece between colons and two groups of the address.
  const zeros = `list_slice(['0', '0', '0', '0', '0', '0', '0', '0'], 1, greatest(8 - len(${left}) - len(${right}) - CAST(contains(${x}, '.') AS INTEGER), 0))`;
  const filled = `list_concat(${left}, ${zeros}, ${right})`;
  const all = `CASE WHEN contains(${x}, '::') THEN ${filled} ELSE string_split(${x}, ':') END`;
  // lpad(g, 4, '0'): the first four characters, zeros before them up to four. A dotted tail is 8 hex digits
  // (not hex where it is no IPv4 address, which ip6_num reads as NULL).
  const tail = `coalesce(right('0000000' || lower(hex(${dottedIpv4IntegerSql('g')})), 8), 'xxxxxxxx')`;
  const group = `CASE WHEN contains(g, '.') THEN ${tail} ELSE right('0000' || left(lower(g), 4), 4) END`;
  return `CASE WHEN contains(${x}, ':') THEN array_to_string(list_transform(${all}, lambda g: ${group}), '') END`;
}

/**
 * SQL: the address is inside `range`. An IPv4 range tests the address's integer (`ip4Sql`, the stored
 * `src_ip4`/`dst_ip4` where there is one); an IPv6 range tests the text (`textSql`) expanded to hex, so every
 * spelling of one address (`2001:DB8::1`, `2001:db8:0:0:0:0:0:1`) is the same.
 */
export function cidrTestSql(range: CidrRange, ip4Sql: string, textSql: string): string {
  return range.family === 4
    ? `(${ip4Sql} BETWEEN ${range.lo} AND ${range.hi})`
    : `(${ipv6HexSql(textSql)} BETWEEN '${range.lo}' AND '${range.hi}')`;
}

export function ipv4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * 32 hex digits as an IPv6 address in its canonical text (RFC 5952: lower case, no leading zeros, the
 * longest run of two or more zero groups as `::`), the way AWS writes addresses in flow logs.
 */
export function ipv6Text(hex: string): string {
  const groups = (hex.match(/.{4}/g) ?? []).map((g) => g.replace(/^0+(?=.)/, ''));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`;
}
