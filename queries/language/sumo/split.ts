/**
 * Sumo's `split` and `csv` operators, read as Sumo Logic documents them:
 *
 *   split <field> [escape='\', delim=',', quote='"'] extract 1 as a, 2 as b | extract a, _, c, 6 as f
 *   csv <field> [extract] 1 as user, 2 as id
 *
 * Positions count from 1; a bare name takes the next position, `_` skips one, `N as name` goes to N and goes
 * on from there. A value in quotes may hold the delimiter; the quotes go, and an escaped character is itself.
 * It becomes a `parse` of one regular expression (a text without the later positions leaves them absent, null)
 * and, per field, the quotes and escapes taken off the value.
 */
import type { Token } from '../lexer';
import type { Expr, Name, Stage } from '../plan';
import type { OperatorReader } from '../expression-parser';
import { QueryProblem } from '../source';

const MAX_POSITION = 255;

interface Marks {
  delim: string;
  quote: string;
  escape: string;
}

/** The stages of `split`/`csv` after the operator word `t`; `source` is the field to split, already read. */
export function splitStages(
  r: OperatorReader,
  t: Token,
  source: Expr,
  csv: boolean,
): { stages: Stage[]; names: Name[] } {
  const marks = readMarks(r);
  if (r.isKeyword('extract')) r.next();
  else if (!csv)
    throw r.unexpected(r.peek(), '`extract` and the positions to take', "split _raw delim=' ' extract 1 as a");
  // In the order of the positions, which is the order of the expression's groups.
  const positions = readPositions(r).sort((a, b) => a.at - b.at);
  const names = positions.map((p) => p.name);
  const span = r.span(t.span, names.at(-1)!.span);
  const parse: Stage = {
    kind: 'parse',
    source,
    regex: splitRegex(
      positions.map((p) => p.at),
      marks,
    ),
    names,
    span,
  };
  const unquoted: Stage = {
    kind: 'fields',
    select: false,
    items: names.map((n) => ({
      expr: unquote({ kind: 'field', name: n.name, span: n.span }, marks),
      name: n.name,
      span: n.span,
    })),
    span,
  };
  return { stages: [parse, unquoted], names };
}

/** `delim=':'`, `quote='"'`, `escape='\'`, in any order, with or without commas between. */
function readMarks(r: OperatorReader): Marks {
  const marks: Marks = { delim: ',', quote: '"', escape: '\\' };
  for (;;) {
    const word = r.peek();
    const key = word.kind === 'name' ? word.value.toLowerCase() : '';
    if (key !== 'delim' && key !== 'quote' && key !== 'escape') break;
    r.next();
    if (!r.isOp('=')) throw r.unexpected(r.peek(), `\`=\` and one character in quotes after \`${word.value}\``);
    r.next();
    const value = r.peek();
    if (value.kind !== 'string' || [...value.value].length !== 1)
      throw r.unexpected(value, 'one character in quotes', `for example ${key}=':'`);
    r.next();
    marks[key] = value.value;
    if (r.isOp(',')) r.next();
  }
  if (new Set([marks.delim, marks.quote, marks.escape]).size !== 3)
    throw new QueryProblem(
      'The delimiter, the quote and the escape character must all be different, as Sumo requires.',
      r.peek().span,
    );
  return marks;
}

/** The extracted names and their positions (from 1), in the order written. */
function readPositions(r: OperatorReader): { name: Name; at: number }[] {
  const out: { name: Name; at: number }[] = [];
  let next = 1;
  let first = true;
  do {
    if (!first) r.next();
    first = false;
    const t = r.peek();
    if (t.kind === 'number') {
      // Each position is a step of the expression: a flow-log line has some 30 fields.
      if (!/^\d+$/.test(t.value) || Number(t.value) < 1 || Number(t.value) > MAX_POSITION)
        throw r.unexpected(t, `a position from 1 to ${MAX_POSITION}`, '1 as version, 2 as account');
      r.next();
      if (!r.isKeyword('as')) throw r.unexpected(r.peek(), '`as` and a name', `${t.value} as name`);
      r.next();
      next = Number(t.value);
    } else if (t.kind === 'name' && t.value === '_') {
      r.next();
      next += 1;
      continue;
    }
    const name = r.name('a name, `_` to skip a position, or `N as name`');
    if (out.some((o) => o.name.name.toLowerCase() === name.value.toLowerCase() || o.at === next))
      throw new QueryProblem(`\`${name.value}\` is extracted twice, or its position is.`, name.span);
    out.push({ name: { name: name.value, span: name.span }, at: next });
    next += 1;
  } while (r.isOp(','));
  if (out.length === 0) throw r.unexpected(r.peek(), 'a name to extract');
  return out;
}

/** A character for RE2, in a class or out of one. */
const re = (c: string) => `\\x{${c.codePointAt(0)!.toString(16)}}`;

/**
 * One regular expression whose groups are the values at `positions` (ascending): a value is quoted (the
 * delimiter inside it is text) or runs to the next delimiter; each position after the first is optional.
 */
export function splitRegex(positions: readonly number[], { delim, quote, escape }: Marks): string {
  const [d, q, e] = [re(delim), re(quote), re(escape)];
  const value = `${q}(?:[^${q}${e}]|${e}.)*${q}|(?:[^${d}${e}]|${e}.)*`;
  let regex = '';
  for (let at = Math.max(...positions); at >= 1; at--) {
    const group = positions.includes(at) ? `(${value})` : `(?:${value})`;
    regex = at === 1 ? `^${group}${regex}` : `(?:${d}${group}${regex})?`;
  }
  return `(?s)${regex}`;
}

/** The value without the quotes around it, each escaped character itself. */
function unquote(field: Expr, { quote, escape }: Marks): Expr {
  const [q, e] = [re(quote), re(escape)];
  const call = (operand: Expr, regex: string): Expr => ({
    kind: 'call',
    name: 'replace',
    args: [
      operand,
      { kind: 'string', value: regex, regex: true, span: field.span },
      { kind: 'string', value: '$1', span: field.span },
    ],
    span: field.span,
    nameSpan: field.span,
  });
  return call(call(field, `^${q}(.*)${q}$`), `${e}(.)`);
}
