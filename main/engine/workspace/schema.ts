/**
 * The workspace schema, its version, the migrations between versions, and the check that a file holds
 * exactly what Flowscope would have put there (a workspace someone sent is untrusted).
 */
import { DERIVED_COLUMNS, FLOW_FIELDS, type FlowField } from '../../../queries/catalog/fields';
import { sqlIdent, sqlString } from '../../../queries/catalog/sql-quote';

export const SCHEMA_VERSION = 4;

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

/** Version 3's `flows`: every field a column, the sparse ones virtual, read from `extra`. */
const FLOWS_V3: TableDef = {
  name: 'flows',
  columns: [
    ...FLOW_FIELDS.map((f): ColumnDef => (f.sparse ? [f.column, f.type, sparseValueSql(f)] : [f.column, f.type])),
    ...Object.entries(DERIVED_COLUMNS),
  ],
};

/**
 * Since version 4 records are stored in two tables and `flows` is a view over both (FLOWS_VIEW). DuckDB
 * computes every virtual column of each record it inserts (to refuse one it cannot compute), which cost
 * the import as much as reading the file; and each stored column costs the insert time even when empty,
 * so records of a layout without a version 3–5 field (the default format) go to `flows_v2`, without those
 * fifteen columns, and the others to `flows_v5`, which has them. A view computes nothing when written.
 */
const stored = (f: FlowField) => !f.sparse;
const FLOWS_V2: TableDef = {
  name: 'flows_v2',
  columns: [
    ...FLOW_FIELDS.filter((f) => stored(f) && f.since <= 2).map((f): ColumnDef => [f.column, f.type]),
    ...Object.entries(DERIVED_COLUMNS),
  ],
};
const FLOWS_V5: TableDef = {
  name: 'flows_v5',
  columns: [
    ...FLOW_FIELDS.filter(stored).map((f): ColumnDef => [f.column, f.type]),
    ...Object.entries(DERIVED_COLUMNS),
  ],
};

/** The tables that hold records (DELETE goes to each; `flows` is their view). */
export const RECORD_TABLES: readonly string[] = [FLOWS_V2.name, FLOWS_V5.name];

/** The table a source's records go to: `flows_v5` when it has any field `flows_v2` does not store. */
export function recordTableFor(fields: Iterable<FlowField>): string {
  return [...fields].some((f) => stored(f) && f.since > 2) ? FLOWS_V5.name : FLOWS_V2.name;
}

/** `flows` as every query reads it: each record table with every field, in one order, as a column. */
function flowsViewSql(): string {
  const select = (t: TableDef) => {
    const has = new Set(t.columns.map(([n]) => n));
    const fields = FLOW_FIELDS.map((f) => {
      const value = f.sparse ? sparseValueSql(f) : has.has(f.column) ? sqlIdent(f.column) : `NULL::${f.type}`;
      return `${value} AS ${sqlIdent(f.column)}`;
    });
    return `SELECT ${[...fields, ...Object.keys(DERIVED_COLUMNS).map(sqlIdent)].join(', ')} FROM ${sqlIdent(t.name)}`;
  };
  return `CREATE VIEW flows AS ${select(FLOWS_V2)} UNION ALL ${select(FLOWS_V5)}`;
}

/** The view `flows` (version 4 on): the one view a workspace holds. */
export const FLOWS_VIEW = { name: 'flows', sql: flowsViewSql() } as const;

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

/** Version 2 → 3: a new `flows` with the sparse fields' values moved into `extra`, replacing the old one. */
function sparseFieldsIntoExtra(): string[] {
  const stored = FLOWS_V3.columns.filter(([, , virtual]) => virtual === undefined).map(([n]) => n);
  const moved = extraMapSql(
    FLOW_FIELDS.filter((f) => f.sparse).map((f) => [f.aws, `${sqlIdent(f.column)}::VARCHAR`] as const),
  );
  const extra = `CASE WHEN extra IS NULL THEN ${moved} ELSE map_concat(extra, coalesce(${moved}, MAP {})) END`;
  return [
    createTable({ ...FLOWS_V3, name: 'flows_v3' }),
    `INSERT INTO flows_v3 (${stored.map(sqlIdent).join(', ')}) SELECT ${stored
      .map((n) => (n === 'extra' ? extra : sqlIdent(n)))
      .join(', ')} FROM flows`,
    'DROP TABLE flows',
    'ALTER TABLE flows_v3 RENAME TO flows',
  ];
}

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
      ...FLOW_FIELDS.filter((f) => f.sparse).map((f) => `ALTER TABLE flows DROP COLUMN ${sqlIdent(f.column)}`),
      `ALTER TABLE flows RENAME TO ${FLOWS_V5.name}`,
      createTable(FLOWS_V2),
      FLOWS_VIEW.sql,
    ],
    tables: [FLOWS_V2, FLOWS_V5, IMPORTS, REJECTED_LINES, META, PULL_CHECKPOINTS],
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

export interface CatalogObject {
  kind: string;
  name: string;
}

/**
 * User-created objects of every kind DuckDB lists, other than tables and views, and constraints: a workspace
 * has none of them (its views are checked against the schema's, VIEWS_SQL). Column defaults and expressions are compared with the schema's (COLUMNS_SQL).
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
