/**
 * Result rows as text for the terminal and for other programs: an aligned table, CSV, or one JSON array of
 * row objects. Cells arrive by the wire rule (big integers and decimals as digit strings); JSON writes the
 * numbers of integer and decimal columns as bare numbers with all their digits, which `JSON.stringify` of a
 * Number cannot, as DuckDB's own JSON export (`--output x.json`) writes them.
 */
import type { CellValue, Column, JobSummary } from '../../preload/contract';
import { rejectsByUnit } from '../../preload/contract/rejects';
import { spreadsheetText, TEXT_TYPE } from '../../queries/catalog/spreadsheet-text';
import { csvField } from '../engine/csv-field';

export type OutputFormat = 'table' | 'csv' | 'json';

/**
 * A count with thousands separators, `12,345`, as `toLocaleString('en-US')` writes it, without loading ICU's
 * locale data, which takes a tenth of `flowscope info`'s start-up.
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count and its noun, singular for one: `1 record`, `12,345 records`. */
export function counted(n: number, noun: string): string {
  return `${thousands(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A job's rejects counted in what they are, `2 lines`, `3 rows`, `2 lines and 3 events`, or `nothing`: a Parquet
 * file's rejects are rows and log events read from JSON or pulled from CloudWatch are events, not lines.
 */
export function rejectsCounted(s: Pick<JobSummary, 'rejected' | 'rejectedEvents' | 'rejectedRows'>): string {
  const parts = rejectsByUnit(s);
  return parts.length ? parts.map(([n, unit]) => counted(n, unit)).join(' and ') : 'nothing';
}

const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'BIGNUM',
]);

/** The parts of a type name's parenthesised list at its top level: `VARCHAR, DECIMAL(5,2)` → two. */
function topLevelParts(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}

/** The element type of a list (`T[]`) or array (`T[3]`) type name, else undefined. */
function elementType(type: string): string | undefined {
  return /^(.*)\[\d*\]$/s.exec(type)?.[1];
}

/** A STRUCT type name's fields, `STRUCT(a INTEGER, "b c" MAP(VARCHAR, BIGINT))`, by name. */
function structFields(type: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of topLevelParts(type.slice('STRUCT('.length, -1))) {
    const quoted = /^"((?:[^"]|"")*)"\s+(.*)$/s.exec(part);
    const [, name, fieldType] = quoted ?? /^(\S+)\s+(.*)$/s.exec(part) ?? [];
    if (name !== undefined && fieldType !== undefined) fields.set(quoted ? name.replace(/""/g, '"') : name, fieldType);
  }
  return fields;
}

/**
 * A cell as JSON text; `type` is the DuckDB type name of its column. A map is an object of its keys
 * (`{"a":1}`), as DuckDB's JSON writes one (the wire's `[{"key":"a","value":1}]` keeps the key's type, which a
 * JSON name cannot); inside lists, structs and maps the same rules hold.
 */
export function jsonCell(value: CellValue, type: string): string {
  if (typeof value === 'string' && INTEGER_TYPES.has(type) && /^-?\d+$/.test(value)) return value;
  if (typeof value === 'string' && type.startsWith('DECIMAL') && /^-?\d+(\.\d+)?$/.test(value)) return value;
  const element = elementType(type);
  if (Array.isArray(value) && element !== undefined) return `[${value.map((v) => jsonCell(v, element)).join(',')}]`;
  if (Array.isArray(value) && type.startsWith('MAP(') && type.endsWith(')')) {
    const [, valueType = ''] = topLevelParts(type.slice('MAP('.length, -1));
    const entries = (value as { key: CellValue; value: CellValue }[]).map(
      (e) =>
        `${JSON.stringify(typeof e.key === 'object' && e.key !== null ? JSON.stringify(e.key) : String(e.key))}:${jsonCell(e.value, valueType)}`,
    );
    return `{${entries.join(',')}}`;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && type.startsWith('STRUCT(')) {
    const fields = structFields(type);
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${jsonCell(v, fields.get(k) ?? '')}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function jsonRow(columns: readonly Column[], row: readonly CellValue[]): string {
  return `{${columns.map((c, i) => `${JSON.stringify(c.name)}:${jsonCell(row[i] ?? null, c.type)}`).join(',')}}`;
}

/**
 * NULL is an empty field and the empty text `""`, as DuckDB's CSV export (`--output x.csv`) tells them apart.
 * With the row's `columns`, a text cell a spreadsheet would run as a formula gets a `'` in front, as in that
 * export (`queries/catalog/spreadsheet-text.ts`); the caller does the same for the header line's names.
 */
export function csvLine(cells: readonly CellValue[], columns?: readonly Column[]): string {
  const field = (cell: CellValue, i: number) => {
    if (cell === '') return '""';
    // A list, struct or map is its JSON text, as in `--format json` and a CSV file.
    const type = columns?.[i]?.type;
    const text = cell !== null && typeof cell === 'object' && type ? jsonCell(cell, type) : plainText(cell);
    return csvField(typeof cell === 'string' && columns?.[i]?.type === TEXT_TYPE ? spreadsheetText(text) : text);
  };
  return `${cells.map(field).join(',')}\n`;
}

function plainText(value: CellValue): string {
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An aligned table; numbers right-aligned. Long cells are cut at `maxWidth` characters. */
export function tableText(columns: readonly Column[], rows: readonly (readonly CellValue[])[], maxWidth = 60): string {
  // A line break or tab inside a cell is shown as an escape: written as it is, it would break the row.
  const escapes: Record<string, string> = { '\r\n': '\\r\\n', '\r': '\\r', '\n': '\\n', '\t': '\\t' };
  const cut = (s: string) => {
    const line = s.replace(/\r\n|[\r\n\t]/g, (c) => escapes[c]!);
    return line.length > maxWidth ? `${line.slice(0, maxWidth - 1)}…` : line;
  };
  const cells = rows.map((r) => columns.map((_, i) => cut(plainText(r[i] ?? null))));
  // A loop, not Math.max(...cells): spreading a result of a few hundred thousand rows overflows the stack.
  const widths = columns.map((c, i) => cells.reduce((w, r) => Math.max(w, r[i]!.length), c.name.length));
  const numeric = columns.map((_, i) =>
    rows.every((r) => r[i] === null || typeof r[i] === 'number' || INTEGER_TYPES.has(columns[i]!.type)),
  );
  const line = (parts: string[]) =>
    `${parts
      .map((p, i) => (numeric[i] ? p.padStart(widths[i]!) : p.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()}\n`;
  return [line(columns.map((c) => cut(c.name))), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('');
}
