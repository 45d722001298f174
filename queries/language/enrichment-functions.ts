/**
 * The enrichment functions as query functions of Insights and Sumo (registered in
 * `queries/language/functions.ts`). They compile to the SQL macros of `sql-macros.ts` (which the engine
 * creates on every query connection), except that an address test on the stored `srcaddr` or `dstaddr`
 * compares the integer `src_ip4`/`dst_ip4` columns instead of parsing text on every record.
 */
import type { Arg, FunctionDef } from './functions';
import { numeric, scalar, text, type ScalarArgs } from './builtin-functions';
import { directionNameSql, inRangesSql, ip6First4Sql, rangeTestSql, type AddressSql } from '../catalog/address-sql';
import { NON_HOST_RANGES, PRIVATE_RANGES, ranges } from '../catalog/address-ranges';
import { LOOKUPS } from '../catalog/address-data';

const BOTH = ['insights', 'sumo'] as const;
const INSIGHTS = ['insights'] as const;

/** The IPv4 integer and IPv6 hex SQL of an address argument, using the stored integer columns when it is one. */
export function addressSql(arg: Arg): AddressSql {
  const t = text(arg);
  const ip4 = arg.column === 'srcaddr' ? 'src_ip4' : arg.column === 'dstaddr' ? 'dst_ip4' : `ip4_to_int(${t})`;
  return { ip4, isIp6: `contains(${t}, ':')`, ip6hex: `ip6_hex(${t})`, ip6first4: ip6First4Sql(t) };
}

const privateRanges = ranges(PRIVATE_RANGES.map((r) => r.cidr));
/** Not an internet host's address: private, loopback, link-local, multicast, broadcast, unspecified. */
export const notPublicRanges = ranges([...PRIVATE_RANGES, ...NON_HOST_RANGES].map((r) => r.cidr));

function isPrivateSql(arg: Arg): string {
  return inRangesSql(addressSql(arg), privateRanges);
}

function isPublicSql(arg: Arg): string {
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
  return `(${directionNameSql(`${inside(src)} * 2 + ${inside(dst)}`)})`;
}

/** The lookup key of each stored address, a column `withAddressKeys` adds to the records (see there). */
const ADDRESS_KEYS: Record<string, { ip4: string; key: string }> = {
  srcaddr: { ip4: 'src_ip4', key: '_flowscope_src_key' },
  dstaddr: { ip4: 'dst_ip4', key: '_flowscope_dst_key' },
};

/**
 * SQL whose lookups read a key column, with each key computed from its stored address instead: the same key
 * (`ip_key` of the text is the IPv4 integer where there is one). For SQL over records grouped by their
 * address (`eager-stats.ts`), where the key column is not there and the text is cheaper to group by, this
 * names the stored columns a key reads; `withKeysFromText` then computes the keys themselves.
 */
export function addressKeysFromText(sql: string): string {
  return Object.entries(ADDRESS_KEYS).reduce(
    (out, [column, k]) => out.replace(new RegExp(`\\b${k.key}\\b`, 'g'), `ip_key("${column}")`),
    sql,
  );
}

/** A lookup macro's call on a key column: `geo_country_name_k(_flowscope_src_key)`. */
const LOOKUP_CALL = new RegExp(
  `\\b(${Object.keys(LOOKUPS).join('|')})_k\\((${Object.values(ADDRESS_KEYS)
    .map((k) => k.key)
    .join('|')})\\)`,
  'g',
);

/**
 * `sqls` with the lookups that read two values of one data set for one key (a country's code and its name)
 * reading both from the row `<set>_row_k` answers, a column `rows` computes (`address-data.ts`,
 * `lookupRowMacro`: one join of the addresses with the ranges instead of one per value).
 */
function sharingLookupRows(sqls: readonly string[]): { rows: string[]; sqls: string[] } {
  const lookup = (macro: string) => LOOKUPS[macro as keyof typeof LOOKUPS];
  const rowName = (macro: string, key: string) => `${key}_${lookup(macro).set}`;
  // Each row a lookup could read, by its column's name: the key and data set it is for, and the macros read.
  const rowsRead = new Map<string, { key: string; set: string; macros: Set<string> }>();
  for (const sql of sqls)
    for (const [, macro, key] of sql.matchAll(LOOKUP_CALL)) {
      const name = rowName(macro!, key!);
      const row = rowsRead.get(name) ?? { key: key!, set: lookup(macro!).set, macros: new Set<string>() };
      rowsRead.set(name, row);
      row.macros.add(macro!);
    }
  const shared = [...rowsRead].filter(([, row]) => row.macros.size > 1);
  const sharedNames = new Set(shared.map(([name]) => name));
  return {
    rows: shared.map(([name, row]) => `${row.set}_row_k(${row.key}) AS ${name}`),
    sqls: sqls.map((sql) =>
      sql.replace(LOOKUP_CALL, (call, macro: string, key: string) =>
        sharedNames.has(rowName(macro, key)) ? `${rowName(macro, key)}.${lookup(macro).value}` : call,
      ),
    ),
  };
}

/**
 * `from`, records grouped by their addresses, with the key columns that `sqls` read computed from the text
 * once per group (a lookup macro pastes its key wherever its body names it, and the country panel's two
 * lookups of `ip_key(text)` parsed each address eight times: 0.4 s of its 2.5 over 820,000 addresses), and
 * `sqls` over it, two values of one data set read from one lookup of the row (`sharingLookupRows`).
 */
export function withKeysFromText(from: string, sqls: readonly string[]): { from: string; sqls: string[] } {
  const used = Object.entries(ADDRESS_KEYS).filter(([, k]) => sqls.some((sql) => sql.includes(k.key)));
  if (used.length === 0) return { from, sqls: [...sqls] };
  const keyed = `(SELECT *, ${used.map(([column, k]) => `ip_key("${column}") AS ${k.key}`).join(', ')} FROM ${from})`;
  const shared = sharingLookupRows(sqls);
  return {
    from: shared.rows.length ? `(SELECT *, ${shared.rows.join(', ')} FROM ${keyed})` : keyed,
    sqls: shared.sqls,
  };
}

/**
 * A lookup in the address data (`queries/catalog/address-data.ts`). On a stored address it reads that
 * address's key column rather than computing the key from `src_ip4` and the text in place: DuckDB runs the
 * lookup's correlated subquery once per distinct value of the columns it reads and joins every record back
 * on them, and on one integer column that join costs half what it does on the integer and the text (a
 * country per destination of 5 M records: 0.45 s of CPU, against 0.9 s before and 0.95 s for the lookup
 * written by hand as a join).
 */
function addressLookupSql(macro: string, arg: Arg): string {
  const stored = arg.column === undefined ? undefined : ADDRESS_KEYS[arg.column];
  return `${macro}_k(${stored ? stored.key : `ip_key(${text(arg)})`})`;
}

/**
 * Compiled SQL whose lookups read a key column (`addressLookupSql`) gets it from every `main.flows` it
 * reads: the records with the keys added, the IPv4 integer where there is one and the text parsed only for
 * the others (CASE runs its ELSE only on the records it selects). DuckDB computes only the keys used and
 * still pushes the time range into the scan.
 */
export function withAddressKeys(sql: string): string {
  const used = Object.entries(ADDRESS_KEYS).filter(([, k]) => sql.includes(k.key));
  if (used.length === 0) return sql;
  const keys = used.map(
    ([column, k]) => `CASE WHEN ${k.ip4} IS NOT NULL THEN ${k.ip4}::UHUGEINT ELSE ip_key(${column}) END AS ${k.key}`,
  );
  return sql.replace(
    /\bFROM main\.flows\b(?!\s+AS\b)/g,
    `FROM (SELECT *, ${keys.join(', ')} FROM main.flows) AS flows`,
  );
}

const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, BOTH);

/**
 * A threat-list row `t` as JSON text, for Sumo's `raw`: a cell that holds a JSON array or object (a list's
 * `malware_families` column written `["Emotet"]`) is embedded as JSON, so `json field=raw
 * "malware_families[*]"` reads it as it reads CrowdStrike's record; other cells stay text.
 */
const RAW_THREAT_ROW =
  `(SELECT json_group_object(e.key, CASE WHEN json_type(e.value) = 'VARCHAR' AND json_valid(e.value->>'$') ` +
  `AND left(e.value->>'$', 1) IN ('[', '{') THEN (e.value->>'$')::JSON ELSE e.value END) ` +
  `FROM json_each(to_json(t)) AS e)::VARCHAR`;

/** Who an address belongs to, from open data shipped with Flowscope and AWS's ip-ranges.json. */
const ADDRESS_DATA_FUNCTIONS: FunctionDef[] = [
  fn(
    'geoCountry',
    1,
    1,
    'geoCountry(ip)',
    'ISO code of the country of a public address: 8.8.8.8 → US; null for private addresses (SQL: geo_country)',
    'string',
    ([a]) => addressLookupSql('geo_country', a!),
  ),
  fn(
    'geoCountryName',
    1,
    1,
    'geoCountryName(ip)',
    'English name of the country of a public address (SQL: geo_country_name)',
    'string',
    ([a]) => addressLookupSql('geo_country_name', a!),
  ),
  fn(
    'asnNumber',
    1,
    1,
    'asnNumber(ip)',
    'Number of the autonomous system that announces a public address: 8.8.8.8 → 15169 (SQL: asn_number)',
    'number',
    ([a]) => addressLookupSql('asn_number', a!),
  ),
  fn(
    'asnOrg',
    1,
    1,
    'asnOrg(ip)',
    'Organization of the autonomous system of a public address: 8.8.8.8 → Google LLC (SQL: asn_org)',
    'string',
    ([a]) => addressLookupSql('asn_org', a!),
  ),
  fn(
    'awsService',
    1,
    1,
    'awsService(ip)',
    "AWS service an address belongs to, from AWS's ip-ranges.json (flowscope aws ip-ranges --refresh): EC2, S3, … (SQL: aws_service)",
    'string',
    ([a]) => addressLookupSql('aws_service', a!),
  ),
  fn(
    'threatIntel',
    2,
    2,
    'threatIntel(indicator, "actor")',
    'A column of the threat list imported into the workspace (flowscope threat import) for an indicator: type, actor, threatlevel, or raw (the row as JSON, a cell holding a JSON array or object embedded as one); null when not listed',
    'string',
    ([indicator, column], ctx) => {
      const name = column!.expr.kind === 'string' ? column!.expr.value.toLowerCase() : '';
      if (!['indicator', 'type', 'actor', 'threatlevel', 'raw'].includes(name))
        throw ctx.problem(
          'threatIntel() takes the column as a quoted name: "type", "actor", "threatlevel" or "raw".',
          column!.expr.span,
        );
      const value = name === 'raw' ? RAW_THREAT_ROW : `t."${name}"`;
      return `(SELECT first(${value}) FROM "lookup_threat" AS t WHERE t.indicator = ${text(indicator!)})`;
    },
  ),
  fn(
    'awsRegion',
    1,
    1,
    'awsRegion(ip)',
    "AWS Region of an AWS address, from AWS's ip-ranges.json: us-east-1, … (SQL: aws_region)",
    'string',
    ([a]) => addressLookupSql('aws_region', a!),
  ),
];

export const ENRICHMENT_FUNCTIONS: FunctionDef[] = [
  ...ADDRESS_DATA_FUNCTIONS,
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
  // Sumo's isPrivateIP and isPublicIP are its own (sumo/functions.ts): IPv4 only, private meaning RFC 1918.
  scalar(
    'isPrivateIp',
    1,
    1,
    'isPrivateIp(ip)',
    'True for an address not routed on the internet: RFC 1918, 100.64/10, link-local, loopback, IPv6 fc00::/7, fe80::/10, ::1 (SQL: is_private_ip)',
    'boolean',
    ([a]) => isPrivateSql(a!),
    INSIGHTS,
  ),
  scalar(
    'isPublicIp',
    1,
    1,
    'isPublicIp(ip)',
    'True for an internet address: valid, not private, not multicast/broadcast/unspecified (SQL: is_public_ip)',
    'boolean',
    ([a]) => isPublicSql(a!),
    INSIGHTS,
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
