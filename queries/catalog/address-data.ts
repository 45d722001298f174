/**
 * Who an internet address belongs to, from open data read at run time (never downloaded by Flowscope):
 *
 *  - country: `@ip-location-db/geo-whois-asn-country` (CC0; its sources: GeoFeed, the five RIRs' whois and
 *    their ASN statistics, the latter CC BY 4.0 by the NRO), ISO 3166-1 alpha-2 codes, named in English
 *    from `i18n-iso-countries` (MIT);
 *  - autonomous system: `@ip-location-db/asn` (CC BY 4.0: RouteViews and DB-IP's IP to ASN Lite);
 *  - AWS service and region: AWS's own `ip-ranges.json`, which the analyst fetches with
 *    `flowscope aws ip-ranges --refresh` (`aws-ip-ranges.ts` flattens it into disjoint ranges).
 *
 * The engine keeps the ranges in tables of an in-memory database attached to the workspace's instance as
 * `enrich` (shared by its connections, never written into the workspace file), read by DuckDB from the
 * packages' CSVs (addresses as integers; IPv6 as 128-bit ones) the first time a query needs them. The ranges
 * are made disjoint as they are read (where the packages' ranges overlap, each piece takes the narrowest
 * range's value), so that a lookup is an ASOF join: the range with the greatest start at or below the
 * address, which holds it if it ends at or after it. DuckDB sorts both sides once and merges them, which for
 * 820,000 distinct addresses took 0.1 s; the equality join on 65,536-address blocks it replaces took 2.7 s
 * and, beside the rest of a dashboard, more memory than a workspace allows.
 *
 * SQL names (TEMP macros on every query connection, like the rest of enrichment; any query may call them):
 *   geo_country(addr)        'US'                     enrich.countries(code, name, iso_numeric)
 *   geo_country_name(addr)   'United States of America'
 *   asn_number(addr)         15169
 *   asn_org(addr)            'Google LLC'
 *   aws_service(addr)        'EC2' (the most specific range; AMAZON when no narrower service is listed)
 *   aws_region(addr)         'us-east-1' (GLOBAL for edge ranges)
 * Every one is NULL for an address no range holds (private addresses among them).
 */
import { NON_HOST_RANGES, PRIVATE_RANGES, RESERVED_IPV4_RANGES, ranges } from './address-ranges';
import { sqlString } from './sql-quote';

/** The address data sets; each is loaded into its tables at once, the first time a query names one of its functions. */
export type AddressDataSet = 'geo' | 'asn' | 'aws';

/** The macros that read each data set, to tell from a query's SQL what it needs. */
const USES: Record<AddressDataSet, RegExp> = {
  geo: /\bgeo_(country\w*|row_k)\s*\(|\benrich\.(geo4|geo6|countries)\b/i,
  asn: /\basn_(number\w*|org\w*|row_k)\s*\(|\benrich\.(asn4|asn6)\b/i,
  aws: /\baws_(service\w*|region\w*|row_k)\s*\(|\benrich\.(aws4|aws6)\b/i,
};

/** Each lookup macro: the data set it reads and the value of the range it answers. */
export const LOOKUPS = {
  geo_country: { set: 'geo', value: 'cc' },
  geo_country_name: { set: 'geo', value: 'name' },
  asn_number: { set: 'asn', value: 'asn' },
  asn_org: { set: 'asn', value: 'org' },
  aws_service: { set: 'aws', value: 'service' },
  aws_region: { set: 'aws', value: 'region' },
} as const satisfies Record<string, { set: AddressDataSet; value: string }>;

export function addressDataUsed(sql: string): AddressDataSet[] {
  return (Object.keys(USES) as AddressDataSet[]).filter((set) => USES[set].test(sql));
}

/**
 * The empty tables, created when the instance opens so that the macros can name them (and, as a no-op then,
 * before the macros on every connection, so that an instance made elsewhere, as in tests, has them too).
 */
export const ADDRESS_DATA_SCHEMA: readonly string[] = [
  "ATTACH IF NOT EXISTS ':memory:' AS enrich",
  'CREATE TABLE IF NOT EXISTS enrich.geo4 (lo UINTEGER, hi UINTEGER, cc VARCHAR, name VARCHAR)',
  'CREATE TABLE IF NOT EXISTS enrich.geo6 (lo UHUGEINT, hi UHUGEINT, cc VARCHAR, name VARCHAR)',
  'CREATE TABLE IF NOT EXISTS enrich.countries (code VARCHAR, name VARCHAR, iso_numeric VARCHAR)',
  'CREATE TABLE IF NOT EXISTS enrich.asn4 (lo UINTEGER, hi UINTEGER, asn UINTEGER, org VARCHAR)',
  'CREATE TABLE IF NOT EXISTS enrich.asn6 (lo UHUGEINT, hi UHUGEINT, asn UINTEGER, org VARCHAR)',
  'CREATE TABLE IF NOT EXISTS enrich.aws4 (lo UINTEGER, hi UINTEGER, service VARCHAR, region VARCHAR)',
  'CREATE TABLE IF NOT EXISTS enrich.aws6 (lo UHUGEINT, hi UHUGEINT, service VARCHAR, region VARCHAR)',
];

/** The table of a data set's ranges, by family. */
const COLUMNS: Record<AddressDataSet, string> = {
  geo: "'cc': 'VARCHAR'",
  asn: "'asn': 'UINTEGER', 'org': 'VARCHAR'",
  aws: "'service': 'VARCHAR', 'region': 'VARCHAR'",
};

/** The names of a data set's value columns in its files, after its range columns. */
function restOf(set: AddressDataSet): string {
  return COLUMNS[set].replace(/'(\w+)': '\w+'/g, '$1');
}

/**
 * The value columns its tables keep: for geo also the country's name, so that a name is one lookup like the
 * code (a name looked up by the code a lookup answered nests one correlated subquery in another, which
 * DuckDB ran at some 0.1 ms a distinct address: two minutes for a busy VPC's 10 M records).
 */
function storedOf(set: AddressDataSet): string {
  return set === 'geo' ? `${restOf(set)}, name` : restOf(set);
}

/** The ranges of `sql` with what the tables keep beside them: for geo, the name of each range's country. */
function withNames(sql: string, set: AddressDataSet): string {
  return set === 'geo' ? `SELECT r.*, c.name FROM (${sql}) AS r LEFT JOIN enrich.countries AS c ON c.code = r.cc` : sql;
}

/** Files the engine stages for a data set: `lo,hi,…` lines, addresses as integers (IPv6 as 128-bit ones). */
export interface StagedAddressFiles {
  ipv4: string;
  ipv6: string;
}

/** Empties a data set's tables (and, for geo, the countries), before they are filled again. */
function emptySql(set: AddressDataSet, countries: boolean): string[] {
  return [
    `DELETE FROM enrich.${set}4`,
    `DELETE FROM enrich.${set}6`,
    ...(countries ? ['DELETE FROM enrich.countries'] : []),
  ];
}

function countriesSql(countries: string | undefined): string[] {
  return countries
    ? [
        `INSERT INTO enrich.countries SELECT * FROM read_csv(${sqlString(countries)}, header = false, quote = '"', escape = '"', ` +
          `columns = {'code': 'VARCHAR', 'name': 'VARCHAR', 'iso_numeric': 'VARCHAR'})`,
      ]
    : [];
}

/** Each address family's integer type and its largest value. */
const FAMILY = {
  4: { type: 'UINTEGER', max: '4294967295' },
  6: { type: 'UHUGEINT', max: '340282366920938463463374607431768211455' },
} as const;

/**
 * The ranges of `source` (columns lo, hi and the data set's values) made disjoint: a range that overlaps
 * none is kept as it is; the ranges that overlap (found as intervals are merged: sorted by start, a range
 * that starts within the reach of those before it joins their cluster) are cut at every start and end in
 * their cluster, and each piece takes the value of the narrowest range that holds it, as a lookup answered
 * before the ranges were cut (6,825 of the country data's 334,373 IPv4 ranges start inside an earlier one).
 */
function disjointRangesSql(source: string, set: AddressDataSet, family: 4 | 6): string {
  const rest = restOf(set);
  const { type, max } = FAMILY[family];
  const values = rest.split(', ');
  const byWidth = `arg_min({${values.map((v) => `'${v}': o.${v}`).join(', ')}}, o.hi - o.lo)`;
  return (
    `WITH r AS (SELECT lo, hi, ${rest} FROM ${source}), ` +
    `c AS (SELECT *, sum(CASE WHEN lo <= reach THEN 0 ELSE 1 END) OVER (ORDER BY lo, hi DESC ROWS UNBOUNDED PRECEDING) AS cluster ` +
    `FROM (SELECT *, max(hi) OVER (ORDER BY lo, hi DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM r)), ` +
    `n AS (SELECT *, count(*) OVER (PARTITION BY cluster) AS size FROM c), ` +
    `o AS (SELECT * FROM n WHERE size > 1), ` +
    `p AS (SELECT cluster, lo AS s FROM o UNION SELECT cluster, hi + 1 FROM o WHERE hi < ${max}::${type}), ` +
    `piece AS (SELECT cluster, s AS lo, coalesce(lead(s) OVER (PARTITION BY cluster ORDER BY s) - 1, ${max}::${type}) AS hi FROM p) ` +
    `SELECT lo, hi, ${rest} FROM n WHERE size = 1 ` +
    `UNION ALL SELECT lo, hi, ${values.map((v) => `v.${v}`).join(', ')} FROM (` +
    `SELECT piece.lo, piece.hi, ${byWidth} AS v FROM piece JOIN o ON o.cluster = piece.cluster AND piece.lo BETWEEN o.lo AND o.hi ` +
    `GROUP BY piece.lo, piece.hi)`
  );
}

/**
 * Statements that fill a data set's tables from its staged files (and, for geo, `code,name,numeric`
 * country lines), their ranges made disjoint. What the tables held before is replaced (AWS's file is loaded
 * again when the analyst fetched a newer one).
 */
export function addressDataLoadSql(set: AddressDataSet, files: StagedAddressFiles, countries?: string): string[] {
  const csv = (path: string, family: 4 | 6) =>
    `read_csv(${sqlString(path)}, header = false, quote = '"', escape = '"', ` +
    `columns = {'lo': '${FAMILY[family].type}', 'hi': '${FAMILY[family].type}', ${COLUMNS[set]}})`;
  return [
    ...emptySql(set, countries !== undefined),
    ...countriesSql(countries),
    `INSERT INTO enrich.${set}4 ${withNames(disjointRangesSql(csv(files.ipv4, 4), set, 4), set)}`,
    `INSERT INTO enrich.${set}6 ${withNames(disjointRangesSql(csv(files.ipv6, 6), set, 6), set)}`,
  ];
}

/**
 * A data set's filled tables written as Parquet files, and read back from them: about 40 ms of CPU against
 * 1 to 3 s for reading and expanding the packages' CSVs, which every process paid on its first lookup.
 * Parquet has no 128-bit integer (DuckDB writes a UHUGEINT as a DOUBLE, which moved IPv6 range ends and
 * answered wrong countries), so each IPv6 range end is kept as two 64-bit halves.
 */
export function addressDataSaveSql(set: AddressDataSet, files: StagedAddressFiles): string[] {
  const halves = (c: string) => `(${c} >> 64)::UBIGINT AS ${c}_high, (${c} & ${LOW_64_BITS})::UBIGINT AS ${c}_low`;
  return [
    `COPY enrich.${set}4 TO ${sqlString(files.ipv4)} (FORMAT parquet)`,
    `COPY (SELECT ${halves('lo')}, ${halves('hi')}, ${storedOf(set)} FROM enrich.${set}6) TO ${sqlString(files.ipv6)} (FORMAT parquet)`,
  ];
}

export function addressDataSavedLoadSql(set: AddressDataSet, files: StagedAddressFiles, countries?: string): string[] {
  const whole = (c: string) => `(${c}_high::UHUGEINT << 64) + ${c}_low`;
  return [
    ...emptySql(set, countries !== undefined),
    `INSERT INTO enrich.${set}4 SELECT * FROM read_parquet(${sqlString(files.ipv4)})`,
    `INSERT INTO enrich.${set}6 SELECT ${whole('lo')}, ${whole('hi')}, ${storedOf(set)} FROM read_parquet(${sqlString(files.ipv6)})`,
    ...countriesSql(countries),
  ];
}

const LOW_64_BITS = '18446744073709551615::UHUGEINT';

/**
 * The lookup of an address key in one family's ranges of a data set, answering `value` (SQL over the range
 * `r`). Each family's join reads only its own keys (DuckDB decorrelates both subqueries for every key, and an
 * IPv6 join over the IPv4 keys sorted them all for nothing), IPv4 keys as IPv4 integers (a try_cast: DuckDB
 * may compute the select list before the filter).
 */
function familyLookup(set: AddressDataSet, f: 4 | 6, value: string): string {
  return (
    `(SELECT CASE WHEN q.key <= r.hi THEN ${value} END FROM (SELECT ${f === 4 ? 'try_cast(k AS UINTEGER)' : 'k'} AS key ` +
    `WHERE k ${f === 4 ? '<' : '>='} 4294967296) AS q ASOF JOIN enrich.${set}${f} AS r ON q.key >= r.lo)`
  );
}

/**
 * One value of a data set for an address key: `name_k(k)` takes one 128-bit number, the IPv4 integer
 * (below 2^32) or the IPv6 number; `name(a)` takes the text. DuckDB evaluates a correlated subquery once
 * per distinct key (here: one ASOF join of the distinct keys with the ranges) and joins each record back to
 * its answer on the key: one integer column keeps that join as cheap as a GROUP BY (a text key, or a second
 * argument for IPv6, tripled its cost).
 */
function lookupMacros(name: string, set: AddressDataSet, value: string): string[] {
  return [
    `CREATE OR REPLACE TEMP MACRO ${name}_k(k) AS ${placed(set, `coalesce(${familyLookup(set, 4, `r.${value}`)}, ${familyLookup(set, 6, `r.${value}`)})`)}`,
    // The key computed once and passed on as a column: a macro's parameter is pasted wherever it is named.
    `CREATE OR REPLACE TEMP MACRO ${name}(a) AS (SELECT ${name}_k(key) FROM (SELECT ip_key(a) AS key))`,
  ];
}

/**
 * Every value of a data set for an address key at once, as a struct (`geo_row_k(k).name`): DuckDB runs each
 * correlated subquery of a SELECT on its own, so a country's code and name looked up beside each other cost
 * two joins of every distinct address with the ranges (the Sumo location panels' `lookup … country_code,
 * country_name`: over 2 million addresses, half the panel's time); read from one row, they cost one.
 */
function lookupRowMacro(set: AddressDataSet): string {
  const row = `{${storedOf(set)
    .split(', ')
    .map((v) => `'${v}': r.${v}`)
    .join(', ')}}`;
  return `CREATE OR REPLACE TEMP MACRO ${set}_row_k(k) AS ${placed(set, `coalesce(${familyLookup(set, 4, row)}, ${familyLookup(set, 6, row)})`)}`;
}

/**
 * Addresses of no country: the special-use blocks (RFC 5735's, the IPv6 documentation prefix of RFC 3849,
 * private, link-local, multicast). The whois data gives some a country (198.51.100.0/24 and 203.0.113.0/24,
 * the documentation ranges of AWS's own examples, read Australia, 2001:db8::/32 Japan), which put them on
 * the world map; a geolocation database has none for them.
 */
const NO_COUNTRY = ranges([
  ...RESERVED_IPV4_RANGES.map((r) => r.cidr),
  '2001:db8::/32',
  ...[...PRIVATE_RANGES, ...NON_HOST_RANGES].map((r) => r.cidr).filter((c) => c.includes(':')),
]);

/** The lookup `sql` of an address key `k`, NULL for an address of no country where the data set is geo. */
function placed(set: AddressDataSet, sql: string): string {
  if (set !== 'geo') return sql;
  const bound = (n: number | string) => (typeof n === 'number' ? String(n) : `${BigInt(`0x${n}`)}::UHUGEINT`);
  const none = NO_COUNTRY.map((r) => `k BETWEEN ${bound(r.lo)} AND ${bound(r.hi)}`).join(' OR ');
  return `CASE WHEN ${none} THEN NULL ELSE ${sql} END`;
}

/** The lookup macros (after the address macros `ip4_to_int`/`ip6_hex` they use). */
export function addressDataMacros(): string[] {
  return [
    // 32 hex digits as the 128-bit number they write (DuckDB casts no hex text to UHUGEINT): two 64-bit halves,
    // NULL for text that is no address (a lookup answers NULL for it, not an error for the whole query).
    // (Bound once by a lambda: `h` is the whole IPv6 expansion, and it is read twice.)
    `CREATE OR REPLACE TEMP MACRO ip6_num(h) AS list_transform([h], lambda x: (TRY_CAST('0x' || substr(x, 1, 16) AS UBIGINT)::UHUGEINT << 64) + TRY_CAST('0x' || substr(x, 17, 16) AS UBIGINT))[1]`,
    // An address as the key of the lookups: its IPv4 integer (an IPv4-mapped address's too), or its IPv6 number.
    `CREATE OR REPLACE TEMP MACRO ip_key(a) AS coalesce(ip4_to_int(a)::UHUGEINT, ` +
      `CASE WHEN contains(a, ':') THEN ip6_num(ip6_hex(a)) END)`,
    ...Object.entries(LOOKUPS).flatMap(([name, l]) => lookupMacros(name, l.set, l.value)),
    ...(['geo', 'asn', 'aws'] as const).map(lookupRowMacro),
  ];
}

/** The SQL names above, for SQL completion and docs. */
export const ADDRESS_DATA_DOCS: readonly {
  name: string;
  kind: 'function' | 'table';
  signature: string;
  doc: string;
}[] = [
  {
    name: 'geo_country',
    kind: 'function',
    signature: 'geo_country(addr)',
    doc: "ISO country code of a public address: '8.8.8.8' → US",
  },
  {
    name: 'geo_country_name',
    kind: 'function',
    signature: 'geo_country_name(addr)',
    doc: 'English name of the country of a public address',
  },
  {
    name: 'asn_number',
    kind: 'function',
    signature: 'asn_number(addr)',
    doc: 'Autonomous system number of a public address: 15169',
  },
  {
    name: 'asn_org',
    kind: 'function',
    signature: 'asn_org(addr)',
    doc: 'Organization of the autonomous system of a public address',
  },
  {
    name: 'aws_service',
    kind: 'function',
    signature: 'aws_service(addr)',
    doc: "AWS service of an AWS address (AWS's ip-ranges.json): EC2, S3, …",
  },
  {
    name: 'aws_region',
    kind: 'function',
    signature: 'aws_region(addr)',
    doc: "AWS Region of an AWS address (AWS's ip-ranges.json): us-east-1, …",
  },
  {
    name: 'enrich.countries',
    kind: 'table',
    signature: 'enrich.countries(code, name, iso_numeric)',
    doc: 'ISO 3166-1 countries: alpha-2 code, English name, numeric code',
  },
];
