/**
 * The entity view's questions, each one DuckDB SQL statement over `flows` (the records of the workbench's
 * time range), run through `query.run` like any query the analyst types, and opened as such by "Open as
 * query". The entity is a parsed `Entity` (`entity.ts`), written in as a literal of a known shape.
 *
 * What "peer", "port" and "direction" mean here:
 *  - an address's peer is the other end of each of its records; an ENI's or a port's records are listed
 *    as conversations (source and destination), since either end may be the one that matters;
 *  - the port of a record is the lower of its two ports: flow logs keep both halves of a connection, and
 *    a reply's destination port is the client's ephemeral one, so "22 ssh" stays one row, not thousands;
 *  - direction is `direction(srcaddr, dstaddr)` against the workspace's VPC ranges (inbound, outbound,
 *    internal, external), as in every query language.
 */
import { sqlString } from '../../../queries/catalog/sql-quote';
import type { ChartSpec } from '../../../queries/chart/chart-choice';
import type { Entity } from './entity';

export type EntityPanelId =
  'summary' | 'overTime' | 'direction' | 'peers' | 'ports' | 'protocols' | 'interfaces' | 'about' | 'aws';

export interface EntityQuery {
  id: EntityPanelId;
  title: string;
  sql: string;
}

/** Rows a top-N panel shows. */
export const TOP_ROWS = 25;

/** The over-time panel's chart; the engine re-bins its minutes to the chart's width. */
export function overTimeChart(measure: 'bytes' | 'packets' | 'records'): ChartSpec {
  return { type: 'bar', x: 'minute', y: measure, series: 'action' };
}

const REJECTED = `count(*) FILTER (WHERE action = 'REJECT') AS rejected`;

function matchSql(entity: Entity): string {
  const v = entity.kind === 'port' ? entity.value : sqlString(entity.value);
  if (entity.kind === 'ip') return `srcaddr = ${v} OR dstaddr = ${v}`;
  if (entity.kind === 'eni') return `interface_id = ${v}`;
  return `srcport = ${v} OR dstport = ${v}`;
}

function statement(title: string, lines: string[]): string {
  return [`-- ${title}`, ...lines].join('\n');
}

export function entityQueries(entity: Entity): EntityQuery[] {
  const e = entity.value;
  const lit = sqlString(e);
  const where = `WHERE ${matchSql(entity)}`;
  const peer = `CASE WHEN srcaddr = ${lit} THEN dstaddr ELSE srcaddr END`;
  // Records added up per source and destination first: `direction()` then runs once per pair, not once
  // per record (on a busy address, several times faster).
  const pairs = [
    'WITH pairs AS (',
    '  SELECT',
    '    srcaddr,',
    '    dstaddr,',
    '    count(*) AS records,',
    '    sum(bytes) AS bytes,',
    '    sum(packets) AS packets,',
    `    count(*) FILTER (WHERE action = 'ACCEPT') AS accepted,`,
    `    ${REJECTED}`,
    '  FROM flows',
    `  ${where}`,
    '  GROUP BY ALL',
    ')',
  ];
  const q = (id: EntityPanelId, title: string, lines: string[]): EntityQuery => ({
    id,
    title,
    sql: statement(`${title} of ${e} (entity view)`, lines),
  });

  const queries: EntityQuery[] = [
    q('summary', 'Summary', [
      'SELECT',
      '  count(*) AS records,',
      '  sum(bytes) AS bytes,',
      '  sum(packets) AS packets,',
      `  count(*) FILTER (WHERE action = 'ACCEPT') AS accepted,`,
      `  ${REJECTED},`,
      `  sum(bytes) FILTER (WHERE action = 'REJECT') AS rejected_bytes,`,
      ...(entity.kind === 'ip'
        ? [`  count(DISTINCT ${peer}) AS peers,`]
        : ['  count(DISTINCT srcaddr) AS sources,', '  count(DISTINCT dstaddr) AS destinations,']),
      '  min(start_time) AS first_seen,',
      '  max(end_time) AS last_seen',
      'FROM flows',
      where,
    ]),
    q('overTime', 'Traffic over time', [
      'SELECT',
      `  time_bucket(INTERVAL '1 minute', start_time) AS minute,`,
      // NODATA and SKIPDATA records have no action: their log status stands in its place.
      '  coalesce(action, log_status) AS action,',
      '  sum(bytes) AS bytes,',
      '  sum(packets) AS packets,',
      '  count(*) AS records',
      'FROM flows',
      where,
      'GROUP BY ALL',
      'ORDER BY minute, action',
    ]),
    q('direction', 'Direction', [
      ...pairs,
      'SELECT',
      '  direction(srcaddr, dstaddr) AS direction,',
      '  sum(records) AS records,',
      '  sum(bytes) AS bytes,',
      '  sum(accepted) AS accepted,',
      '  sum(rejected) AS rejected',
      'FROM pairs',
      'GROUP BY ALL',
      'ORDER BY records DESC',
    ]),
    entity.kind === 'ip'
      ? q('peers', 'Peers', [
          ...pairs,
          'SELECT',
          `  ${peer} AS peer,`,
          '  direction(srcaddr, dstaddr) AS direction,',
          '  sum(records) AS records,',
          '  sum(bytes) AS bytes,',
          '  sum(packets) AS packets,',
          '  sum(rejected) AS rejected',
          'FROM pairs',
          'GROUP BY ALL',
          'ORDER BY bytes DESC NULLS LAST, records DESC, peer',
          `LIMIT ${TOP_ROWS}`,
        ])
      : q('peers', 'Conversations', [
          ...pairs,
          'SELECT srcaddr, dstaddr, direction(srcaddr, dstaddr) AS direction, records, bytes, packets, rejected',
          'FROM pairs',
          'WHERE srcaddr IS NOT NULL',
          'ORDER BY bytes DESC NULLS LAST, records DESC, srcaddr, dstaddr',
          `LIMIT ${TOP_ROWS}`,
        ]),
  ];
  if (entity.kind !== 'port')
    queries.push(
      q('ports', 'Ports and services', [
        'SELECT port, protocol, service_name(port, protocol) AS service,',
        ...(entity.kind === 'ip' ? ['  served_by,'] : []),
        '  records, bytes, rejected',
        'FROM (',
        '  SELECT',
        // The lower port is the service's: a reply's destination port is the client's ephemeral one.
        '    least(srcport, dstport) AS port,',
        '    protocol,',
        ...(entity.kind === 'ip'
          ? [
              `    CASE WHEN (srcaddr = ${lit}) = (srcport <= dstport) THEN 'this address' ELSE 'peer' END AS served_by,`,
            ]
          : []),
        '    count(*) AS records,',
        '    sum(bytes) AS bytes,',
        `    ${REJECTED}`,
        '  FROM flows',
        `  WHERE (${matchSql(entity)}) AND srcport IS NOT NULL AND dstport IS NOT NULL`,
        '  GROUP BY ALL',
        ')',
        'ORDER BY records DESC, port, protocol',
        `LIMIT ${TOP_ROWS}`,
      ]),
    );
  queries.push(
    q('protocols', 'Protocols', [
      'SELECT',
      '  protocol,',
      '  protocol_name(protocol) AS name,',
      '  count(*) AS records,',
      '  sum(bytes) AS bytes,',
      `  ${REJECTED}`,
      'FROM flows',
      where,
      'GROUP BY protocol',
      'ORDER BY records DESC, protocol',
    ]),
  );
  if (entity.kind !== 'eni')
    queries.push(
      q('interfaces', 'Network interfaces', [
        'SELECT',
        '  interface_id,',
        '  count(*) AS records,',
        '  sum(bytes) AS bytes,',
        `  ${REJECTED}`,
        'FROM flows',
        where,
        'GROUP BY ALL',
        'ORDER BY records DESC, interface_id',
        `LIMIT ${TOP_ROWS}`,
      ]),
    );
  if (entity.kind === 'ip')
    queries.push(
      q('about', 'About the address', [
        'SELECT',
        `  is_private_ip(${lit}) AS private,`,
        `  is_public_ip(${lit}) AS public,`,
        // An address to itself is "internal" exactly when it lies in the workspace's VPC ranges.
        `  direction(${lit}, ${lit}) = 'internal' AS in_vpc,`,
        `  geo_country(${lit}) AS country,`,
        `  geo_country_name(${lit}) AS country_name,`,
        `  asn_number(${lit}) AS asn,`,
        `  asn_org(${lit}) AS as_org`,
      ]),
      // Apart, since it needs AWS's ip-ranges.json, which this machine may not have fetched.
      q('aws', 'AWS ranges', ['SELECT', `  aws_service(${lit}) AS aws_service,`, `  aws_region(${lit}) AS aws_region`]),
    );
  if (entity.kind === 'eni')
    queries.push(
      q('about', 'About the interface', [
        `WITH records AS (SELECT * FROM flows WHERE interface_id = ${lit})`,
        'SELECT',
        // Its own address is the one in most of its records, as the VPC ranges are inferred: the source of
        // an egress record, the destination of an ingress one, either end without a flow direction.
        '  (SELECT mode(address) FROM (',
        `    SELECT srcaddr AS address FROM records WHERE flow_direction IS DISTINCT FROM 'ingress'`,
        `    UNION ALL SELECT dstaddr FROM records WHERE flow_direction IS DISTINCT FROM 'egress')) AS address,`,
        '  mode(account_id) AS account_id,',
        '  mode(vpc_id) AS vpc_id,',
        '  mode(subnet_id) AS subnet_id,',
        '  mode(instance_id) AS instance_id,',
        '  mode(region) AS region,',
        '  mode(az_id) AS az_id',
        'FROM records',
      ]),
    );
  return queries;
}
