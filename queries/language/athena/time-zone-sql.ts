/**
 * Trino's zoned timestamps in the Athena dialect: a zone named by a literal (`AT TIME ZONE 'Europe/Paris'`,
 * `at_timezone(t, 'America/New_York')`) is checked when the query is compiled, and a zoned value is shown as
 * Athena prints it. The value itself stays the instant as a UTC TIMESTAMP (see `Tx.zone`).
 */
import type { SourceSpan } from '../plan';
import { readTimeZone, wallClockSql, type TimeZone } from '../../catalog/time-zones';
import { sqlString } from '../../catalog/sql-quote';

/** The zone a literal argument names (null: UTC); a name Trino would not know fails at the literal. */
export function zoneOf(
  t: { literal?: unknown; span: SourceSpan },
  fail: (message: string, span: SourceSpan, hint?: string) => never,
): TimeZone | null {
  if (typeof t.literal !== 'string')
    return fail('Flowscope reads a time zone written as a string literal here.', t.span, "for example 'Europe/Paris'");
  const zone = readTimeZone(t.literal);
  if (zone === undefined)
    return fail(
      `Time zone not supported: ${t.literal}`,
      t.span,
      "a zone name such as 'America/New_York' or 'UTC', or an offset such as '+05:30'",
    );
  return zone;
}

/** A zoned timestamp as Trino writes it: `2026-01-01 03:00:00.000 Europe/Paris`. */
export function zonedTextSql(instant: string, zone: TimeZone): string {
  return `(strftime(${wallClockSql(instant, zone)}, '%Y-%m-%d %H:%M:%S.%g') || ${sqlString(` ${zone.name}`)})`;
}
