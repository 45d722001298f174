/**
 * Amazon Security Lake's VPC flow logs: OCSF Network Activity (class 4001) in Parquet, nested structs
 * (`src_endpoint.ip`, `traffic.bytes`, `connection_info.direction_id`, …). Read like any Parquet file, in
 * one INSERT … SELECT, with each OCSF attribute put where the flow-log field it carries lives
 * (queries/catalog/ocsf.ts), so every dialect and dashboard sees flow-log fields; every attribute the
 * mapping does not read is kept in `extra` under its dotted path.
 *
 * The file's schema decides the SQL: which attributes exist differs between OCSF versions (1.0.0-rc.2 has
 * `cloud.account_uid` and times in ms, 1.1.0 `cloud.account.uid`, `action_id` and `*_dt` timestamps) and a
 * struct field that is not there cannot even be named. It is read from the Parquet footer
 * (`parquet_schema`), not from the records.
 */
import { FLOW_FIELDS, fieldByAwsName, type FlowField } from '../../../queries/catalog/fields';
import {
  OCSF_ACTION,
  OCSF_BOUNDARY_TO_TRAFFIC_PATH_OFFSET,
  OCSF_COPIES,
  OCSF_DIRECTION,
  OCSF_ENDPOINT_UIDS,
  OCSF_UNMAPPED,
} from '../../../queries/catalog/ocsf';
import { FlowscopeError } from '../errors';
import { sqlIdent, sqlString } from '../../../queries/catalog/sql-quote';
import type { SqlRunner } from '../workspace';
import { insertFlows, type Projection, type TimeBounds } from './flows-sql';

/** An attribute the reader can name: a scalar, or a list, map or timestamp taken whole. */
export interface OcsfLeaf {
  path: string;
  kind: 'scalar' | 'timestamp' | 'list' | 'map';
}

interface SchemaRow {
  name: string;
  type: string | null;
  num_children: bigint | null;
  converted_type: string | null;
  logical_type: string | null;
  repetition_type: string | null;
}

/** The attributes of an OCSF Network Activity file, or undefined when the Parquet file is not OCSF. */
export async function ocsfLeaves(db: SqlRunner, staged: string): Promise<OcsfLeaf[] | undefined> {
  const rows = await db.all<SchemaRow>(
    `SELECT name, type, num_children, converted_type, logical_type::VARCHAR AS logical_type, repetition_type ` +
      `FROM parquet_schema(${sqlString(staged)})`,
  );
  const leaves: OcsfLeaf[] = [];
  // Depth first: each group is followed by its children. The root (the schema itself) is skipped.
  let i = 1;
  const walk = (prefix: string, count: number) => {
    for (let n = 0; n < count && i < rows.length; n++) {
      const row = rows[i++]!;
      const path = prefix ? `${prefix}.${row.name}` : row.name;
      const children = Number(row.num_children ?? 0);
      const annotation = `${row.converted_type ?? ''} ${row.logical_type ?? ''}`;
      if (children > 0 && !/LIST|MAP|List|Map/.test(annotation) && row.repetition_type !== 'REPEATED') {
        walk(path, children);
        continue;
      }
      if (children > 0) skip(children);
      leaves.push({ path, kind: leafKind(row, annotation, children) });
    }
  };
  const skip = (count: number) => {
    for (let n = 0; n < count && i < rows.length; n++) skip(Number(rows[i++]!.num_children ?? 0));
  };
  walk('', Number(rows[0]?.num_children ?? 0));
  const has = new Set(leaves.map((l) => l.path));
  return has.has('class_uid') && (has.has('src_endpoint.ip') || has.has('dst_endpoint.ip')) ? leaves : undefined;
}

function leafKind(row: SchemaRow, annotation: string, children: number): OcsfLeaf['kind'] {
  if (/MAP|Map/.test(annotation)) return 'map';
  if (children > 0) return 'list';
  if (row.type === 'INT96' || /TIMESTAMP|Timestamp/.test(annotation)) return 'timestamp';
  return 'scalar';
}

/** `"a"['b']['c']` for the path `a.b.c`. */
function ref(path: string): string {
  const [top, ...rest] = path.split('.');
  return sqlIdent(top!) + rest.map((p) => `[${sqlString(p)}]`).join('');
}

/** A value as the field's type, '-' (OCSF keeps the flow log's placeholder in strings) as none. */
function asField(field: FlowField, expr: string): string {
  const text = `nullif(${expr}::VARCHAR, '-')`;
  return field.type === 'VARCHAR' ? text : `try_cast(${text} AS ${field.type})`;
}

function caseOf(expr: string, values: Readonly<Record<number, string>>): string {
  const whens = Object.entries(values).map(([k, v]) => `WHEN ${k} THEN ${sqlString(v)}`);
  return `CASE ${expr} ${whens.join(' ')} END`;
}

/**
 * Refuses OCSF records of another class (a Security Lake file of CloudTrail or Route 53 events handed over
 * by hand): their attributes would land as flow logs that are not.
 */
export async function checkNetworkActivity(db: SqlRunner, staged: string, shownAs: string): Promise<void> {
  const [row] = await db.all<{ other: bigint | number | null }>(
    `SELECT min(class_uid) FILTER (WHERE class_uid IS DISTINCT FROM 4001) AS other FROM read_parquet(${sqlString(staged)})`,
  );
  if (row?.other !== null && row?.other !== undefined) {
    throw new FlowscopeError(
      'import_failed',
      `${shownAs} holds OCSF records of class ${row.other}, not Network Activity (4001): it is not flow logs.`,
      { path: shownAs },
    );
  }
}

/** The INSERT of every record of an OCSF file into `flows`. */
export function ocsfInsertSql(
  staged: string,
  leaves: readonly OcsfLeaf[],
  importId: number,
  bounds: TimeBounds,
): string {
  const kinds = new Map(leaves.map((l) => [l.path, l.kind]));
  const read = new Set<string>();
  /** The attribute's SQL when the file has it (and it counts as read), else undefined. */
  const use = (path: string): string | undefined => {
    if (!kinds.has(path)) return undefined;
    read.add(path);
    return ref(path);
  };
  const values = new Map<string, string[]>();
  const put = (aws: string, expr: string | undefined) => {
    if (expr !== undefined) values.set(aws, [...(values.get(aws) ?? []), expr]);
  };

  for (const copy of OCSF_COPIES) {
    const expr = use(copy.path);
    if (expr) put(copy.field, asField(fieldByAwsName(copy.field)!, expr));
  }
  for (const [side, field] of [
    ['src_endpoint', 'srcaddr'],
    ['dst_endpoint', 'dstaddr'],
  ] as const) {
    const intermediate = use(`${side}.intermediate_ips`);
    if (intermediate) put(field, `nullif(${intermediate}[1], '-')`);
    if (kinds.has(`${side}.ip`)) put(field, `nullif(${ref(`${side}.ip`)}, '-')`);
  }
  const direction = use('connection_info.direction_id');
  for (const [aws, uid] of Object.entries(OCSF_ENDPOINT_UIDS)) {
    const src = use(`src_endpoint.${uid}`);
    const dst = use(`dst_endpoint.${uid}`);
    const field = fieldByAwsName(aws)!;
    const either = [src, dst].filter((e): e is string => e !== undefined).map((e) => asField(field, e));
    if (either.length === 0) continue;
    const fallback = `coalesce(${either.join(', ')})`;
    put(
      aws,
      direction && src && dst
        ? `CASE ${direction} WHEN 1 THEN ${asField(field, dst)} WHEN 2 THEN ${asField(field, src)} ELSE ${fallback} END`
        : fallback,
    );
  }
  for (const [aws, names] of [
    ['start', ['start_time', 'start_time_dt']],
    ['end', ['end_time', 'end_time_dt']],
  ] as const) {
    const name = names.find((n) => kinds.has(n));
    if (!name) continue;
    const expr = use(name)!;
    put(aws, kinds.get(name) === 'timestamp' ? `floor(epoch(${expr}))::BIGINT` : `(${expr}::BIGINT // 1000)`);
  }
  const decision = use('action_id') ?? use('disposition_id');
  if (decision) put('action', caseOf(decision, OCSF_ACTION));
  if (direction) put('flow-direction', caseOf(direction, OCSF_DIRECTION));
  const boundary = use('connection_info.boundary_id');
  if (boundary) {
    const lowest = 1 + OCSF_BOUNDARY_TO_TRAFFIC_PATH_OFFSET;
    put(
      'traffic-path',
      `CASE WHEN ${boundary} BETWEEN ${lowest} AND ${lowest + 7} THEN (${boundary} - ${OCSF_BOUNDARY_TO_TRAFFIC_PATH_OFFSET})::SMALLINT END`,
    );
  }
  const extras: [string, string][] = [];
  const unmapped = unmappedFields(kinds, values, read, extras);
  for (const [aws, expr] of unmapped) put(aws, expr);

  // Sparse fields go to `extra` by insertFlows; the OCSF paths it does not map, by `unknown`.
  const projection: Projection = { fields: new Map(), unknown: extras, texts: new Map(), file: 'parquet' };
  for (const [aws, exprs] of values) {
    const expr = exprs.length === 1 ? exprs[0]! : `coalesce(${exprs.join(', ')})`;
    projection.fields.set(fieldByAwsName(aws)!, expr);
  }
  for (const leaf of leaves) {
    if (read.has(leaf.path)) continue;
    const whole = leaf.kind === 'list' || leaf.kind === 'map';
    extras.push([
      leaf.path,
      whole ? `nullif(to_json(${ref(leaf.path)})::VARCHAR, 'null')` : `${ref(leaf.path)}::VARCHAR`,
    ]);
  }
  const source = `read_parquet(${sqlString(staged)}, hive_partitioning = false)`;
  // No impossible-record pass reads OCSF back (its rows are AWS's own): every record is stored as mapped.
  return insertFlows(projection, source, String(importId), bounds, false);
}

/**
 * Flow-log fields kept in `unmapped` (`sublocation_id`, `ecs_cluster_arn`, `reject_reason`, …), whether it
 * is a map (as Security Lake writes it) or a struct; what else it holds stays in `extra` (as `unmapped`, the
 * remaining entries as JSON, or as `unmapped.<name>` for a struct's other fields).
 */
function unmappedFields(
  kinds: ReadonlyMap<string, string>,
  values: ReadonlyMap<string, string[]>,
  read: Set<string>,
  extras: [string, string][],
): [string, string][] {
  const wanted = FLOW_FIELDS.filter((f) => !values.has(f.aws));
  const out: [string, string][] = [];
  if (kinds.get(OCSF_UNMAPPED) === 'map') {
    read.add(OCSF_UNMAPPED);
    const map = ref(OCSF_UNMAPPED);
    for (const f of wanted) out.push([f.aws, asField(f, `${map}[${sqlString(f.column)}]`)]);
    const names = `[${wanted.map((f) => sqlString(f.column)).join(', ')}]`;
    const rest = `list_filter(map_entries(${map}), e -> NOT list_contains(${names}, e.key))`;
    extras.push([OCSF_UNMAPPED, `CASE WHEN len(${rest}) > 0 THEN to_json(map_from_entries(${rest}))::VARCHAR END`]);
    return out;
  }
  for (const f of wanted) {
    const path = `${OCSF_UNMAPPED}.${f.column}`;
    if (!kinds.has(path)) continue;
    read.add(path);
    out.push([f.aws, asField(f, ref(path))]);
  }
  return out;
}
