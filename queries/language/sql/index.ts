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
 * explains, so what follows EXPLAIN is held to the same leading-word check, and `explainedStatements` gives the
 * engine the texts whose statement type it must check as well.
 */
import { timeRangeSql, type TimeBounds } from '../compile';

/** First words of the SQL that runs. */
export const SQL_QUERY_WORDS = ['SELECT', 'WITH', 'FROM', 'SUMMARIZE', 'DESCRIBE', 'EXPLAIN'] as const;

/** First words of the statements EXPLAIN may explain: queries, never EXPLAIN itself or a write. */
const EXPLAINABLE_WORDS = SQL_QUERY_WORDS.filter((w) => w !== 'EXPLAIN');

/** First words of SQL statements that change or reach outside the workspace: recognised as SQL, then refused. */
export const SQL_REFUSED_WORDS = [
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
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}

/**
 * For an `EXPLAIN [ANALYZE] [(options)] statement`, the texts that may be the explained statement: what follows
 * the keywords and, when that starts with a parenthesis, also what follows the parenthesised group (DuckDB's
 * option list, or a parenthesised query). The engine requires every one of them that parses to be a query.
 * Null when the text is not an EXPLAIN.
 */
export function explainedStatements(text: string): string[] | null {
  const explain = leadingWord(text);
  if (explain.word !== 'EXPLAIN' || skipBlanks(text, 0) !== explain.offset) return null;
  let i = skipBlanks(text, explain.offset + explain.word.length);
  const analyze = /^ANALY[SZ]E\b/i.exec(text.slice(i));
  if (analyze) i = skipBlanks(text, i + analyze[0].length);
  const rest = text.slice(i);
  const group = text[i] === '(' ? parenthesisedGroupEnd(text, i) : -1;
  return group < 0 ? [rest] : [rest, text.slice(skipBlanks(text, group))];
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
  const explained = explainedStatements(text);
  if (explained && !explained.some((e) => (EXPLAINABLE_WORDS as readonly string[]).includes(leadingWord(e).word))) {
    const statement = explained[explained.length - 1]!;
    const inner = leadingWord(statement);
    const shown = inner.word || statement.trim().slice(0, 20) || 'nothing';
    return {
      ok: false,
      message: `EXPLAIN runs only on a read-only query (${EXPLAINABLE_WORDS.join(', ')}), since EXPLAIN ANALYZE runs it. \`${shown}\` is refused.`,
      offset: text.length - statement.length + inner.offset,
      length: Math.max(inner.word.length, 1),
    };
  }
  const conditions = timeRangeSql(range);
  if (conditions.length === 0) return { ok: true, sql: text };
  const cte = `flows AS NOT MATERIALIZED (SELECT * FROM main.flows WHERE ${conditions.join(' AND ')})`;
  return { ok: true, sql: text.slice(0, offset) + withFlows(text.slice(offset), cte) };
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
    default: {
      // SUMMARIZE / DESCRIBE / EXPLAIN [ANALYZE]: keep the keyword(s), bind the query or table after it.
      const analyze = word === 'EXPLAIN' ? /^\s+ANALYZE\b/i.exec(afterWord) : null;
      const rest = analyze ? afterWord.slice(analyze[0].length) : afterWord;
      const head = `${statement.slice(0, offset + word.length)}${analyze ? ' ANALYZE' : ''} `;
      const inner = leadingWord(rest).word;
      if (inner === 'SELECT' || inner === 'WITH' || inner === 'FROM') return head + withFlows(rest, cte);
      return `${head}WITH ${cte} SELECT * FROM ${rest.trim().replace(/;\s*$/, '')}`;
    }
  }
}
