/**
 * The enrichment functions and lookup tables for DuckDB SQL. The engine runs `enrichmentSql()` on every
 * connection when a workspace opens: TEMPORARY macros and tables, so nothing is written into the
 * workspace file (whose catalog must hold no macros) and user SQL, read-only, can call them.
 *
 * Names (each documented for completion in `SQL_ENRICHMENT_DOCS` below):
 *   protocol_name(protocol)            'TCP'              protocol_names(protocol, name, description)
 *   service_name(port, protocol)       'ssh'              service_names(port, protocol, transport, service)
 *   tcp_flag_names(tcp_flags)          'SYN,ACK'
 *   traffic_path_name(traffic_path)    'Through a virtual private gateway'
 *   ip4_to_int(text), ip6_hex(text), ip_in_cidr(addr, cidr), compare_cidr_prefix(a, b, bits)
 *   is_private_ip(addr), is_public_ip(addr), direction(srcaddr, dstaddr)
 */
import { ADDRESS_DATA_DOCS, ADDRESS_DATA_SCHEMA, addressDataMacros } from './address-data';
import { directionNameSql, inRangesSql, ip6First4Sql, rangeTestSql } from './address-sql';
import { DEFAULT_VPC_CIDRS, NON_HOST_RANGES, PRIVATE_RANGES, ranges } from './address-ranges';
import { ipv4IntegerSql, ipv6HexSql } from './ip';
import { TCP_FLAGS, TRAFFIC_PATHS } from './flow-codes';
import { IANA_PROTOCOLS } from './generated/iana-protocols';
import { IANA_SERVICES } from './generated/iana-services';
import type { Transport } from './protocols';
import { sqlString } from './sql-quote';

export interface EnrichmentOptions {
  /** The VPC's CIDR blocks for `direction`: the workspace's (set, or seen in the data); without any, the private ranges. */
  vpcCidrs?: readonly string[];
}

const TRANSPORT_PROTOCOL: Record<Transport, number> = { tcp: 6, udp: 17, sctp: 132 };
function addressMacros(): string[] {
  return [
    `CREATE OR REPLACE TEMP MACRO ip4_to_int(a) AS (${ipv4IntegerSql('a')})::UINTEGER`,
    `CREATE OR REPLACE TEMP MACRO ip6_hex(a) AS ${ipv6HexSql('a')}`,
    `CREATE OR REPLACE TEMP MACRO ip4_in_(x, net, bits) AS (x::UBIGINT >> (32 - bits)) = (net::UBIGINT >> (32 - bits))`,
    `CREATE OR REPLACE TEMP MACRO ip6_in_(h, n, bits) AS substr(h, 1, bits // 4) = substr(n, 1, bits // 4) AND ` +
      `(bits % 4 = 0 OR (TRY_CAST('0x' || substr(h, bits // 4 + 1, 1) AS INTEGER) >> (4 - bits % 4)) = ` +
      `(TRY_CAST('0x' || substr(n, bits // 4 + 1, 1) AS INTEGER) >> (4 - bits % 4)))`,
    `CREATE OR REPLACE TEMP MACRO ip_in_cidr(a, c) AS CASE WHEN contains(c, ':') THEN ` +
      `ip6_in_(ip6_hex(a), ip6_hex(split_part(c, '/', 1)), coalesce(TRY_CAST(nullif(split_part(c, '/', 2), '') AS INTEGER), 128)) ` +
      `ELSE ip4_in_(ip4_to_int(a), ip4_to_int(split_part(c, '/', 1)), coalesce(TRY_CAST(nullif(split_part(c, '/', 2), '') AS INTEGER), 32)) END`,
    `CREATE OR REPLACE TEMP MACRO compare_cidr_prefix(a, b, bits) AS ip4_in_(ip4_to_int(a), ip4_to_int(b), bits)`,
  ];
}

/**
 * Evaluates a value once and binds it, since a macro's parameters are
 * substituted as text and an address parsed in every range test would cost as many parses.
 */
const bindAddress = (textSql: string, body: string) =>
  `list_transform([{ip4: ip4_to_int(${textSql}), ip6: CASE WHEN contains(${textSql}, ':') THEN ip6_hex(${textSql}) END}], lambda x: ${body})[1]`;

function classificationMacros(vpcCidrs: readonly string[]): string[] {
  const x = { ip4: 'x.ip4', isIp6: 'x.ip6 IS NOT NULL', ip6hex: 'x.ip6', ip6first4: 'substr(x.ip6, 1, 4)' };
  const privateSql = inRangesSql(x, ranges(PRIVATE_RANGES.map((r) => r.cidr)));
  const publicSql = rangeTestSql(x, 'any', ranges([...PRIVATE_RANGES, ...NON_HOST_RANGES].map((r) => r.cidr)));
  const vpc = ranges(vpcCidrs);
  const inVpc = inRangesSql(x, vpc);
  return [
    `CREATE OR REPLACE TEMP MACRO is_private_ip(a) AS ${bindAddress('a', privateSql)}`,
    `CREATE OR REPLACE TEMP MACRO is_public_ip(a) AS ${bindAddress('a', publicSql)}`,
    `CREATE OR REPLACE TEMP MACRO in_vpc_(a) AS ${bindAddress('a', inVpc)}`,
    // The VPC test on an IPv4 integer and on IPv6 text, for compiled queries (see queries/language/enrichment-functions.ts).
    `CREATE OR REPLACE TEMP MACRO in_vpc4_(n) AS ${inRangesSql({ ip4: 'n', isIp6: 'false', ip6hex: 'NULL', ip6first4: 'NULL' }, vpc)}`,
    `CREATE OR REPLACE TEMP MACRO in_vpc6_(t) AS ${inRangesSql({ ip4: 'NULL', isIp6: 'true', ip6hex: 'ip6_hex(t)', ip6first4: ip6First4Sql('t') }, vpc)}`,
    `CREATE OR REPLACE TEMP MACRO direction(s, d) AS ` +
      directionNameSql('CAST(in_vpc_(s) AS INTEGER) * 2 + CAST(in_vpc_(d) AS INTEGER)'),
  ];
}

function codeMacros(): string[] {
  const protocolList = Array.from({ length: 256 }, (_, n) => {
    const keyword = IANA_PROTOCOLS.find(([p]) => p === n)?.[1];
    return keyword ? sqlString(keyword) : 'NULL';
  });
  const flags = TCP_FLAGS.map(([name, bit]) => `CASE WHEN (f & ${bit}) <> 0 THEN ${sqlString(name)} END`);
  const paths = TRAFFIC_PATHS.map(([n, text]) => `WHEN ${n} THEN ${sqlString(text)}`).join(' ');
  return [
    `CREATE OR REPLACE TEMP MACRO protocol_name(p) AS CASE WHEN p BETWEEN 0 AND 255 THEN [${protocolList.join(', ')}][p::INTEGER + 1] END`,
    `CREATE OR REPLACE TEMP MACRO tcp_flag_names(f) AS CASE WHEN f IS NOT NULL THEN concat_ws(',', ${flags.join(', ')}) END`,
    `CREATE OR REPLACE TEMP MACRO traffic_path_name(t) AS CASE t ${paths} END`,
    // The table's columns are renamed in a derived table so that an argument naming a column of the
    // caller (`protocol`) cannot bind to the table's column of the same name inside the subquery.
    `CREATE OR REPLACE TEMP MACRO service_name(port_, protocol_) AS ` +
      `(SELECT svc_ FROM (SELECT port AS port__, protocol AS protocol__, service AS svc_ FROM service_names) WHERE port__ = port_ AND protocol__ = protocol_)`,
  ];
}

function lookupTables(): string[] {
  const protocols = IANA_PROTOCOLS.map(
    ([n, keyword, description]) => `(${n}, ${keyword ? sqlString(keyword) : 'NULL'}, ${sqlString(description)})`,
  );
  // One string literal per transport parses far faster than a VALUES list of thousands of rows.
  const services = (Object.keys(TRANSPORT_PROTOCOL) as Transport[]).map(
    (t) =>
      `SELECT split_part(pair, ':', 1)::INTEGER, ${TRANSPORT_PROTOCOL[t]}, '${t}', split_part(pair, ':', 2) ` +
      `FROM (SELECT unnest(string_split(${sqlString(IANA_SERVICES[t])}, ' ')) AS pair)`,
  );
  return [
    `CREATE OR REPLACE TEMP TABLE protocol_names (protocol SMALLINT PRIMARY KEY, name VARCHAR, description VARCHAR)`,
    `INSERT INTO protocol_names VALUES ${protocols.join(', ')}`,
    `CREATE OR REPLACE TEMP TABLE service_names (port INTEGER, protocol SMALLINT, transport VARCHAR, service VARCHAR, PRIMARY KEY (port, protocol))`,
    `INSERT INTO service_names ${services.join(' UNION ALL ')}`,
  ];
}

/** The functions and tables above as SQL completion shows them. */
export const SQL_ENRICHMENT_DOCS: readonly {
  name: string;
  kind: 'function' | 'table';
  signature: string;
  doc: string;
}[] = [
  {
    name: 'protocol_name',
    kind: 'function',
    signature: 'protocol_name(protocol)',
    doc: 'IANA keyword of an IP protocol number: 6 → TCP',
  },
  {
    name: 'service_name',
    kind: 'function',
    signature: 'service_name(port, protocol)',
    doc: 'IANA service name of a TCP/UDP/SCTP port: service_name(22, 6) → ssh',
  },
  {
    name: 'tcp_flag_names',
    kind: 'function',
    signature: 'tcp_flag_names(tcp_flags)',
    doc: 'TCP flags of a tcp-flags bitmask: 18 → SYN,ACK',
  },
  {
    name: 'traffic_path_name',
    kind: 'function',
    signature: 'traffic_path_name(traffic_path)',
    doc: 'Meaning of a traffic-path code (1 to 8)',
  },
  {
    name: 'ip_in_cidr',
    kind: 'function',
    signature: "ip_in_cidr(addr, '10.0.0.0/8')",
    doc: 'True if an IPv4 or IPv6 address is inside the CIDR block (faster on IPv4: src_ip4/dst_ip4 BETWEEN)',
  },
  {
    name: 'is_private_ip',
    kind: 'function',
    signature: 'is_private_ip(addr)',
    doc: 'True for RFC 1918, 100.64/10, link-local, loopback, IPv6 ULA/link-local/loopback',
  },
  {
    name: 'is_public_ip',
    kind: 'function',
    signature: 'is_public_ip(addr)',
    doc: 'True for a valid address that is not private, multicast, broadcast or unspecified',
  },
  {
    name: 'direction',
    kind: 'function',
    signature: 'direction(srcaddr, dstaddr)',
    doc: 'inbound, outbound, internal or external relative to the VPC ranges (set in the workspace, or seen in the data)',
  },
  {
    name: 'compare_cidr_prefix',
    kind: 'function',
    signature: 'compare_cidr_prefix(ip1, ip2, bits)',
    doc: 'True if two IPv4 addresses share their first `bits` bits',
  },
  {
    name: 'ip4_to_int',
    kind: 'function',
    signature: 'ip4_to_int(addr)',
    doc: 'An IPv4 address as an unsigned integer (NULL if not IPv4)',
  },
  {
    name: 'ip6_hex',
    kind: 'function',
    signature: 'ip6_hex(addr)',
    doc: 'An IPv6 address as 32 hex digits (NULL if not IPv6)',
  },
  {
    name: 'protocol_names',
    kind: 'table',
    signature: 'protocol_names(protocol, name, description)',
    doc: 'The IANA protocol-number registry',
  },
  {
    name: 'service_names',
    kind: 'table',
    signature: 'service_names(port, protocol, transport, service)',
    doc: 'The IANA service-name registry for TCP, UDP and SCTP',
  },
  ...ADDRESS_DATA_DOCS,
];

/** Every statement, in order: tables first (service_name reads one), then the macros. */
export function enrichmentSql(options: EnrichmentOptions = {}): string[] {
  return [
    ...ADDRESS_DATA_SCHEMA,
    ...lookupTables(),
    ...addressMacros(),
    ...classificationMacros(options.vpcCidrs ?? DEFAULT_VPC_CIDRS),
    ...codeMacros(),
    ...addressDataMacros(),
  ];
}
