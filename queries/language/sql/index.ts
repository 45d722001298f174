/**
 * The DuckDB SQL dialect: which texts are SQL, which are refused before they reach DuckDB, and the
 * rewrite that makes `flows` mean the records of the chosen time range.
 *
 * The rewrite puts a CTE named `flows` in front of the statement (`WITH flows AS NOT MATERIALIZED (SELECT *
 * FROM main.flows WHERE start_time ...)`), which shadows the table for every reference in the statement,
 * subqueries included. Writing `main.flows` reaches every record on purpose: the time range is a view
 * of the data, not a permission, and the whole workspace is the user's own.
 *
 * Read-only is not decided here from the text: the engine prepares the statement and checks DuckDB's
 * statement type, and runs it in a read-only transaction. The leading-word checks only give a clear message
 * early (and catch `PRAGMA x`, which DuckDB rewrites into a SELECT). `EXPLAIN ANALYZE` runs the statement it
 * explains, and DuckDB does not say which statement that is: `readExplain` reads the EXPLAIN, and the engine
 * runs `explainSql` of that reading, after preparing its statement alone as a SELECT, never the text as given.
 * So a text this scanner reads otherwise than DuckDB (a comment trick) cannot explain something unchecked.
 */
import { timeRangeSql, type TimeBounds } from '../compile';
import type { QueryDiagnostic } from '../types';
import type { SourceSpan } from '../plan';
import { tokenizeSql } from '../sql-syntax/lexer';

/** First words of the SQL that runs. */
export const SQL_QUERY_WORDS = ['SELECT', 'WITH', 'FROM', 'SUMMARIZE', 'DESCRIBE', 'EXPLAIN'] as const;

/** First words of the statements EXPLAIN may explain: queries, never EXPLAIN itself or a write. */
const EXPLAINABLE_WORDS = SQL_QUERY_WORDS.filter((w) => w !== 'EXPLAIN');

/** First words of SQL statements that change or reach outside the workspace: recognised as SQL, then refused. */
const SQL_REFUSED_WORDS = [
  'ALTER',
  'ANALYZE',
  'ATTACH',
  'BEGIN',
  'CALL',
  'CHECKPOINT',
  'COMMIT',
  'COPY',
  'CREATE',
  'DEALLOCATE',
  'DELETE',
  'DETACH',
  'DROP',
  'EXECUTE',
  'EXPORT',
  'FORCE',
  'IMPORT',
  'INSERT',
  'INSTALL',
  'LOAD',
  'MERGE',
  'PRAGMA',
  'PREPARE',
  'RESET',
  'ROLLBACK',
  'SET',
  'TRUNCATE',
  'UPDATE',
  'UPSERT',
  'USE',
  'VACUUM',
] as const;

/** The first word of the text after blanks, opening parentheses and SQL comments, upper-cased, and where it starts. */
export function leadingWord(text: string, from = 0): { word: string; offset: number } {
  const i = skipBlanks(text, from, true);
  const word = /^[A-Za-z_]+/.exec(text.slice(i))?.[0] ?? '';
  return { word: word.toUpperCase(), offset: i };
}

/** The offset after blanks and SQL comments (and opening parentheses, if asked) from `i`. */
function skipBlanks(text: string, i: number, parentheses = false): number {
  for (;;) {
    while (i < text.length && (/\s/.test(text[i]!) || (parentheses && text[i] === '('))) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) i = blockCommentEnd(text, i);
    else return i;
  }
}

/** The offset after the block comment opening at `open`. DuckDB nests them, as PostgreSQL does: a comment opened inside one must close before it. */
function blockCommentEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length - 1; i++) {
    if (text.startsWith('/*', i)) {
      depth++;
      i++;
    } else if (text.startsWith('*/', i)) {
      i++;
      if (--depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** An `EXPLAIN [ANALYZE] [(options)] statement` as read: whether it runs the statement, and in which format it answers. */
export interface Explain {
  analyze: boolean;
  /** DuckDB's output format, upper-cased: TEXT unless an option list names another. */
  format: string;
  /** The explained statement's text, and where it starts in the EXPLAIN's. */
  statement: string;
  offset: number;
}

const EXPLAIN_FORMATS = ['TEXT', 'JSON', 'HTML', 'GRAPHVIZ', 'YAML'];

/**
 * Reads an EXPLAIN: its keywords, an option list if the parenthesised group after them is one (ANALYZE [true |
 * false], FORMAT name), and the statement after those. A group that is not such a list is the start of the
 * statement (`EXPLAIN (SELECT 1)`). Null when the text is not an EXPLAIN.
 */
export function readExplain(text: string): Explain | null {
  const explain = leadingWord(text);
  if (explain.word !== 'EXPLAIN' || skipBlanks(text, 0) !== explain.offset) return null;
  let i = skipBlanks(text, explain.offset + explain.word.length);
  const keyword = /^ANALY[SZ]E\b/i.exec(text.slice(i));
  if (keyword) i = skipBlanks(text, i + keyword[0].length);
  let options: { analyze: boolean; format: string } | null = null;
  if (!keyword && text[i] === '(') {
    const end = parenthesisedGroupEnd(text, i);
    options = end < 0 ? null : explainOptions(text.slice(i + 1, end - 1));
    if (options) i = skipBlanks(text, end);
  }
  return {
    analyze: Boolean(keyword) || (options?.analyze ?? false),
    format: options?.format ?? 'TEXT',
    statement: text.slice(i),
    offset: i,
  };
}

/** EXPLAIN's option list (without its parentheses), or null when it is not one Flowscope takes. */
function explainOptions(list: string): { analyze: boolean; format: string } | null {
  const read = { analyze: false, format: 'TEXT' };
  for (const option of list.split(',')) {
    const m = /^\s*(ANALY[SZ]E|FORMAT)(?:\s+'?([A-Za-z]+)'?)?\s*$/i.exec(option);
    if (!m) return null;
    const value = m[2]?.toUpperCase();
    if (m[1]!.toUpperCase() === 'FORMAT') {
      if (!value || !EXPLAIN_FORMATS.includes(value)) return null;
      read.format = value;
    } else if (value === undefined || value === 'TRUE' || value === 'FALSE') read.analyze = value !== 'FALSE';
    else return null;
  }
  return read;
}

/**
 * The EXPLAIN the engine runs for a reading: written afresh around the explained statement, so that DuckDB
 * explains exactly the text that was checked. The option list always comes first, so a statement that starts
 * with a parenthesis is never taken for one.
 */
export function explainSql(e: Explain): string {
  return `EXPLAIN (${e.analyze ? 'ANALYZE, ' : ''}FORMAT ${e.format}) ${e.statement}`;
}

/** The offset just after the parenthesised group opening at `open` (quotes and comments respected), or -1. */
function parenthesisedGroupEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (text.startsWith('--', i) || text.startsWith('/*', i)) i = skipBlanks(text, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

export function looksLikeSql(text: string): boolean {
  const { word } = leadingWord(text);
  return (
    (SQL_QUERY_WORDS as readonly string[]).includes(word) || (SQL_REFUSED_WORDS as readonly string[]).includes(word)
  );
}

export type SqlPrepared = { ok: true; sql: string } | { ok: false; message: string; offset: number; length: number };

/** The user's SQL with `flows` bound to the time range, or why it is refused. */
export function bindFlows(text: string, range?: TimeBounds | null): SqlPrepared {
  const { word, offset } = leadingWord(text);
  if (!(SQL_QUERY_WORDS as readonly string[]).includes(word)) {
    const shown = word || text.trim().slice(0, 20);
    return {
      ok: false,
      message: `Only one read-only query can run: ${SQL_QUERY_WORDS.join(', ')}. \`${shown}\` is refused.`,
      offset,
      length: Math.max(word.length, 1),
    };
  }
  const explained = readExplain(text);
  const inner = explained && leadingWord(explained.statement);
  if (explained && inner && !(EXPLAINABLE_WORDS as readonly string[]).includes(inner.word)) {
    const shown = inner.word || explained.statement.trim().slice(0, 20) || 'nothing';
    return {
      ok: false,
      message: `EXPLAIN runs only on a read-only query (${EXPLAINABLE_WORDS.join(', ')}), since EXPLAIN ANALYZE runs it. \`${shown}\` is refused.`,
      offset: explained.offset + inner.offset,
      length: Math.max(inner.word.length, 1),
    };
  }
  const conditions = timeRangeSql(range);
  if (conditions.length === 0) return { ok: true, sql: text };
  const cte = `flows AS NOT MATERIALIZED (SELECT * FROM main.flows WHERE ${conditions.join(' AND ')})`;
  return { ok: true, sql: bound(text, cte) };
}

/** A place a query names the records: `flows` (the time range's), `main.flows` or `flow_records` (every one). */
export interface RecordsName {
  name: 'flows' | 'main.flows' | 'flow_records';
  span: SourceSpan;
}

/**
 * Where a query names the records, read once for both its warnings and its count of records scanned; null for
 * a text the tokenizer cannot read (DuckDB syntax it does not know), which DuckDB will judge.
 */
export function recordsNamed(text: string): RecordsName[] | null {
  let tokens;
  try {
    ({ tokens } = tokenizeSql(text));
  } catch {
    return null;
  }
  const named = (i: number, name: string) =>
    (tokens[i]?.kind === 'name' || tokens[i]?.kind === 'quoted') && tokens[i]!.value.toLowerCase() === name;
  const names: RecordsName[] = [];
  tokens.forEach((t, i) => {
    if (named(i, 'flow_records')) names.push({ name: 'flow_records', span: t.span });
    else if (named(i, 'flows') && tokens[i - 1]?.value === '.' && named(i - 2, 'main')) {
      const main = tokens[i - 2]!.span;
      names.push({ name: 'main.flows', span: { ...main, length: t.span.offset + t.span.length - main.offset } });
    } else if (named(i, 'flows')) names.push({ name: 'flows', span: t.span });
  });
  return names;
}

/**
 * A warning at each `main.flows` of a query that runs over a time range: that name reads every record (see
 * above), so the answer is not for the range the status line names. A text the tokenizer cannot read gets
 * none: DuckDB says what is wrong with it, or runs it.
 */
export function wholeTableWarnings(named: RecordsName[] | null, range?: TimeBounds | null): QueryDiagnostic[] {
  if (timeRangeSql(range).length === 0 || !named) return [];
  return named
    .filter((n) => n.name === 'main.flows')
    .map((n) => ({
      message: '`main.flows` reads every record of the workspace: the time range applies to `flows` only.',
      hint: 'write `flows` for the records of the time range',
      span: n.span,
    }));
}

/**
 * Which records a query reads, for the count of records it scanned: those of the time range (it names
 * `flows`), every record (`main.flows` or the record table itself), or none (`SELECT 1`, `range(…)`).
 * A text the tokenizer cannot read is taken to read the range's, as DuckDB may well run it.
 */
export function recordsRead(named: RecordsName[] | null): 'range' | 'all' | 'none' {
  if (!named) return 'range';
  return named.some((n) => n.name !== 'flows') ? 'all' : named.length ? 'range' : 'none';
}

/** The statement with the CTE `cte` in front of its query, after the blanks, comments and parentheses it opens with. */
function bound(text: string, cte: string): string {
  const { offset } = leadingWord(text);
  return text.slice(0, offset) + withFlows(text.slice(offset), cte);
}

function withFlows(statement: string, cte: string): string {
  const { word, offset } = leadingWord(statement);
  const afterWord = statement.slice(offset + word.length);
  switch (word) {
    case 'WITH': {
      const recursive = /^\s+RECURSIVE\b/i.exec(afterWord);
      const rest = recursive ? afterWord.slice(recursive[0].length) : afterWord;
      return `WITH${recursive ? ' RECURSIVE' : ''} ${cte},${rest}`;
    }
    case 'SELECT':
    case 'FROM':
      return `WITH ${cte} ${statement.slice(offset)}`;
    case 'EXPLAIN': {
      const explained = readExplain(statement)!;
      return explainSql({ ...explained, statement: bound(explained.statement, cte) });
    }
    default: {
      // SUMMARIZE / DESCRIBE: keep the keyword, bind the query or table after it.
      const head = `${statement.slice(0, offset + word.length)} `;
      const inner = leadingWord(afterWord).word;
      if (inner === 'SELECT' || inner === 'WITH' || inner === 'FROM') return head + bound(afterWord, cte);
      return `${head}WITH ${cte} SELECT * FROM ${afterWord.trim().replace(/;\s*$/, '')}`;
    }
  }
}
