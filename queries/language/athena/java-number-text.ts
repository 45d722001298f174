/**
 * A DOUBLE or REAL as text the way Trino writes one: Java's Double.toString (Float.toString), which Trino's
 * CAST to varchar and format's `%s` use. Plain between 10^-3 and 10^7 with at least one decimal (`100.0`,
 * `0.001`), else computerized scientific notation (`1.0E7`, `1.2345E-5`); NaN, Infinity, -0.0 as Java spells
 * them. The digits are DuckDB's shortest text of the value, the same ones Java's (JDK 19+) algorithm picks.
 */
import { bindOnce } from './bind-sql';

/** SQL: Java's text of the finite, non-zero magnitude whose DuckDB text is `s` (`1e+20`, `10000000.0`). */
function magnitudeSql(s: string): string {
  // The significant digits d and the exponent e of d[0].d[1…] × 10^e.
  const mantissa = `split_part(${s}, 'e', 1)`;
  const exponent = `coalesce(TRY_CAST(split_part(${s}, 'e', 2) AS INTEGER), 0)`;
  const all = `replace(m_, '.', '')`;
  const digits = `rtrim(ltrim(${all}, '0'), '0')`;
  const e = `(x_ + strpos(m_ || '.', '.') - 2 - (length(${all}) - length(ltrim(${all}, '0'))))`;
  const fraction = (from: string) => `coalesce(nullif(substr(d_, ${from}), ''), '0')`;
  const text =
    `CASE WHEN e_ >= 7 OR e_ < -3 THEN left(d_, 1) || '.' || ${fraction('2')} || 'E' || e_ ` +
    `WHEN e_ >= 0 THEN left(d_ || '000000', e_ + 1) || '.' || ${fraction('e_ + 2')} ` +
    `ELSE '0.' || left('00', -e_ - 1) || d_ END`;
  return bindOnce(mantissa, 'm_', bindOnce(exponent, 'x_', bindOnce(digits, 'd_', bindOnce(e, 'e_', text))));
}

/** SQL: Java's text of the DOUBLE or REAL `x`, NULL for NULL. */
export function javaNumberTextSql(x: string): string {
  return bindOnce(
    x,
    'j_',
    `CASE WHEN j_ IS NULL THEN NULL WHEN isnan(j_) THEN 'NaN' ` +
      `WHEN isinf(j_) THEN CASE WHEN j_ > 0 THEN 'Infinity' ELSE '-Infinity' END ` +
      `WHEN j_ = 0 THEN CASE WHEN signbit(j_) THEN '-0.0' ELSE '0.0' END ` +
      `ELSE CASE WHEN j_ < 0 THEN '-' ELSE '' END || ${magnitudeSql('CAST(abs(j_) AS VARCHAR)')} END`,
  );
}
