/**
 * How a query of Amazon Security Lake's VPC flow table sees a flow record: OCSF Network Activity, the
 * table Security Lake's published queries read (`src_endpoint.ip`, `traffic.bytes`,
 * `connection_info.direction`, `eventday`, …).
 *
 * A table named as Security Lake names it (`amazon_security_lake_table_<region>_vpc_flow[_<n>_0]`, in any
 * database) is the workspace's records in that shape, whichever way they landed: each OCSF attribute is SQL
 * over the flow-log fields, the inverse of the import's mapping (`queries/catalog/ocsf.ts`), so a record
 * imported from Security Lake's Parquet reads back as its source record, and one imported from text reads
 * as Security Lake would have written it. Source version 1 (`…_vpc_flow` and `…_vpc_flow_1_0`) is OCSF
 * 1.0.0-rc.2: `cloud.account_uid`, `disposition`; source version 2 (`…_2_0`) is OCSF 1.1: `cloud.account.uid`,
 * `action`, the `*_dt` timestamps. Both have the partitions `region`, `accountid` and `eventday`
 * (`yyyyMMdd`).
 *
 * Text is as Security Lake keeps it: a flow-log field that was `-` is `-` in the OCSF string that carries it
 * (`src_endpoint.ip <> '-'` is how the published queries skip NODATA records); numbers are NULL. Attributes
 * the import kept in `extra` (a Security Lake record's `connection_info.boundary`, `metadata.version`) are
 * read back from there.
 */
import { FLOW_FIELDS } from '../../catalog/fields';
import {
  OCSF_ACTION_NAME,
  OCSF_ACTIVITY,
  OCSF_BOUNDARY,
  OCSF_BOUNDARY_TO_TRAFFIC_PATH_OFFSET,
  OCSF_COPIES,
  OCSF_DISPOSITION,
  OCSF_DIRECTION_NAME,
  OCSF_ENDPOINT_UIDS,
} from '../../catalog/ocsf';
import { q, regionSql, type RecordColumn } from './record';
import type { SqlType } from './types';

/** The source version a table name is Security Lake's VPC flow table of, or null. */
export function securityLakeVersion(table: string): 1 | 2 | null {
  const m = /^amazon_security_lake_table_[a-z0-9_]+?_vpc_flow(?:_(\d+)_\d+)?$/.exec(table.toLowerCase());
  if (!m) return null;
  return m[1] && Number(m[1]) >= 2 ? 2 : 1;
}

type Sql = (r: string) => string;

const text = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const stored =
  (column: string): Sql =>
  (r) =>
    `${r}.${q(column)}`;
/** The stored string column, `-` where the record has none. */
const dashed =
  (column: string): Sql =>
  (r) =>
    `coalesce(${r}.${q(column)}, '-')`;
const constant =
  (sql: string): Sql =>
  () =>
    sql;

function leaf(name: string, type: SqlType, sql: Sql, extra: Partial<RecordColumn> = {}): RecordColumn {
  return { name, type, sql, naming: 'ocsf', ...extra };
}

function dashedLeaf(name: string, column: string): RecordColumn {
  return leaf(name, 'varchar', dashed(column), { dashed: column });
}

/** A row whose fields are `fields`: the whole row as a DuckDB struct, each field readable on its own. */
function row(name: string, fields: RecordColumn[]): RecordColumn {
  return {
    name,
    type: { row: fields.map((f) => ({ name: f.name, type: f.type })) },
    naming: 'ocsf',
    sql: (r) => `{${fields.map((f) => `${text(f.name)}: ${f.sql(r)}`).join(', ')}}`,
    fields: new Map(fields.map((f) => [f.name, f])),
  };
}

/** A CASE over `expr` naming each value, `otherwise` else. */
function named(expr: string, names: Readonly<Record<number | string, string | number>>, otherwise: string): string {
  const whens = Object.entries(names).map(
    ([k, v]) =>
      `WHEN ${typeof k === 'string' && !/^\d+$/.test(k) ? text(k) : k} THEN ${typeof v === 'number' ? v : text(v)}`,
  );
  return `CASE ${expr} ${whens.join(' ')} ELSE ${otherwise} END`;
}

/** An attribute the import kept in `extra` when the record came from Security Lake, else `derived`. */
const kept =
  (path: string, derived: Sql): Sql =>
  (r) =>
    `coalesce(${r}.extra[${text(path)}], ${derived(r)})`;

/** The flow-log field an OCSF attribute copies (queries/catalog/ocsf.ts), by the attribute's path. */
const copied = new Map(OCSF_COPIES.map((c) => [c.path, c.field.replace(/-/g, '_')]));

function copy(path: string, type: SqlType): RecordColumn {
  const column = copied.get(path)!;
  const name = path.slice(path.lastIndexOf('.') + 1);
  return type === 'varchar' ? dashedLeaf(name, column) : leaf(name, type, stored(column));
}

/** The record's direction: 1 inbound, 2 outbound, 0 unknown. */
const directionId: Sql = (r) => `CASE ${r}.flow_direction WHEN 'ingress' THEN 1 WHEN 'egress' THEN 2 ELSE 0 END`;

/**
 * An endpoint: the packet's address as `ip` (the flow log's own in `intermediate_ips` where it differs) and,
 * on the side the interface is on (the destination of inbound traffic, else the source), its ENI, VPC,
 * subnet and instance.
 */
function endpoint(side: 'src' | 'dst'): RecordColumn {
  const own = side === 'src' ? 'srcaddr' : 'dstaddr';
  const packet = `pkt_${own}`;
  const onInterface = (r: string) =>
    side === 'dst' ? `${r}.flow_direction = 'ingress'` : `${r}.flow_direction IS DISTINCT FROM 'ingress'`;
  const uids = Object.entries(OCSF_ENDPOINT_UIDS).map(([aws, uid]) =>
    leaf(
      uid,
      'varchar',
      (r) => `CASE WHEN ${onInterface(r)} THEN coalesce(${r}.${q(aws.replace(/-/g, '_'))}, '-') END`,
    ),
  );
  return row(`${side}_endpoint`, [
    leaf('ip', 'varchar', (r) => `coalesce(${r}.${packet}, ${r}.${own}, '-')`),
    copy(`${side}_endpoint.port`, 'integer'),
    copy(`${side}_endpoint.svc_name`, 'varchar'),
    leaf(
      'intermediate_ips',
      { array: 'varchar' },
      (r) => `CASE WHEN ${r}.${packet} <> ${r}.${own} THEN [${r}.${own}] END`,
    ),
    ...uids,
  ]);
}

const boundaryId: Sql = (r) =>
  `coalesce(CASE WHEN ${r}.traffic_path BETWEEN 1 AND 8 THEN ${r}.traffic_path + ${OCSF_BOUNDARY_TO_TRAFFIC_PATH_OFFSET} END, 99)`;

const connectionInfo = row('connection_info', [
  copy('connection_info.protocol_num', 'integer'),
  copy('connection_info.tcp_flags', 'integer'),
  copy('connection_info.protocol_ver', 'varchar'),
  leaf('boundary_id', 'integer', boundaryId),
  leaf(
    'boundary',
    'varchar',
    kept('connection_info.boundary', (r) => named(boundaryId(r), OCSF_BOUNDARY, "'-'")),
  ),
  leaf('direction_id', 'integer', directionId),
  leaf('direction', 'varchar', (r) => named(directionId(r), OCSF_DIRECTION_NAME, "'Unknown'")),
]);

const traffic = row('traffic', [copy('traffic.packets', 'bigint'), copy('traffic.bytes', 'bigint')]);

/** 1 accepted, 2 rejected, 0 neither (a NODATA or SKIPDATA record). */
const decisionId: Sql = (r) => `CASE ${r}."action" WHEN 'ACCEPT' THEN 1 WHEN 'REJECT' THEN 2 ELSE 0 END`;
const activityId: Sql = (r) =>
  named(`${r}."action"`, Object.fromEntries(Object.entries(OCSF_ACTIVITY).map(([a, [id]]) => [a, id])), '0');
const activityName: Sql = (r) =>
  named(`${r}."action"`, Object.fromEntries(Object.entries(OCSF_ACTIVITY).map(([a, [, n]]) => [a, n])), "'Unknown'");

/** Flow-log fields with no OCSF attribute, kept in `unmapped` under their Athena names. */
const MAPPED = new Set([
  ...OCSF_COPIES.map((c) => c.field),
  ...Object.keys(OCSF_ENDPOINT_UIDS),
  'srcaddr',
  'dstaddr',
  'start',
  'end',
  'action',
  'flow-direction',
  'traffic-path',
]);
const UNMAPPED = FLOW_FIELDS.filter((f) => f.since > 0 && !MAPPED.has(f.aws));

/**
 * `unmapped`: each such field the record's format version has (`-` where it had no value, as logged), and
 * any other one with a value.
 */
const unmapped = leaf('unmapped', { map: ['varchar', 'varchar'] }, (r) => {
  const entries = UNMAPPED.map(
    (f) =>
      `{'key': ${text(f.column)}, 'value': CASE WHEN ${r}."version" >= ${f.since} THEN coalesce(${r}.${q(f.column)}, '-') ELSE ${r}.${q(f.column)} END}`,
  );
  return `map_from_entries(list_filter([${entries.join(', ')}], e -> e.value IS NOT NULL))`;
});

const epochMs =
  (column: string): Sql =>
  (r) =>
    `epoch_ms(${r}.${column})`;

function metadata(version: 1 | 2): RecordColumn {
  return row('metadata', [
    row('product', [
      leaf('version', 'varchar', (r) => `coalesce(CAST(${r}."version" AS VARCHAR), '-')`),
      leaf('name', 'varchar', constant("'Amazon VPC'")),
      row('feature', [leaf('name', 'varchar', constant("'Flowlogs'"))]),
      leaf('vendor_name', 'varchar', constant("'AWS'")),
    ]),
    leaf(
      'profiles',
      { array: 'varchar' },
      constant(version === 1 ? "['cloud', 'security_control']" : "['cloud', 'security_control', 'datetime']"),
    ),
    leaf('version', 'varchar', kept('metadata.version', constant(version === 1 ? "'1.0.0-rc.2'" : "'1.1.0'"))),
  ]);
}

function cloud(version: 1 | 2): RecordColumn {
  const account = copy(version === 1 ? 'cloud.account_uid' : 'cloud.account.uid', 'varchar');
  return row('cloud', [
    version === 1 ? { ...account, name: 'account_uid' } : row('account', [account]),
    leaf('region', 'varchar', regionSql),
    copy('cloud.zone', 'varchar'),
    leaf('provider', 'varchar', constant("'AWS'")),
  ]);
}

function columns(version: 1 | 2): RecordColumn[] {
  const n = (v: number): Sql => constant(String(v));
  const s = (v: string): Sql => constant(text(v));
  return [
    metadata(version),
    leaf('time', 'bigint', epochMs('start_time')),
    ...(version === 2 ? [leaf('time_dt', 'timestamp with time zone', stored('start_time'))] : []),
    cloud(version),
    endpoint('src'),
    endpoint('dst'),
    connectionInfo,
    traffic,
    leaf('start_time', 'bigint', epochMs('start_time')),
    leaf('end_time', 'bigint', epochMs('end_time')),
    ...(version === 2
      ? [
          leaf('start_time_dt', 'timestamp with time zone', stored('start_time')),
          leaf('end_time_dt', 'timestamp with time zone', stored('end_time')),
        ]
      : []),
    dashedLeaf('status_code', 'log_status'),
    leaf('severity_id', 'integer', n(1)),
    leaf('severity', 'varchar', s('Informational')),
    leaf('class_name', 'varchar', s('Network Activity')),
    leaf('class_uid', 'integer', n(4001)),
    leaf('category_name', 'varchar', s('Network Activity')),
    leaf('category_uid', 'integer', n(4)),
    leaf('activity_id', 'integer', activityId),
    leaf('activity_name', 'varchar', activityName),
    leaf('type_uid', 'bigint', (r) => `(400100 + ${activityId(r)})`),
    leaf('type_name', 'varchar', (r) => `('Network Activity: ' || ${activityName(r)})`),
    ...(version === 2
      ? [
          leaf('action_id', 'integer', decisionId),
          leaf('action', 'varchar', (r) => named(decisionId(r), OCSF_ACTION_NAME, "'Unknown'")),
        ]
      : []),
    leaf('disposition_id', 'integer', decisionId),
    leaf('disposition', 'varchar', (r) => named(decisionId(r), OCSF_DISPOSITION, "'Unknown'")),
    unmapped,
    // The table's partitions.
    leaf('region', 'varchar', regionSql),
    leaf('accountid', 'varchar', dashed('account_id'), { dashed: 'account_id' }),
    leaf('eventday', 'varchar', (r) => `strftime(${r}.start_time, '%Y%m%d')`, { timeFormat: '%Y%m%d' }),
  ];
}

const TABLES = { 1: columns(1), 2: columns(2) } as const;

/** The columns of Security Lake's VPC flow table of a source version, in the table's order (`SELECT *`). */
export function securityLakeColumns(version: 1 | 2): readonly RecordColumn[] {
  return TABLES[version];
}
