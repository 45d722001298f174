/**
 * Where in the analyst's text an error Athena reports is. Trino places its errors in the SQL it received
 * (`COLUMN_NOT_FOUND: line 3:8: …`, the column counted in characters), which is not the text the analyst
 * wrote: an Athena SQL query is sent with a WITH query in front and its table names replaced, and the other
 * dialects are sent as a translation. A place in a part copied from the analyst's text is given in that text;
 * any other is said to be in the SQL sent, with that line of it shown and marked, never as a line and column
 * that the analyst would read in their own query.
 */
import { SourceText } from '../source';
import type { QueryDiagnostic } from '../types';

/** A run of the SQL sent copied unchanged from the analyst's text: `sent` and `text` are its offsets there. */
export interface CopiedRun {
  sent: number;
  text: number;
  length: number;
}

const TRINO_PLACE = /\bline (\d+):(\d+)(?::\s*|\b)/;

/** Characters of a long line shown on each side of the place. */
const EXCERPT = 60;

/** The offset in `sql` of Trino's line and column (1-based, the column counted in code points), or null. */
function sentOffset(sql: string, line: number, column: number): number | null {
  const lines = sql.split('\n');
  const text = lines[line - 1];
  if (text === undefined || column < 1) return null;
  const points = [...text];
  if (column - 1 > points.length) return null;
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  return start + points.slice(0, column - 1).join('').length;
}

/** The line of `sql` holding `offset`, cut to an excerpt around it, and a caret under the place. */
function markedLine(sql: string, offset: number): string {
  const lineStart = sql.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = sql.indexOf('\n', offset);
  const line = sql.slice(lineStart, lineEnd < 0 ? sql.length : lineEnd);
  const at = offset - lineStart;
  const from = Math.max(0, at - EXCERPT);
  const to = Math.min(line.length, at + EXCERPT);
  const lead = from > 0 ? '…' : '';
  const shown = `${lead}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
  return `  ${shown}\n  ${' '.repeat(lead.length + at - from)}^`;
}

/**
 * Athena's reason `why` for failing the SQL `sent`, compiled from `text`, with its place made the analyst's
 * (and a diagnostic to underline it) where `copied` says that character came from `text`; else said to be in
 * the SQL sent, shown. A reason without a place is answered as it came.
 */
export function placeAthenaError(
  why: string,
  sent: string,
  text: string,
  copied: readonly CopiedRun[],
): { message: string; diagnostics: QueryDiagnostic[] } {
  const m = TRINO_PLACE.exec(why);
  const offset = m ? sentOffset(sent, Number(m[1]), Number(m[2])) : null;
  if (!m || offset === null) return { message: why, diagnostics: [] };
  const run = copied.find((r) => offset >= r.sent && offset < r.sent + r.length);
  const reason = why.replace(TRINO_PLACE, '').trim();
  if (run) {
    const at = run.text + offset - run.sent;
    const word = /^[\w$]+|^"[^"\n]*"?/.exec(text.slice(at))?.[0].length || 1;
    const span = new SourceText(text).span(at, word);
    return {
      message: `line ${span.line}, column ${span.column}: ${reason}`,
      diagnostics: [{ message: reason, span }],
    };
  }
  return {
    message: `${reason} (at line ${m[1]}, column ${m[2]} of the SQL sent to Athena, which Flowscope wrote from the query; not a place in the query as written):\n${markedLine(sent, offset)}`,
    diagnostics: [],
  };
}
