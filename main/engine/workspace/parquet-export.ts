/**
 * What a Parquet export selects from a kept result. Parquet has no 128-bit integer, and DuckDB writes a
 * HUGEINT column (every `sum()` of a BIGINT, `sum(bytes)` among them) as a DOUBLE: a float in the file, its
 * digits beyond 2^53 lost. Such a column is written as a 64-bit integer when its values fit one, which is what
 * readers expect of a count, else as DECIMAL(38,0), which keeps all of its digits; only a value of 39 digits
 * is left to DuckDB's DOUBLE.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column } from '../../../preload/contract';
import { sqlIdent } from '../../../queries/catalog/sql-quote';

const WIDE_INTEGERS = new Set(['HUGEINT', 'UHUGEINT']);
const DECIMAL_38 = '99999999999999999999999999999999999999';

/** The COPY source: the table itself, or a SELECT of it with its wide integer columns narrowed. */
export async function parquetSource(
  conn: DuckDBConnection,
  table: string,
  columns: readonly Column[],
): Promise<string> {
  const wide = columns.filter((c) => WIDE_INTEGERS.has(c.type));
  if (wide.length === 0) return table;
  const checks = wide.flatMap((c) => {
    const name = sqlIdent(c.name);
    return [
      `coalesce(bool_and(${name} BETWEEN -9223372036854775808 AND 9223372036854775807), true)`,
      `coalesce(bool_and(${name} BETWEEN -${DECIMAL_38} AND ${DECIMAL_38}), true)`,
    ];
  });
  const fits = (await conn.runAndReadAll(`SELECT ${checks.join(', ')} FROM ${table}`)).getRows()[0]!;
  const narrowed = wide.flatMap((c, i) => {
    const type = fits[2 * i] ? 'BIGINT' : fits[2 * i + 1] ? 'DECIMAL(38,0)' : null;
    return type ? [`CAST(${sqlIdent(c.name)} AS ${type}) AS ${sqlIdent(c.name)}`] : [];
  });
  return narrowed.length ? `(SELECT * REPLACE (${narrowed.join(', ')}) FROM ${table})` : table;
}
