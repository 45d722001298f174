/**
 * The SQL that moves staged files into `flows`. DuckDB does the reading (read_csv / read_parquet), the
 * typing and the derived columns in one INSERT … SELECT, so records never pass through JavaScript.
 */
import { FLOW_FIELDS, type FlowField } from '../../../queries/catalog/fields';
import { sqlIdent, sqlString } from '../workspace/config';
import { extraMapSql } from '../workspace/schema';
import type { RecordLayout } from './log-format';

/** Temporary tables DuckDB's CSV reader fills with the lines it could not read (per connection). */
export const REJECTS_TABLE = 'flowscope_rejects';
export const REJECTS_SCAN_TABLE = 'flowscope_reject_scans';

/** Unix seconds that make a valid TIMESTAMP (years 1 to 9999); anything else is stored as NULL time. */
const MAX_UNIX = 253_402_300_799;

export interface TimeBounds {
  /** Keep only records whose `start` is at or after this (Unix seconds). */
  timeFrom?: number;
  /** Keep only records whose `start` is before this (Unix seconds). */
  timeTo?: number;
}

/**
 * An integer form of a dotted IPv4 address, NULL for IPv6, '-' or anything else. A plain expression (DuckDB
 * computes the repeated string_split once): a scalar subquery here became a join that held the whole file
 * in memory.
 */
export function ip4Expr(col: string): string {
  const octet = (i: number) => `try_cast(string_split(${col}, '.')[${i}] AS UTINYINT)::UINTEGER`;
  return `CASE WHEN len(string_split(${col}, '.')) = 4 THEN (${octet(1)} << 24) + (${octet(2)} << 16) + (${octet(3)} << 8) + ${octet(4)} END`;
}

function timeExpr(col: string): string {
  return `CASE WHEN ${col} BETWEEN 0 AND ${MAX_UNIX} THEN make_timestamp(${col} * 1000000) END`;
}

export interface Projection {
  /** flows column → SQL expression over the source relation. */
  columns: Map<string, string>;
  /** `extra` map entries: sparse fields and fields Flowscope does not know, by AWS name → SQL expression. */
  extras: [string, string][];
}

/** Puts a known field's value where `flows` keeps it: its own column, or `extra` for a sparse one. */
function project(p: Projection, field: FlowField, expr: string): void {
  if (field.sparse) p.extras.push([field.aws, `${expr}::VARCHAR`]);
  else p.columns.set(field.column, expr);
}

/**
 * The INSERT of every record of a source relation into `flows`, with derived columns. `source` is a
 * relation whose columns the projection names; `importId` is its expression for import_id.
 */
export function insertFlows(p: Projection, source: string, importId: string, bounds: TimeBounds): string {
  const col = (c: string) => p.columns.get(c);
  const start = col('start');
  const end = col('end');
  const derived: [string, string][] = [
    ['start_time', start ? timeExpr(start) : 'NULL'],
    ['end_time', end ? timeExpr(end) : 'NULL'],
    ['src_ip4', col('srcaddr') ? ip4Expr(col('srcaddr')!) : 'NULL'],
    ['dst_ip4', col('dstaddr') ? ip4Expr(col('dstaddr')!) : 'NULL'],
    ['extra', extraMapSql(p.extras)],
    ['import_id', importId],
  ];
  const all = [...p.columns.entries(), ...derived];
  const where: string[] = [];
  if (bounds.timeFrom !== undefined && start) where.push(`${start} >= ${Math.trunc(bounds.timeFrom)}`);
  if (bounds.timeTo !== undefined && start) where.push(`${start} < ${Math.trunc(bounds.timeTo)}`);
  return (
    `INSERT INTO flows (${all.map(([c]) => sqlIdent(c)).join(', ')}) ` +
    `SELECT ${all.map(([, e]) => e).join(', ')} FROM ${source}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`
  );
}

/** A staged text file and the import it belongs to. */
export interface StagedText {
  staged: string;
  importId: number;
  /** The name the user knows the file by, for rejected lines. */
  path: string;
}

/** The files of a batch as a relation (staged path, import id, path), to join DuckDB's rejected lines with. */
function filesRelation(files: readonly StagedText[]): string {
  return `(VALUES ${files.map((f) => `(${sqlString(f.staged)}, ${f.importId}, ${sqlString(f.path)})`).join(', ')}) AS batch_files(staged, import_id, path)`;
}

/**
 * Text records of one or more files with the same layout, read by DuckDB's CSV reader in one statement
 * with fixed columns (c0, c1, … in the layout's order), '-' as NULL, and every line it cannot read (wrong
 * field count, a value of the wrong type) kept in REJECTS_TABLE with its file and line, instead of failing.
 * Run clearRejectsSql first: the reader adds to the tables a previous read on the connection left.
 */
export function textInsertSql(
  files: readonly StagedText[],
  layout: RecordLayout,
  opts: { gzip: boolean; header: boolean } & TimeBounds,
): string {
  const columns = layout.fields.map(
    (f, i) => `${sqlString(`c${i}`)}: ${sqlString(f.kind === 'known' ? f.field.type : 'VARCHAR')}`,
  );
  const skip = opts.header ? 1 : 0;
  const batch = files.length > 1;
  const reader =
    `read_csv([${files.map((f) => sqlString(f.staged)).join(', ')}], columns = {${columns.join(', ')}}, delim = ' ', quote = '', escape = '', ` +
    `header = false, skip = ${skip}, nullstr = '-', auto_detect = false, compression = '${opts.gzip ? 'gzip' : 'none'}', ` +
    `store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECTS_SCAN_TABLE}', rejects_limit = 0)`;
  const projection: Projection = { columns: new Map(), extras: [] };
  layout.fields.forEach((f, i) => {
    if (f.kind === 'known') project(projection, f.field, `c${i}`);
    else projection.extras.push([f.name, f.urlEncoded ? `url_decode(c${i})` : `c${i}`]);
  });
  // In a batch, the reader's file_index is the file's place in the list it was given.
  const importId = batch
    ? `[${files.map((f) => f.importId).join(', ')}][file_index::BIGINT + 1]`
    : String(files[0]!.importId);
  return insertFlows(projection, reader, importId, opts);
}

/** Empties the CSV reader's rejected-line tables of this connection before a read. */
export const clearRejectsSql: readonly string[] = [REJECTS_TABLE, REJECTS_SCAN_TABLE].map(
  (t) => `DROP TABLE IF EXISTS temp.${t}`,
);

/** DuckDB's rejected-line errors with the file each came from. */
function rejectedWithFiles(files: readonly StagedText[]): string {
  return (
    `${REJECTS_TABLE} r JOIN ${REJECTS_SCAN_TABLE} sc ON r.scan_id = sc.scan_id AND r.file_id = sc.file_id ` +
    `JOIN ${filesRelation(files).replace('batch_files', 'b')} ON sc.file_path = b.staged`
  );
}

/**
 * One row per rejected line, at most `keep` per file. DuckDB reports one error per faulty column; a line
 * with the wrong number of fields gets one reason (its first), and the reader's column names (c0, c1, …)
 * become the field names.
 */
export function rejectedLinesSql(
  files: readonly StagedText[],
  layout: RecordLayout,
  keep: number,
): { counts: string; insert: string } {
  const names = layout.fields.map(
    (f, i) => `(${sqlString(`c${i}`)}, ${sqlString(`"${f.kind === 'known' ? f.field.aws : f.name}"`)})`,
  );
  const perLine =
    `SELECT b.import_id, any_value(b.path) AS path, r.line, any_value(r.csv_line) AS raw, coalesce(` +
    `arg_min(r.error_message, r.column_idx) FILTER (WHERE r.error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')), ` +
    `string_agg(DISTINCT replace(r.error_message, 'column "' || m.col || '"', 'field ' || m.name), '; ')) AS reason ` +
    `FROM ${rejectedWithFiles(files)} LEFT JOIN (VALUES ${names.join(', ')}) m(col, name) ON r.column_name = m.col GROUP BY b.import_id, r.line`;
  return {
    counts: `SELECT b.import_id, count(DISTINCT r.line) AS n FROM ${rejectedWithFiles(files)} GROUP BY b.import_id`,
    insert:
      `INSERT INTO rejected_lines (import_id, path, line, reason, raw) ` +
      `SELECT import_id, path, line, replace(reason, 'Expected Number of Columns', 'Expected fields'), raw FROM (${perLine}) ` +
      `QUALIFY row_number() OVER (PARTITION BY import_id ORDER BY line) <= ${keep} ORDER BY import_id, line`,
  };
}

/** Columns of a Parquet file as AWS writes them (Athena names), cast to the workspace's types. */
export function parquetInsertSql(
  stagedPath: string,
  fileColumns: readonly string[],
  importId: number,
  bounds: TimeBounds,
): string {
  const projection: Projection = { columns: new Map(), extras: [] };
  const known = new Map<string, FlowField>(FLOW_FIELDS.map((f) => [f.column, f]));
  for (const name of fileColumns) {
    const field = known.get(name) ?? known.get(name.replace(/-/g, '_'));
    const ref = sqlIdent(name);
    if (field) {
      project(
        projection,
        field,
        field.type === 'VARCHAR'
          ? `nullif(${ref}::VARCHAR, '-')`
          : `try_cast(nullif(${ref}::VARCHAR, '-') AS ${field.type})`,
      );
    } else projection.extras.push([name.replace(/_/g, '-'), `${ref}::VARCHAR`]);
  }
  const source = `read_parquet(${sqlString(stagedPath)}, hive_partitioning = false)`;
  return insertFlows(projection, source, String(importId), bounds);
}

export function parquetColumnsSql(stagedPath: string): string {
  return `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(stagedPath)}, hive_partitioning = false))`;
}
