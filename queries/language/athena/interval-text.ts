/**
 * An interval as Trino writes it (its client's `IntervalDayTime.formatMillis` and
 * `IntervalYearMonth.formatMonths`, which CAST(… AS varchar) and Athena's answers use): a day-to-second
 * interval `3 00:00:53.000`, `-0 00:00:49.000`, a year-to-month one `1-2`. DuckDB's text is `3 days 00:00:53`
 * and `1 year 2 months`.
 */
import type { SqlType } from './types';

/** Whether the type is one of Trino's two interval types. */
export const isInterval = (t: SqlType): t is 'interval day to second' | 'interval year to month' =>
  t === 'interval day to second' || t === 'interval year to month';

/** SQL: the interval `iv` (a DuckDB INTERVAL of the Trino type `type`) as Trino's text. */
export function intervalTextSql(iv: string, type: 'interval day to second' | 'interval year to month'): string {
  // Not printf or lpad: on a query connection those are guarded macros, which Athena's try() refuses.
  const pad = (n: string, width: number) => `right('${'0'.repeat(width)}' || CAST(${n} AS VARCHAR), ${width})`;
  if (type === 'interval year to month') {
    const months = `(date_part('year', ${iv}) * 12 + date_part('month', ${iv}))`;
    return `(CASE WHEN ${months} < 0 THEN '-' ELSE '' END || CAST(abs(${months}) // 12 AS VARCHAR) || '-' || CAST(abs(${months}) % 12 AS VARCHAR))`;
  }
  const ms = `abs(CAST(round(epoch(${iv}) * 1000) AS BIGINT))`;
  return (
    `(CASE WHEN epoch(${iv}) < 0 THEN '-' ELSE '' END || CAST(${ms} // 86400000 AS VARCHAR) || ' ' || ` +
    `${pad(`${ms} % 86400000 // 3600000`, 2)} || ':' || ${pad(`${ms} % 3600000 // 60000`, 2)} || ':' || ` +
    `${pad(`${ms} % 60000 // 1000`, 2)} || '.' || ${pad(`${ms} % 1000`, 3)})`
  );
}
