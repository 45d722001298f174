/**
 * The field sidebar's data, as Sumo Logic's field browser and CloudWatch's field list show it: for each
 * field of a result that names something (an address, a port, an action, an ENI, text), its most frequent
 * values with their counts and how many distinct values it has. Times and measures (bytes, counts) are
 * left out: their top values say little. The SQL runs over a kept result's table, in the engine.
 */
import type { Column } from './column-kind';
import { columnKind } from './column-kind';
import { sqlIdent } from '../catalog/sql-quote';

/** Values listed per field. */
export const TOP_VALUES = 5;
/** Fields summarised per result (a wide SQL result lists its first ones). */
export const MAX_FIELDS = 40;

/** Whether a column's top values are worth listing. */
export function summarised(column: Column): boolean {
  const kind = columnKind(column);
  return kind !== 'time' && kind !== 'bytes' && kind !== 'number';
}

/**
 * One field's top values in `table` (largest count first, then by value, so ties read the same every time),
 * each row with the field's number of distinct values, a missing one (NULL) among them: columns `value`, `n`,
 * `distinct_values`.
 */
export function fieldValuesSql(table: string, column: string, top = TOP_VALUES): string {
  const c = sqlIdent(column);
  return (
    // A missing value (NULL) is listed as a value, so it is counted as one: "2 values" above 3 read as wrong.
    `SELECT ${c} AS value, count(*) AS n, (SELECT count(DISTINCT ${c}) + (count(*) > count(${c}))::INTEGER FROM ${table}) AS distinct_values ` +
    `FROM ${table} GROUP BY 1 ORDER BY n DESC, 1 NULLS LAST LIMIT ${top}`
  );
}
