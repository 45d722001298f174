/**
 * Tab-separated text for the clipboard: what spreadsheets and terminals paste as a table. Raw values, not
 * the formatted ones, so what is pasted can be computed with; tabs and line breaks inside a value become
 * spaces, since TSV has no quoting that every reader agrees on.
 */
import type { CellValue, Column } from '../../../preload/contract';
import { cellText } from './cell-format';

function field(value: CellValue): string {
  return cellText(value).replace(/[\t\r\n]+/g, ' ');
}

export function rowsToTsv(rows: readonly (readonly CellValue[])[], columns?: readonly Column[]): string {
  const lines = rows.map((row) => row.map(field).join('\t'));
  if (columns) lines.unshift(columns.map((c) => c.name.replace(/[\t\r\n]+/g, ' ')).join('\t'));
  return lines.join('\n');
}
