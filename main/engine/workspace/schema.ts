/**
 * The workspace schema, its version, the migrations between versions, and the check that a file holds
 * exactly what Flowscope would have put there (a workspace someone sent is untrusted).
 */
import { DERIVED_COLUMNS, FLOW_FIELDS, type FlowField } from '../../../queries/catalog/fields';
import { SUMMARY_COLUMNS, SUMMARY_TABLE, summarizeSql } from '../../../queries/catalog/minute-summary';
import { sqlIdent, sqlString } from '../../../queries/catalog/sql-quote';

export const SCHEMA_VERSION = 7;

/** Rejected lines kept per imported file; all of them are counted. */
export const REJECTED_KEEP_PER_FILE = 1000;

/** A column: its name, its type, and for a virtual column the expression DuckDB computes it with. */
type ColumnDef = readonly [name: string, type: string, virtual?: string];

export interface TableDef {
  name: string;
  columns: readonly ColumnDef[];
}

/** Where a sparse field's value is kept (see FlowField.sparse). */
function sparseValueSql(f: FlowField): string {
  const value = `extra[${sqlString(f.aws)}]`;
  return f.type === 'VARCHAR' ? value : `TRY_CAST(${value} AS ${f.type})`;
}

/** Up to version 4 only these fields were kept in `extra`; the version 3–5 fields had columns of their own. */
const inExtraBeforeV5 = (f: FlowField) => f.since === 0 || f.since >= 7;
const DERIVED = Object.entries(DERIVED_COLUMNS);

/** Version 3's `flows`: every field a column, those kept in `extra` virtual, read from there. */
const FLOWS_V3: TableDef = {
  name: 'flows',
  columns: [
    ...FLOW_FIELDS.map((f): ColumnDef =>
      inExtraBeforeV5(f) ? [f.column, f.type, sparseValueSql(f)] : [f.column, f.type],
    ),
    ...DERIVED,
  ],
};

/** A SELECT of every field of a record table as a column, in one order: `inExtra` ones from `extra`, absent ones NULL. */
function everyField(t: TableDef, inExtra: (f: FlowField) => boolean): string {
  const has = new Set(t.columns.map(([n]) => n));
  const fields = FLOW_FIELDS.map((f) => {
    const value = inExtra(f) ? sparseValueSql(f) : has.has(f.column) ? sqlIdent(f.column) : `NULL::${f.type}`;
    return `${value} AS ${sqlIdent(f.column)}`;
  });
  return `SELECT ${[...fields, ...Object.keys(DERIVED_COLUMNS).map(sqlIdent)].join(', ')} FROM ${sqlIdent(t.name)}`;
}

/**
 * Version 4 kept records in two tables, the default format's in `flows_v2` (without the version 3–5 columns)
 * and the others in `flows_v5`, with `flows` a UNION ALL view of both. A view's columns cost nothing when
 * records are written, unlike virtual ones; but DuckDB sorts a `UNION ALL` whole for a top-N, where it reads
 * only the sort key of one table (the last 100 records by time of 2 M: 7 ms from the table, 19 ms through a
 * view of one table, 360–800 ms through the union), so version 5 has one table.
 */
const FLOWS_V2: TableDef = {
  name: 'flows_v2',
  columns: [...FLOW_FIELDS.filter((f) => f.since === 2).map((f): ColumnDef => [f.column, f.type]), ...DERIVED],
};
const FLOWS_V5: TableDef = {
  name: 'flows_v5',
  columns: [...FLOW_FIELDS.filter((f) => !inExtraBeforeV5(f)).map((f): ColumnDef => [f.column, f.type]), ...DERIVED],
};
const FLOWS_VIEW_V4 = {
  name: 'flows',
  sql: `CREATE VIEW flows AS ${everyField(FLOWS_V2, inExtraBeforeV5)} UNION ALL ${everyField(FLOWS_V5, inExtraBeforeV5)}`,
};

/**
 * Since version 5 records are stored in `flow_records`: the default format's fourteen fields and the derived
 * columns, every other field in `extra` (FlowField.sparse); `flows` is a view of it with every field a
 * column. DuckDB computes every virtual column of each record it inserts (to refuse one it cannot compute),
 * which cost the import as much as reading the file, and each stored column costs the insert time even
 * when it is empty; a view computes nothing when records are written.
 */
export const RECORD_TABLE = 'flow_records';
const FLOW_RECORDS: TableDef = {
  name: RECORD_TABLE,
  columns: [...FLOW_FIELDS.filter((f) => !f.sparse).map((f): ColumnDef => [f.column, f.type]), ...DERIVED],
};

/** The view `flows` (version 5 on): the one view a workspace holds. */
const FLOWS_VIEW = { name: 'flows', sql: `CREATE VIEW flows AS ${everyField(FLOW_RECORDS, (f) => f.sparse)}` };

/**
 * Versions 1 and 2 stored every field in its own column and numbered each record within its import
 * (`record_no`, the line of a text file). Nothing read the numbers, and numbering made DuckDB insert a
 * file's records in order on one thread; the thirty mostly empty columns cost more to write than the
 * fourteen default fields. Version 3 keeps those in `extra` and drops the numbers; the import (file, S3
 * object or CloudWatch window) stays the provenance.
 */
const FLOWS_V1: TableDef = {
  name: 'flows',
  columns: [
    ...FLOW_FIELDS.map((f) => [f.column, f.type] as const),
    ...Object.entries(DERIVED_COLUMNS),
    ['record_no', 'BIGINT'],
  ],
};

/**
 * An `extra` map from (AWS name, SQL value) pairs: the entries that have a value, NULL when none has. Both
 * the import and the v3 migration write `extra` with it.
 */
export function extraMapSql(entries: readonly (readonly [name: string, value: string])[]): string {
  if (entries.length === 0) return 'NULL';
  const structs = entries.map(([name, value]) => `{'key': ${sqlString(name)}, 'value': ${value}}`);
  return (
    `CASE WHEN coalesce(${entries.map(([, value]) => value).join(', ')}) IS NOT NULL ` +
    `THEN map_from_entries(list_filter([${structs.join(', ')}], e -> e.value IS NOT NULL)) END`
  );
}

/**
 * `extra` with the values of `fields` (columns of the table read) moved into it, beside what it held: the
 * migrations that take columns into `extra` write it with this.
 */
function extraWith(fields: readonly FlowField[]): string {
  const moved = extraMapSql(fields.map((f) => [f.aws, `${sqlIdent(f.column)}::VARCHAR`] as const));
  return `CASE WHEN extra IS NULL THEN ${moved} ELSE map_concat(extra, coalesce(${moved}, MAP {})) END`;
}

/** The stored (not virtual) columns of a table. */
const storedColumns = (t: TableDef) => t.columns.filter(([, , virtual]) => virtual === undefined).map(([n]) => n);

/** An INSERT of every record of `from` into `into`, the fields `into` keeps in `extra` moved there. */
function moveRecords(into: TableDef, from: string, intoExtra: readonly FlowField[]): string {
  const columns = storedColumns(into);
  return `INSERT INTO ${sqlIdent(into.name)} (${columns.map(sqlIdent).join(', ')}) SELECT ${columns
    .map((n) => (n === 'extra' ? extraWith(intoExtra) : sqlIdent(n)))
    .join(', ')} FROM ${sqlIdent(from)}`;
}

/** Version 2 → 3: a new `flows` with the sparse fields' values moved into `extra`, replacing the old one. */
function sparseFieldsIntoExtra(): string[] {
  return [
    createTable({ ...FLOWS_V3, name: 'flows_v3' }),
    moveRecords({ ...FLOWS_V3, name: 'flows_v3' }, 'flows', FLOW_FIELDS.filter(inExtraBeforeV5)),
    'DROP TABLE flows',
    'ALTER TABLE flows_v3 RENAME TO flows',
  ];
}

/** Version 4 → 5: both record tables into `flow_records`, the version 3–5 fields of `flows_v5` into `extra`. */
function oneRecordTable(): string[] {
  const v3to5 = FLOW_FIELDS.filter((f) => f.sparse && !inExtraBeforeV5(f));
  return [
    'DROP VIEW flows',
    createTable(FLOW_RECORDS),
    moveRecords(FLOW_RECORDS, FLOWS_V2.name, []),
    moveRecords(FLOW_RECORDS, FLOWS_V5.name, v3to5),
    `DROP TABLE ${FLOWS_V2.name}`,
    `DROP TABLE ${FLOWS_V5.name}`,
    FLOWS_VIEW.sql,
  ];
}

/** Version 6 on: the minute summary of the records (`queries/catalog/minute-summary.ts`). */
const FLOW_MINUTES: TableDef = { name: SUMMARY_TABLE, columns: SUMMARY_COLUMNS };

/**
 * Version 7 on: the records an import left out because earlier imports already held them
 * (ledger.dropRecordsHeldBefore), under that import's id, in the record table's shape. Not read by any
 * query; kept so that removing one of those earlier imports can hand its records back (ledger.removeImport).
 * Records move between the two tables by column name, so a migration that changes the record table's stored
 * columns changes this one alike.
 */
export const HELD_TABLE = 'held_records';
const HELD_RECORDS: TableDef = { ...FLOW_RECORDS, name: HELD_TABLE };

const IMPORTS: TableDef = {
  name: 'imports',
  columns: [
    ['id', 'INTEGER'],
    ['source', 'VARCHAR'], // 'file' | 's3' | 'cloudwatch' | 'demo'
    ['path', 'VARCHAR'], // file path, s3://bucket/key, or log group/stream window
    ['size', 'BIGINT'],
    ['sha256', 'VARCHAR'],
    ['etag', 'VARCHAR'],
    ['format', 'VARCHAR'],
    ['records', 'BIGINT'],
    ['rejected', 'BIGINT'],
    ['started_at', 'TIMESTAMP'],
    ['finished_at', 'TIMESTAMP'],
    ['status', 'VARCHAR'],
  ],
};

const REJECTED_LINES: TableDef = {
  name: 'rejected_lines',
  columns: [
    ['import_id', 'INTEGER'],
    ['path', 'VARCHAR'],
    ['line', 'BIGINT'],
    ['reason', 'VARCHAR'],
    ['raw', 'VARCHAR'],
  ],
};

const META: TableDef = {
  name: 'meta',
  columns: [
    ['key', 'VARCHAR'],
    ['value', 'VARCHAR'],
  ],
};

const PULL_CHECKPOINTS: TableDef = {
  name: 'pull_checkpoints',
  columns: [
    ['source', 'VARCHAR'], // 's3' | 'cloudwatch'
    ['key', 'VARCHAR'], // what the pull is of, e.g. s3://bucket/prefix or a log group
    ['value', 'VARCHAR'], // JSON the puller defines
    ['updated_at', 'TIMESTAMP'],
  ],
};

export function createTable(t: TableDef): string {
  const column = ([n, type, virtual]: ColumnDef) =>
    `${sqlIdent(n)} ${type}${virtual === undefined ? '' : ` AS (${virtual}) VIRTUAL`}`;
  return `CREATE TABLE ${sqlIdent(t.name)} (${t.columns.map(column).join(', ')})`;
}

export interface Migration {
  /** The schema version the file has after this migration. */
  to: number;
  statements: readonly string[];
  /** Tables that exist once the migration ran. */
  tables: readonly TableDef[];
  /** Views that exist once the migration ran, with the statement that made each. */
  views?: readonly { name: string; sql: string }[];
  /** It rewrites the records, so the file is compacted afterwards: DuckDB never gives the old blocks back. */
  rewrites?: true;
}

/** In order; a new workspace runs them all. No migration loses a record, a value or a ledger row. */
export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    statements: [FLOWS_V1, IMPORTS, REJECTED_LINES, META].map(createTable),
    tables: [FLOWS_V1, IMPORTS, REJECTED_LINES, META],
  },
  {
    to: 2,
    statements: [createTable(PULL_CHECKPOINTS)],
    tables: [FLOWS_V1, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
  },
  {
    to: 3,
    statements: sparseFieldsIntoExtra(),
    rewrites: true,
    tables: [FLOWS_V3, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
  },
  {
    // The records so far stay where they are, in the table that has every stored column; the virtual
    // columns go (no storage, so no rewrite), and `flows` becomes the view.
    to: 4,
    statements: [
      ...FLOW_FIELDS.filter(inExtraBeforeV5).map((f) => `ALTER TABLE flows DROP COLUMN ${sqlIdent(f.column)}`),
      `ALTER TABLE flows RENAME TO ${FLOWS_V5.name}`,
      createTable(FLOWS_V2),
      FLOWS_VIEW_V4.sql,
    ],
    tables: [FLOWS_V2, FLOWS_V5, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
    views: [FLOWS_VIEW_V4],
  },
  {
    to: 5,
    statements: oneRecordTable(),
    rewrites: true,
    tables: [FLOW_RECORDS, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
    views: [FLOWS_VIEW],
  },
  {
    to: 6,
    statements: [createTable(FLOW_MINUTES), summarizeSql(RECORD_TABLE, 'TRUE')],
    tables: [FLOW_RECORDS, FLOW_MINUTES, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
    views: [FLOWS_VIEW],
  },
  {
    // The records left out before this version are not in the file: removing the export that held them
    // still loses them, as it did.
    to: 7,
    statements: [createTable(HELD_RECORDS)],
    tables: [FLOW_RECORDS, FLOW_MINUTES, HELD_RECORDS, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
    views: [FLOWS_VIEW],
  },
];

export function tablesAt(version: number): readonly TableDef[] {
  return MIGRATIONS.find((m) => m.to === version)?.tables ?? [];
}

export function viewsAt(version: number): readonly { name: string; sql: string }[] {
  return MIGRATIONS.find((m) => m.to === version)?.views ?? [];
}

/** Every table name any schema version has had: what an older file may legitimately hold. */
export const KNOWN_TABLES: ReadonlySet<string> = new Set(MIGRATIONS.flatMap((m) => m.tables.map((t) => t.name)));

/**
 * User-created objects of every kind DuckDB lists, other than tables and views, and constraints: a workspace
 * has none of them (its views are checked against the schema's, VIEWS_SQL). Column defaults and expressions
 * are compared with the schema's (COLUMNS_SQL).
 */
export const FOREIGN_OBJECTS_SQL = `
  SELECT 'schema' AS kind, schema_name AS name FROM duckdb_schemas()
    WHERE NOT internal AND database_name = current_database() AND schema_name <> 'main'
  UNION ALL SELECT 'macro', function_name FROM duckdb_functions()
    WHERE NOT internal AND database_name = current_database() AND function_type IN ('macro', 'table_macro')
  UNION ALL SELECT 'sequence', sequence_name FROM duckdb_sequences() WHERE NOT temporary AND database_name = current_database()
  UNION ALL SELECT 'index', index_name FROM duckdb_indexes() WHERE database_name = current_database()
  UNION ALL SELECT 'type', type_name FROM duckdb_types() WHERE NOT internal AND database_name = current_database()
  UNION ALL SELECT 'table', schema_name || '.' || table_name FROM duckdb_tables()
    WHERE database_name = current_database() AND NOT temporary AND schema_name <> 'main'
  UNION ALL SELECT 'constraint', table_name || ' ' || constraint_text FROM duckdb_constraints() WHERE database_name = current_database()`;

/** Views with the statement DuckDB keeps for each (written out again by DuckDB, not the text it was given). */
export const VIEWS_SQL = `
  SELECT view_name AS name, schema_name = 'main' AS in_main, sql FROM duckdb_views()
  WHERE NOT internal AND NOT temporary AND database_name = current_database() ORDER BY view_name`;

export const MAIN_TABLES_SQL = `
  SELECT table_name AS name FROM duckdb_tables()
  WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary ORDER BY table_name`;

export const COLUMNS_SQL = `
  SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type, c.column_default AS expression
  FROM duckdb_columns() c JOIN duckdb_tables() t USING (database_name, schema_name, table_name)
  WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`;

/** A column as the schema check compares it; DuckDB shows a virtual column's expression cast to its type. */
function describeColumn(name: string, type: string, expression: string | null | undefined): string {
  return expression ? `${name} ${type} with expression (${expression})` : `${name} ${type}`;
}

/**
 * What differs between the tables found and those schema `version` defines, named for the error message;
 * empty when they match exactly (names, order, types and expressions of columns; no defaults).
 */
export function schemaDifferences(
  version: number,
  columns: readonly { table: string; name: string; type: string; expression: string | null }[],
): string[] {
  const expected = tablesAt(version);
  const found = new Map<string, string[]>();
  for (const c of columns)
    found.set(c.table, [...(found.get(c.table) ?? []), describeColumn(c.name, c.type, c.expression)]);
  const out: string[] = [];
  for (const t of expected) {
    const have = found.get(t.name);
    if (!have) {
      out.push(`table ${t.name} is missing`);
      continue;
    }
    const want = t.columns.map(([n, ty, virtual]) =>
      describeColumn(n, ty, virtual === undefined ? null : `CAST(${virtual} AS ${ty})`),
    );
    if (have.join(',') !== want.join(','))
      out.push(`table ${t.name} has columns (${have.join(', ')}), expected (${want.join(', ')})`);
    found.delete(t.name);
  }
  for (const name of found.keys()) out.push(`unexpected table ${name}`);
  return out;
}
