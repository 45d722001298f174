/**
 * What a CSV export selects from a kept result: its text columns as a spreadsheet may open them, a cell that
 * would run as a formula written with a `'` in front (`queries/catalog/spreadsheet-text.ts`). Numbers,
 * times and every other type are written as DuckDB writes them. The header line's names get the same rule:
 * a result's columns can be named by values of the records (Sumo's `transpose … column interface_id`).
 */
import type { Column } from '../../../preload/contract';
import { sqlIdent } from '../../../queries/catalog/sql-quote';
import { spreadsheetText, spreadsheetTextSql, TEXT_TYPE } from '../../../queries/catalog/spreadsheet-text';

/** The COPY source: `source` itself, or a SELECT of it with its text columns and names made safe to open. */
export function csvSource(source: string, columns: readonly Column[]): string {
  const changes = (c: Column) => c.type === TEXT_TYPE || spreadsheetText(c.name) !== c.name;
  if (!columns.some(changes)) return source;
  const safe = columns.map((c) => {
    const value = c.type === TEXT_TYPE ? spreadsheetTextSql(sqlIdent(c.name)) : sqlIdent(c.name);
    return `${value} AS ${sqlIdent(spreadsheetText(c.name))}`;
  });
  return `(SELECT ${safe.join(', ')} FROM ${source})`;
}
