/**
 * What a CSV export selects from a kept result: its text columns as a spreadsheet may open them, a cell that
 * would run as a formula written with a `'` in front (`queries/catalog/spreadsheet-text.ts`). Numbers,
 * times and every other type are written as DuckDB writes them.
 */
import type { Column } from '../../../preload/contract';
import { sqlIdent } from '../../../queries/catalog/sql-quote';
import { spreadsheetTextSql, TEXT_TYPE } from '../../../queries/catalog/spreadsheet-text';

/** The COPY source: `source` itself, or a SELECT of it with its text columns made safe to open. */
export function csvSource(source: string, columns: readonly Column[]): string {
  const text = columns.filter((c) => c.type === TEXT_TYPE);
  if (text.length === 0) return source;
  const safe = text.map((c) => `${spreadsheetTextSql(sqlIdent(c.name))} AS ${sqlIdent(c.name)}`);
  return `(SELECT * REPLACE (${safe.join(', ')}) FROM ${source})`;
}
