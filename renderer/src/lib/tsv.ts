/**
 * Tab-separated text for the clipboard: what spreadsheets and terminals paste as a table. Raw values, not
 * the formatted ones, so what is pasted can be computed with; tabs and line breaks inside a value become
 * spaces, since TSV has no quoting that every reader agrees on. Rows copied with their columns go to a
 * spreadsheet, which takes each pasted cell as typed: a text cell that would run as a formula gets a `'` in
 * front, as in a CSV export (`queries/catalog/spreadsheet-text.ts`), and so does a column name (Sumo's
 * `transpose` names columns by values). One cell copied alone is its value as is.
 */
import type { CellValue, Column } from '../../../preload/contract';
import { spreadsheetText, TEXT_TYPE } from '../../../queries/catalog/spreadsheet-text';
import { cellText } from './cell-format';

function field(value: CellValue, column?: Column): string {
  const text = cellText(value).replace(/[\t\r\n]+/g, ' ');
  return typeof value === 'string' && column?.type === TEXT_TYPE ? spreadsheetText(text) : text;
}

export function rowsToTsv(rows: readonly (readonly CellValue[])[], columns?: readonly Column[]): string {
  const lines = rows.map((row) => row.map((value, i) => field(value, columns?.[i])).join('\t'));
  if (columns) lines.unshift(columns.map((c) => spreadsheetText(c.name.replace(/[\t\r\n]+/g, ' '))).join('\t'));
  return lines.join('\n');
}
