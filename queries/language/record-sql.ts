/**
 * Reading SQL over the records (the compiler's text for a key, an aggregate or a condition): which stored
 * columns it reads, whether it reads other records. The forms that group first (`eager-stats.ts`,
 * `summary-stats.ts`) apply only where these say they give the same answer.
 */
import { DERIVED_COLUMNS, FLOW_FIELDS } from '../catalog/fields';

/** What the records hold, by the names SQL over them reads (lower case). */
const STORED_COLUMNS = new Set([...FLOW_FIELDS.map((f) => f.column), ...Object.keys(DERIVED_COLUMNS)]);

/** SQL with each string literal's text blanked out (its length kept), so that only the code is read. */
export const code = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, (s) => `'${'_'.repeat(s.length - 2)}'`);

/** The stored columns SQL over the records reads: each identifier outside string literals that names one. */
export function storedColumnsIn(sql: string): string[] {
  const found = new Set<string>();
  for (const m of code(sql).matchAll(/"((?:[^"]|"")+)"|\b([A-Za-z_][A-Za-z0-9_]*)\b/g)) {
    // Bare, `END` closes a CASE: the column `end` is always written quoted.
    if (m[2]?.toLowerCase() === 'end') continue;
    const name = (m[1]?.replace(/""/g, '"') ?? m[2]!).toLowerCase();
    if (STORED_COLUMNS.has(name)) found.add(name);
  }
  return [...found];
}

/** A column read as it is stored (not the words NULL, TRUE, FALSE, which are constants). */
export const isIdentifier = (sql: string) =>
  /^(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)$/.test(sql.trim()) && !/^(null|true|false)$/i.test(sql.trim());

/** Whether SQL reads records other than its own (a subquery over them, a window), outside its texts. */
export const readsRecords = (sql: string) => /\bmain\.flows\b|\bflows\.|\bOVER\b/i.test(code(sql));
