/**
 * SQL for Sumo's `fillmissing`: the result, and after it a row for every combination of key values the
 * generators enumerate that the result lacks. The compiler resolves the fields and their SQL names
 * (columns of one relation); this module only writes the SQL.
 */
import { sqlLiteral } from '../catalog/sql-quote';
import { epochBucketSql } from '../catalog/time-buckets';
import type { ValueType } from './field-names';

/** As Sumo, the generators enumerate at most this many combinations; the rest are left out. */
export const FILL_MAX_COMBINATIONS = 10_000;

export type FillKey =
  /** The time slices of `stepMs` from the one holding `from` to the one holding `to` (SQL times). */
  | { kind: 'timeslice'; column: string; stepMs: number; from: string; to: string }
  /** These values (SQL literals), or `all` the values the result has. */
  | { kind: 'values'; column: string; values: string[] | 'all' };

export interface FillColumn {
  column: string;
  /** SQL for what an appended row holds. */
  value: string;
}

/**
 * The rows to append to the relation `result` (a CTE name): the combinations of the keys it lacks, with
 * `fills` in the other columns (null where none is given) and, if named, a `marker` column TRUE.
 */
export function missingRowsSql(
  result: string,
  keys: readonly FillKey[],
  fills: readonly FillColumn[],
  marker?: string,
): string {
  const generators = keys.map((k, i) => {
    if (k.kind === 'values')
      return k.values === 'all'
        ? `(SELECT DISTINCT ${k.column} FROM ${result}) AS _g${i}`
        : `(SELECT unnest([${k.values.join(', ')}]) AS ${k.column}) AS _g${i}`;
    const step = `INTERVAL '${k.stepMs} milliseconds'`;
    // The slices `timeslice` makes: from the epoch.
    const first = epochBucketSql(step, k.from);
    const to = epochBucketSql(step, k.to);
    const last = `least(${to}, ${first} + ${FILL_MAX_COMBINATIONS - 1} * ${step})`;
    return `(SELECT unnest(generate_series(${first}, ${last}, ${step})) AS ${k.column}) AS _g${i}`;
  });
  const columns = keys.map((k) => k.column).join(', ');
  const grid = `SELECT ${columns} FROM ${generators.join(' CROSS JOIN ')} ORDER BY ${columns} LIMIT ${FILL_MAX_COMBINATIONS}`;
  const values = fills.map((f) => `, ${f.value} AS ${f.column}`).join('');
  return (
    `SELECT *${values}${marker ? `, TRUE AS ${marker}` : ''} ` +
    `FROM (SELECT * FROM (${grid}) EXCEPT SELECT ${columns} FROM ${result})`
  );
}

/** What an appended row holds in a column that is not a key, unless `with` says: Sumo's default for its type. */
export function defaultFill(type: ValueType): string {
  return type === 'number' ? '0' : type === 'boolean' ? 'FALSE' : 'NULL';
}

/** A value of `values("…")` as a literal of the key's type (a port is a number, so `"443"` is 443). */
export function keyLiteral(value: string, type: ValueType): string | null {
  if (type !== 'number') return sqlLiteral(value);
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) return null;
  return Number.isInteger(n) ? String(n) : `CAST(${n} AS DOUBLE)`;
}

/**
 * `takeLast`: in an appended row (`marker` TRUE), the value the column had in the last row of the result
 * before it in time with the same other keys, else `fallback`.
 */
export function takeLastSql(
  column: string,
  marker: string,
  partition: readonly string[],
  time: string,
  fallback: string,
): string {
  const over = `OVER (${partition.length ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${time} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
  return `(CASE WHEN ${marker} THEN coalesce(last_value(CASE WHEN ${marker} IS NULL THEN ${column} END IGNORE NULLS) ${over}, ${fallback}) ELSE ${column} END)`;
}
