/**
 * Trino's decimal division in DuckDB SQL. DuckDB divides decimals as DOUBLEs (`1.0 / 3` is
 * 0.333…); Trino keeps the larger scale of the two sides and rounds half up to it (`1.0 / 3` is 0.3,
 * `SUM(bytes) / 1024.0 / 1024.0` rounds to one decimal at each step, so a published GiB column reads
 * 66.1). The quotient is made exactly in integers: the dividend scaled to a whole number with one digit more
 * than the result keeps, the divisor to a whole number, divided with truncation (`//` of HUGEINTs); the
 * cast to the result's DECIMAL then rounds that digit away half away from zero, as Trino does. Values too
 * large for 38 digits fail with DuckDB's overflow error rather than lose digits.
 */
import { isDecimal, type SqlType } from './types';

const scaleOf = (t: SqlType): number => (isDecimal(t) ? t.decimal[1] : 0);

/** 10^n as an integer literal (DuckDB reads it as a HUGEINT past BIGINT's range). */
const tenTo = (n: number): string => `1${'0'.repeat(n)}`;

/** A number (integer or decimal) times 10^digits, as a HUGEINT; `digits` is at least its scale, so exact. */
function scaledToWhole(sql: string, type: SqlType, digits: number): string {
  if (!isDecimal(type)) return digits ? `(CAST(${sql} AS HUGEINT) * ${tenTo(digits)})` : `CAST(${sql} AS HUGEINT)`;
  return digits ? `CAST(${sql} * ${tenTo(digits)} AS HUGEINT)` : `CAST(${sql} AS HUGEINT)`;
}

/**
 * `left / right` as Trino's DECIMAL `result`, or null when the scales are too large for a HUGEINT to
 * hold the scaled dividend's factor. The caller checks the divisor for zero.
 */
export function decimalQuotientSql(
  left: { sql: string; type: SqlType },
  right: { sql: string; type: SqlType },
  result: { decimal: [number, number] },
): string | null {
  const [precision, scale] = result.decimal;
  const divisorScale = scaleOf(right.type);
  const digits = scale + 1 + divisorScale;
  if (digits > 38) return null;
  const dividend = scaledToWhole(left.sql, left.type, digits);
  const divisor = scaledToWhole(right.sql, right.type, divisorScale);
  // The truncated quotient has scale + 1 decimals; multiplying by 0.…01 makes it that DECIMAL exactly.
  const truncated = `(CAST(${dividend} // ${divisor} AS DECIMAL(38, 0)) * 0.${tenTo(scale).slice(1)}1)`;
  return `CAST(${truncated} AS DECIMAL(${precision}, ${scale}))`;
}
