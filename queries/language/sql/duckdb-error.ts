/**
 * Where in the analyst's SQL DuckDB found an error. DuckDB writes the position under its message as the
 * line of the statement and a caret ("LINE 2: FROM flws\n              ^"), cutting a long line to an
 * excerpt with "..." around it; this finds the line and column in the text as written, and the word there
 * to underline, so SQL errors are shown and underlined like those of the pipe dialects.
 */
import type { QueryDiagnostic } from '../types';
import { SourceText } from '../source';

const POSITION = /\n*LINE (\d+): ([^\n]*)\n( *)\^[^\n]*$/;

/** The error's own words, without the position DuckDB appends. */
export function duckdbErrorMessage(message: string): string {
  return message.replace(POSITION, '').trim();
}

/** The diagnostic of a DuckDB error message about `text` (the statement as the analyst wrote it), or null without a position. */
export function duckdbErrorDiagnostic(message: string, text: string): QueryDiagnostic | null {
  const m = POSITION.exec(message);
  if (!m) return null;
  const lineNo = Number(m[1]);
  const excerpt = m[2]!;
  const prefix = `LINE ${m[1]}: `.length;
  const at = m[3]!.length - prefix;
  const lines = text.split('\n');
  const line = lines[lineNo - 1];
  if (line === undefined || at < 0) return null;
  // A cut line reads "...middle..."; find the shown part in the line to know where the caret points.
  const lead = excerpt.startsWith('...') ? 3 : 0;
  const shown = excerpt.slice(lead).replace(/\.\.\.$/, '');
  const start = lead ? line.indexOf(shown) : 0;
  if (start < 0) return null;
  const column = Math.min(line.length, start + at - lead);
  const offset = lines.slice(0, lineNo - 1).reduce((sum, l) => sum + l.length + 1, 0) + column;
  const word = /^[\w.$"]+/.exec(line.slice(column))?.[0].length ?? 1;
  return { message: duckdbErrorMessage(message), span: new SourceText(text).span(offset, word) };
}
