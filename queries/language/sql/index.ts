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
 * statement type. The leading-word check only gives a clear message early (and catches `PRAGMA x`,
 * which DuckDB rewrites into a SELECT).
 */
import { timeRangeSql, type TimeBounds } from '../compile';

/** First words of the SQL that runs. */
export const SQL_QUERY_WORDS = ['SELECT', 'WITH', 'FROM', 'SUMMARIZE', 'DESCRIBE', 'EXPLAIN'] as const;

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

/** The first word of the text after blanks and SQL comments, upper-cased, and where it starts. */
export function leadingWord(text: string): { word: string; offset: number } {
  let i = 0;
  for (;;) {
    while (i < text.length && /[\s(]/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else break;
  }
  const word = /^[A-Za-z_]+/.exec(text.slice(i))?.[0] ?? '';
  return { word: word.toUpperCase(), offset: i };
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
