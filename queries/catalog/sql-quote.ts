/**
 * Writing values and names into SQL text: the one place it is done, for the compiler, the enrichment
 * macros, the workspace and the renderer's drill-down. A string goes in single quotes and a name in double
 * quotes, each doubling its own quote character, which is all DuckDB's lexer needs to read them back whole.
 */

/** `it's` → `'it''s'` */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `bytes "in"` → `"bytes ""in"""` */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A value as a SQL literal: numbers as digits (NULL when not finite), booleans as TRUE/FALSE, text quoted. */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return sqlString(value);
}

/** A time in milliseconds since 1970 as a TIMESTAMP literal (UTC, to the millisecond). */
export function sqlTimestamp(ms: number): string {
  return `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/** The time a literal written by sqlTimestamp stands for, in milliseconds; NaN for any other text. */
export function timestampMs(literal: string): number {
  const m = /^TIMESTAMP '(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})'$/.exec(literal.trim());
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : NaN;
}
