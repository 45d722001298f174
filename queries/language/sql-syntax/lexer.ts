/**
 * The tokenizer of the SQL texts Flowscope parses itself: Athena's Trino SQL (and, for the Trino back end,
 * the DuckDB SQL the other dialects compile to). Names are folded to lower case unless quoted, as Trino
 * and Athena do; `"x"` and Athena's DDL-style backquotes keep their case. `--` and `/* … *\/` are comments.
 */
import { QueryProblem, SourceText } from '../source';
import type { SourceSpan } from '../plan';

export type SqlTokenKind = 'name' | 'quoted' | 'string' | 'number' | 'op' | 'eof';

export interface SqlToken {
  kind: SqlTokenKind;
  /** Names: lower-cased; quoted names and strings: the unescaped text; numbers and operators: as written. */
  value: string;
  span: SourceSpan;
}

/** Longest first, so that `<=` is not read as `<` then `=`. */
const OPERATORS = [
  '<>',
  '!=',
  '<=',
  '>=',
  '||',
  '->',
  '=>',
  '::',
  '//',
  '**',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ';',
  ':',
  '?',
];

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_$]/;

export function tokenizeSql(text: string): { tokens: SqlToken[]; source: SourceText } {
  const source = new SourceText(text);
  const tokens: SqlToken[] = [];
  const at = (offset: number, length: number) => source.span(offset, length);
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new QueryProblem('This comment is not closed.', at(i, 2), 'end it with */');
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length)
          throw new QueryProblem(
            c === "'" ? 'This string is not closed.' : 'This quoted name is not closed.',
            at(start, 1),
            `end it with ${c}`,
          );
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value, span: at(start, i - start) });
      continue;
    }
    const number = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (number) {
      i += number[0].length;
      tokens.push({ kind: 'number', value: number[0], span: at(start, number[0].length) });
      continue;
    }
    if (NAME_START.test(c)) {
      while (i < text.length && NAME_PART.test(text[i]!)) i++;
      tokens.push({ kind: 'name', value: text.slice(start, i).toLowerCase(), span: at(start, i - start) });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new QueryProblem(`Unexpected character \`${c}\`.`, at(i, 1));
    i += op.length;
    tokens.push({ kind: 'op', value: op, span: at(start, op.length) });
  }
  tokens.push({ kind: 'eof', value: '', span: at(text.length, 0) });
  return { tokens, source };
}
