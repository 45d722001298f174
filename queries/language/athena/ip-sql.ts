/**
 * Trino's IPADDRESS in DuckDB. A value is carried as the 32 lower-case hex digits of its 128-bit form,
 * IPv4 mapped into IPv6 (`::ffff:a.b.c.d`) as Trino does, so that text comparison orders addresses as
 * Trino orders them. Casting text that is not an address fails as in Trino ("Cannot cast value to
 * IPADDRESS"), which is why the published queries keep `logstatus = 'OK'` before their casts.
 *
 * Where the text is a stored address, the workspace's integer column (`src_ip4`) answers IPv4 addresses
 * without parsing text: `contains('10.0.0.0/8', CAST(srcaddr AS IPADDRESS))` is an integer range test.
 */
import { dottedQuadIntegerSql, expandIpv6, ipv6HexSql, parseCidr, parseIpv4, type CidrRange } from '../../catalog/ip';
import { bindOnce } from './bind-sql';

export const V4_PREFIX = '00000000000000000000ffff';

/** A dotted IPv4 address, each octet 0 to 255 (a regular expression in SQL text). */
const DOTTED = '(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}';

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * SQL: an IPv4 integer as 8 hex digits. Not lpad, nor range below: on a query connection those are guarded
 * macros that call error() (query-limits.ts), which DuckDB's TRY, Athena's try(), refuses as volatile.
 */
const hex8Sql = (n: string) => `right('0000000' || lower(hex(${n})), 8)`;

/** The hex form of an address literal, or null if the text is not an address. */
export function ipLiteralHex(text: string): string | null {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return V4_PREFIX + hex8(v4);
  const tail = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail) {
    const embedded = parseIpv4(tail[2]!);
    if (embedded === undefined) return null;
    const head = expandIpv6(`${tail[1]}${(embedded >>> 16).toString(16)}:${(embedded & 0xffff).toString(16)}`);
    return head ?? null;
  }
  return expandIpv6(text) ?? null;
}

/**
 * SQL: IPv6 text whose last 32 bits are written as dotted IPv4 (`::ffff:10.0.0.1`, `64:ff9b::192.0.2.33`)
 * with them as two hex groups, as ipLiteralHex reads a literal; NULL if that tail is not an IPv4 address.
 */
function hexTail(t: string): string {
  const tail = dottedQuadIntegerSql(`regexp_extract(${t}, '[^:]*$')`);
  const groups = bindOnce(tail, 'n_', `lower(hex(n_ >> 16)) || ':' || lower(hex(n_ & 65535))`);
  return (
    `CASE WHEN regexp_full_match(${t}, '[0-9a-fA-F:]*:${DOTTED}') THEN regexp_replace(${t}, '[^:]*$', '') || ${groups} ` +
    `WHEN contains(${t}, '.') THEN NULL ELSE ${t} END`
  );
}

/**
 * SQL: the IPADDRESS (hex) of address text; text that is not an address fails as Trino's CAST does, or is
 * NULL for TRY_CAST. `ip4` is the address's IPv4 integer where the workspace stores it.
 */
export function ipFromTextSql(text: string, ip4: string | undefined, invalid: 'fail' | 'null'): string {
  const generic = (t: string) => {
    const otherwise = invalid === 'fail' ? `error('Cannot cast value to IPADDRESS: ' || ${t})` : 'NULL';
    const ipv6 = bindOnce(
      hexTail(t),
      'v_',
      bindOnce(
        ipv6HexSql('v_'),
        'x_',
        `CASE WHEN regexp_full_match(coalesce(v_, ''), '[0-9a-fA-F:]+') AND regexp_full_match(coalesce(x_, ''), '[0-9a-f]{32}') THEN x_ ELSE ${otherwise} END`,
      ),
    );
    return (
      `CASE WHEN ${t} IS NULL THEN NULL ` +
      `WHEN regexp_full_match(${t}, '${DOTTED}') ` +
      `THEN '${V4_PREFIX}' || ${hex8Sql(`CAST(${dottedQuadIntegerSql(t)} AS UINTEGER)`)} ELSE ${ipv6} END`
    );
  };
  const simple = /^[\w."]+$/.test(text) || /^coalesce\([\w."]+, '-'\)$/.test(text);
  const parsed = simple ? generic(text) : bindOnce(text, 'a_', generic('a_'));
  return ip4 ? `CASE WHEN ${ip4} IS NOT NULL THEN '${V4_PREFIX}' || ${hex8Sql(ip4)} ELSE ${parsed} END` : parsed;
}

/** SQL: an IPADDRESS (hex) as Trino prints it: dotted IPv4, or IPv6 with its longest run of zero groups as `::`. */
export function ipToTextSql(hex: string): string {
  const body = (h: string) => {
    const octet = (i: number) => `CAST(('0x' || substr(${h}, ${25 + i * 2}, 2)) AS INTEGER)`;
    const dotted = `concat_ws('.', ${[0, 1, 2, 3].map(octet).join(', ')})`;
    const groups = `array_to_string(list_transform([0, 1, 2, 3, 4, 5, 6, 7], lambda i: coalesce(nullif(ltrim(substr(${h}, i * 4 + 1, 4), '0'), ''), '0')), ':')`;
    const compress = (g: string) => {
      const runs = [8, 7, 6, 5, 4, 3, 2].map((k) => {
        const pattern = `(^|:)0${'(:0)'.repeat(k - 1)}(:|$)`;
        return `WHEN regexp_matches(${g}, '${pattern}') THEN regexp_replace(${g}, '${pattern}', '::')`;
      });
      return `CASE ${runs.join(' ')} ELSE ${g} END`;
    };
    return `CASE WHEN ${h} IS NULL THEN NULL WHEN starts_with(${h}, '${V4_PREFIX}') THEN ${dotted} ELSE ${bindOnce(groups, 'g_', compress('g_'))} END`;
  };
  return /^[\w."]+$/.test(hex) ? body(hex) : bindOnce(hex, 'h_', body('h_'));
}

/**
 * A literal network as Trino's contains() reads it, or undefined where Trino's fails: no `/`, a blank, an
 * IPv4 network with host bits set (`10.0.0.1/8`; an IPv6 one's are masked, as Trino checks IPv4 only).
 */
export function trinoNetwork(text: string): CidrRange | undefined {
  // A network written with a dotted IPv4 tail (`::ffff:10.0.0.0/104`) is left to the run-time test, which
  // reads it as Trino does (an IPv4 address, so a prefix beyond 32 fails).
  const mixed = /:.*\./.test(text);
  const range = text.includes('/') && text === text.trim() && !mixed ? parseCidr(text) : undefined;
  return range?.family === 4 && parseIpv4(text.split('/')[0]!) !== range.lo ? undefined : range;
}

/** SQL: the upper or lower 64 bits of an IPADDRESS (hex), as a UBIGINT. */
const half = (hex: string, which: 'left' | 'right') => `CAST(('0x' || ${which}(${hex}, 16)) AS UBIGINT)`;

/**
 * SQL: Trino's contains(network, address) for a network known only as the query runs (a column of CIDRs
 * joined to the records; a literal one is a range test, in functions.ts). NULL when either is NULL; Trino's
 * errors for a network that is not a CIDR (`failure` makes the SQL of one); false across families, so an
 * IPv4 address is in no IPv6 network, `::/0` included; else whether the first bits of the prefix agree,
 * compared on the two 64-bit halves of the 128-bit form (an IPv4 prefix counts the 96 bits of ::ffff:).
 */
export function cidrContainsSql(network: string, address: string, failure: (message: string) => string): string {
  const v4 = (hex: string) => `starts_with(${hex}, '${V4_PREFIX}')`;
  const hostBits = `(32 - prefix_)`;
  const bits = `(prefix_ + CASE WHEN ${v4('base_')} THEN 96 ELSE 0 END)`;
  const samePrefix =
    `CASE WHEN ${bits} <= 64 THEN ${half('addr_', 'left')} >> (64 - ${bits}) = ${half('base_', 'left')} >> (64 - ${bits}) ` +
    `ELSE ${half('addr_', 'left')} = ${half('base_', 'left')} AND ${half('addr_', 'right')} >> (128 - ${bits}) = ${half('base_', 'right')} >> (128 - ${bits}) END`;
  const test =
    `CASE WHEN net_ IS NULL OR addr_ IS NULL THEN NULL ` +
    `WHEN NOT contains(net_, '/') THEN ${failure('Invalid CIDR')} ` +
    `WHEN base_ IS NULL THEN ${failure('Invalid network IP address')} ` +
    `WHEN prefix_ IS NULL THEN ${failure('Invalid CIDR')} ` +
    `WHEN prefix_ < 0 THEN ${failure('Invalid prefix length')} ` +
    `WHEN prefix_ > CASE WHEN ${v4('base_')} THEN 32 ELSE 128 END THEN ${failure('Prefix length exceeds address length')} ` +
    `WHEN ${v4('base_')} AND (${half('base_', 'right')} >> ${hostBits}) << ${hostBits} <> ${half('base_', 'right')} THEN ${failure('Invalid CIDR')} ` +
    `WHEN ${v4('addr_')} <> ${v4('base_')} THEN FALSE ELSE ${samePrefix} END`;
  const base = ipFromTextSql(`split_part(net_, '/', 1)`, undefined, 'null');
  const prefix = `TRY_CAST(split_part(net_, '/', 2) AS INTEGER)`;
  return bindOnce(
    network,
    'net_',
    bindOnce(address, 'addr_', bindOnce(base, 'base_', bindOnce(prefix, 'prefix_', test))),
  );
}

/**
 * SQL: contains(network, address) for a stored IPv4 address (`ip4`, its integer) and a network of IPv4 text,
 * the case of a join of the records to a list of CIDRs: shifts of integers, where the 128-bit test of
 * cidrContainsSql reads both as text for every pair (30,000 records and three networks took 3.4 s).
 * An IPv6 network holds no such address. Anything else, and a network Trino refuses (host bits set), is
 * `otherwise`.
 */
export function ipv4InNetworkSql(network: string, ip4: string, otherwise: string): string {
  const test = (net: string) => {
    const host = `(32 - CAST(split_part(${net}, '/', 2) AS INTEGER))`;
    const base = `CAST(${dottedQuadIntegerSql(`split_part(${net}, '/', 1)`)} AS UBIGINT)`;
    return (
      `CASE WHEN ${ip4} IS NOT NULL AND regexp_full_match(${net}, '${DOTTED}/(3[0-2]|[12]?[0-9])') ` +
      `AND (${base} >> ${host}) << ${host} = ${base} ` +
      `THEN CAST(${ip4} AS UBIGINT) >> ${host} = ${base} >> ${host} ` +
      // An IPv4 address is in no IPv6 network (whose text takes the 128-bit test most of the time).
      `WHEN ${ip4} IS NOT NULL AND regexp_full_match(${net}, '[0-9a-fA-F:]*:[0-9a-fA-F:]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])') THEN FALSE ` +
      `ELSE ${otherwise} END`
    );
  };
  return /^[\w."]+$/.test(network) ? test(network) : bindOnce(network, 'n_', test('n_'));
}
