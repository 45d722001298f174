/**
 * What a CSV or JSON export selects from a kept result, so that the file's cells are what `flowscope query
 * --format csv|json` prints for the same result (`main/cli/output.ts`, on the wire cells of `encode.ts`):
 *
 * - a time is the instant in ISO 8601 with a Z (`2024-03-01T23:59:59.000000Z`; nine digits of a second for a
 *   TIMESTAMP_NS), a TIMESTAMPTZ (Athena's zoned answers) at its instant in UTC: DuckDB writes
 *   `2024-03-01 23:59:59`, which a reader takes for its own local time, and a TIMESTAMPTZ with the offset of
 *   the machine's zone;
 * - a floating-point NaN or infinity is the text `NaN`, `Infinity`, `-Infinity` (a JSON string): DuckDB's JSON
 *   writes them bare, which is not JSON, and its CSV `nan`, `inf`;
 * - a FLOAT is its shortest decimal (0.3, not 0.30000001192092896), as a REAL is shown everywhere;
 * - in JSON a map is an object of its keys (`{"a":1}`) as DuckDB writes it; in CSV a list, struct or map cell
 *   is its JSON text, the same as the JSON file holds.
 *
 * Only columns whose type holds one of these are selected anew; the rest are the table's as they are.
 * Parquet stays typed and is not written through here.
 */
import {
  DuckDBArrayType,
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBTypeId,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../../../queries/catalog/sql-quote';

export type TextFormat = 'csv' | 'json';

const I = DuckDBTypeId;
const TIMES = new Set<DuckDBTypeId>([I.TIMESTAMP, I.TIMESTAMP_S, I.TIMESTAMP_MS, I.TIMESTAMP_NS, I.TIMESTAMP_TZ]);
const FLOATS = new Set<DuckDBTypeId>([I.FLOAT, I.DOUBLE]);
const NESTED = new Set<DuckDBTypeId>([I.LIST, I.ARRAY, I.STRUCT, I.MAP]);

/** True when a value of this type is written otherwise than DuckDB writes it. */
function changes(type: DuckDBType, format: TextFormat): boolean {
  if (TIMES.has(type.typeId) || FLOATS.has(type.typeId)) return true;
  if (format === 'csv' && NESTED.has(type.typeId)) return true;
  return children(type).some((t) => changes(t, format));
}

function children(type: DuckDBType): readonly DuckDBType[] {
  if (type instanceof DuckDBListType || type instanceof DuckDBArrayType) return [type.valueType];
  if (type instanceof DuckDBStructType) return type.entryTypes;
  if (type instanceof DuckDBMapType) return [type.keyType, type.valueType];
  return [];
}

const ISO = '%Y-%m-%dT%H:%M:%S.%fZ';

/** A UTC wall clock (a TIMESTAMP) as `isoFromEpoch` writes it; a year beyond 0–9999 signed, six digits. */
function isoText(utc: string, nanos?: string): string {
  const format = (iso: string) =>
    nanos === undefined
      ? `strftime(${utc}, '${iso}')`
      : `strftime(${utc}, '${iso.replace('%fZ', '')}') || lpad(((${nanos} % 1000000000 + 1000000000) % 1000000000)::VARCHAR, 9, '0') || 'Z'`;
  return (
    `CASE WHEN NOT isfinite(${utc}) THEN CAST(${utc} AS VARCHAR) ` +
    `WHEN year(${utc}) BETWEEN 0 AND 9999 THEN ${format(ISO)} ` +
    `ELSE (CASE WHEN year(${utc}) < 0 THEN '-' ELSE '+' END) || lpad(abs(year(${utc}))::VARCHAR, 6, '0') || ${format(
      ISO.replace('%Y', ''),
    )} END`
  );
}

function timeText(x: string, type: DuckDBType): string {
  switch (type.typeId) {
    case I.TIMESTAMP_TZ:
      return isoText(`timezone('UTC', ${x})`);
    case I.TIMESTAMP_NS:
      return isoText(`CAST(${x} AS TIMESTAMP)`, `epoch_ns(${x})`);
    default:
      return isoText(`CAST(${x} AS TIMESTAMP)`);
  }
}

/** NaN and the infinities by their names, as JSON strings or CSV text; other values by `finite`. */
function floatValue(x: string, finite: string, format: TextFormat): string {
  const named = (name: string) => (format === 'json' ? `${sqlString(JSON.stringify(name))}::JSON` : sqlString(name));
  return (
    `CASE WHEN isnan(${x}) THEN ${named('NaN')} WHEN ${x} = 'infinity'::DOUBLE THEN ${named('Infinity')} ` +
    `WHEN ${x} = '-infinity'::DOUBLE THEN ${named('-Infinity')} ELSE ${finite} END`
  );
}

/** `x` (of `type`) as a JSON value; `depth` names lambda parameters apart. */
function jsonValue(x: string, type: DuckDBType, depth: number): string {
  if (!changes(type, 'json')) return x;
  if (TIMES.has(type.typeId)) return timeText(x, type);
  if (type.typeId === I.DOUBLE) return floatValue(x, `to_json(${x})`, 'json');
  // A FLOAT's text is its shortest decimal; as JSON text it is that number.
  if (type.typeId === I.FLOAT) return floatValue(x, `CAST(CAST(${x} AS VARCHAR) AS JSON)`, 'json');
  const v = `v${depth}`;
  if (type instanceof DuckDBListType || type instanceof DuckDBArrayType)
    return `list_transform(${x}, ${v} -> ${jsonValue(v, type.valueType, depth + 1)})`;
  if (type instanceof DuckDBMapType) {
    const key = jsonKey(`${v}.key`, type.keyType, depth + 1);
    const value = jsonValue(`${v}.value`, type.valueType, depth + 1);
    return `map_from_entries(list_transform(map_entries(${x}), ${v} -> {'key': ${key}, 'value': ${value}}))`;
  }
  if (type instanceof DuckDBStructType) {
    const entries = type.entryNames.map(
      (name, i) =>
        `${sqlString(name)}: ${jsonValue(`struct_extract(${x}, ${sqlString(name)})`, type.entryTypes[i]!, depth + 1)}`,
    );
    return `CASE WHEN ${x} IS NULL THEN NULL ELSE {${entries.join(', ')}} END`;
  }
  return x;
}

/** A map's key as the name it has in a JSON object: a time as its ISO text, a float's NaN as `NaN`. */
function jsonKey(x: string, type: DuckDBType, depth: number): string {
  if (TIMES.has(type.typeId)) return timeText(x, type);
  if (FLOATS.has(type.typeId)) return floatValue(x, `CAST(${x} AS VARCHAR)`, 'csv');
  return jsonValue(x, type, depth);
}

/** `x` (of `type`) as a CSV cell: as printed, a nested value as its JSON text. */
function csvValue(x: string, type: DuckDBType): string {
  if (TIMES.has(type.typeId)) return timeText(x, type);
  if (type.typeId === I.DOUBLE || type.typeId === I.FLOAT) return floatValue(x, `CAST(${x} AS VARCHAR)`, 'csv');
  if (NESTED.has(type.typeId)) return `CAST(to_json(${jsonValue(x, type, 0)}) AS VARCHAR)`;
  return x;
}

/**
 * The COPY source for a CSV or JSON export: `source` itself when no column changes, else a SELECT of it with
 * those columns written as printed (same names, same order).
 */
export function textSource(
  source: string,
  columns: readonly { name: string; type: DuckDBType }[],
  format: TextFormat,
): string {
  const replaced = columns
    .filter((c) => changes(c.type, format))
    .map((c) => {
      const x = sqlIdent(c.name);
      return `${format === 'json' ? jsonValue(x, c.type, 0) : csvValue(x, c.type)} AS ${x}`;
    });
  return replaced.length ? `(SELECT * REPLACE (${replaced.join(', ')}) FROM ${source})` : source;
}

/** The columns of a table with their DuckDB types (a result's `Column` has only the type's name). */
export async function typesOf(conn: DuckDBConnection, table: string): Promise<{ name: string; type: DuckDBType }[]> {
  const reader = await conn.runAndReadAll(`SELECT * FROM ${table} LIMIT 0`);
  const types = reader.columnTypes();
  return reader.columnNames().map((name, i) => ({ name, type: types[i]! }));
}
