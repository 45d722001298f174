/**
 * A recursive-descent parser for SQL queries: Trino's SELECT grammar as Athena (engine v3) reads it —
 * WITH, joins, sub-queries, UNNEST, set operations, window functions, typed literals (`DATE '…'`,
 * `IPADDRESS '…'`, `INTERVAL '7' DAY`), CAST/TRY_CAST, lambdas — and, with `dialect: 'duckdb'`, the few
 * DuckDB forms the other dialects compile to (`::`, `//`, `**`, `QUALIFY`, list literals). Statements that
 * are not a query are not parsed here: the callers refuse them by their first words.
 *
 * Errors are QueryProblems at the offending token, with the position in the text as written.
 */
import { balancedTree, NestingDepth } from '../nesting';
import { QueryProblem, type SourceText } from '../source';
import type { SourceSpan } from '../plan';
import type {
  BinaryOp,
  Cte,
  Expr,
  GroupBy,
  GroupingElement,
  Ident,
  IntervalUnit,
  OrderItem,
  Query,
  QueryBody,
  Relation,
  Select,
  SelectItem,
  Statement,
  TypeName,
  WindowSpec,
} from './ast';
import { tokenizeSql, type SqlToken } from './lexer';

/** Trino's reserved words: never a name unless quoted. */
export const RESERVED = new Set(
  (
    'alter and as between by case cast constraint create cross cube current_catalog current_date current_path ' +
    'current_role current_schema current_time current_timestamp current_user deallocate delete describe distinct ' +
    'drop else end escape except execute exists extract false for from full group grouping having in inner insert ' +
    'intersect into is join json_array json_exists json_object json_query json_table json_value left like listagg ' +
    'localtime localtimestamp natural normalize not null on or order outer prepare recursive right rollup select ' +
    'skip table then trim true uescape union unnest using values when where with'
  ).split(' '),
);

/** Words that end a relation or a select item, so they are not read as its alias. */
const CLAUSE_WORDS = new Set(['limit', 'offset', 'fetch', 'window', 'qualify', 'tablesample', 'match_recognize']);

const INTERVAL_UNITS: Record<string, IntervalUnit> = {
  year: 'year',
  years: 'year',
  month: 'month',
  months: 'month',
  week: 'week',
  weeks: 'week',
  day: 'day',
  days: 'day',
  hour: 'hour',
  hours: 'hour',
  minute: 'minute',
  minutes: 'minute',
  second: 'second',
  seconds: 'second',
  millisecond: 'millisecond',
  milliseconds: 'millisecond',
};

const COMPARISONS: Record<string, BinaryOp> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Bare words that are calls of a function without parentheses. */
const BARE_CALLS = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp']);

export interface ParseOptions {
  dialect?: 'trino' | 'duckdb';
}

export interface ParsedStatement {
  statement: Statement;
  source: SourceText;
}

export function parseSqlStatement(text: string, options: ParseOptions = {}): ParsedStatement {
  const { tokens, source } = tokenizeSql(text);
  const parser = new SqlParser(tokens, source, options.dialect ?? 'trino');
  return { statement: parser.statement(), source };
}

class SqlParser {
  private pos = 0;
  /** For each SELECT being parsed, its calls' `OVER name`, resolved by its WINDOW clause. */
  private namedWindows: { name: string; spec: WindowSpec; span: SourceSpan }[][] = [];

  constructor(
    private readonly tokens: SqlToken[],
    private readonly source: SourceText,
    private readonly dialect: 'trino' | 'duckdb',
  ) {}

  // ── tokens ──────────────────────────────────────────────────────────────────────────────────────

  private peek(ahead = 0): SqlToken {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): SqlToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'name' && t.value === word;
  }

  private isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.value === op;
  }

  private acceptWord(word: string): SqlToken | null {
    return this.isWord(word) ? this.next() : null;
  }

  private acceptOp(op: string): SqlToken | null {
    return this.isOp(op) ? this.next() : null;
  }

  private describe(t: SqlToken): string {
    if (t.kind === 'eof') return 'the end of the query';
    return `\`${this.source.slice(t.span)}\``;
  }

  private fail(expected: string, t = this.peek()): never {
    throw new QueryProblem(`Expected ${expected}, found ${this.describe(t)}.`, t.span);
  }

  private expectWord(word: string): SqlToken {
    return this.acceptWord(word) ?? this.fail(word.toUpperCase());
  }

  private expectOp(op: string): SqlToken {
    return this.acceptOp(op) ?? this.fail(`\`${op}\``);
  }

  private spanFrom(start: SourceSpan, end: SourceSpan = this.tokens[Math.max(0, this.pos - 1)]!.span): SourceSpan {
    return this.source.join(start, end);
  }

  /** A name: unquoted and not reserved, or quoted. */
  private identifier(what = 'a name'): Ident {
    const t = this.peek();
    if (t.kind === 'quoted') {
      // Athena's DDL (Hive) quotes names with backquotes, its queries (Trino) do not.
      if (this.dialect === 'trino' && this.source.slice(t.span).startsWith('`'))
        throw new QueryProblem(
          'backquoted identifiers are not supported; use double quotes to quote identifiers',
          t.span,
        );
      this.next();
      return { name: t.value.toLowerCase(), quoted: true, span: t.span };
    }
    if (t.kind === 'name' && !RESERVED.has(t.value)) {
      this.next();
      return { name: t.value, quoted: false, span: t.span };
    }
    if (t.kind === 'name')
      throw new QueryProblem(
        `\`${this.source.slice(t.span)}\` is a reserved word; quote it ("${t.value}") to use it as ${what}.`,
        t.span,
      );
    return this.fail(what);
  }

  /** Whether the next token ends a clause (DuckDB's `GROUP BY ALL` has nothing after ALL). */
  private isClauseEnd(): boolean {
    const t = this.peek();
    return (
      t.kind === 'eof' ||
      this.isOp(')') ||
      this.isOp(';') ||
      ['order', 'having', 'qualify', 'limit', 'offset', 'window', 'union', 'except', 'intersect'].some((w) =>
        this.isWord(w),
      )
    );
  }

  private isIdentifierNext(ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'quoted' || (t.kind === 'name' && !RESERVED.has(t.value));
  }

  // ── statements and queries ──────────────────────────────────────────────────────────────────────

  statement(): Statement {
    const start = this.peek().span;
    let explain: Statement['explain'] = null;
    if (this.acceptWord('explain')) {
      const analyze = Boolean(this.acceptWord('analyze'));
      if (this.isOp('('))
        throw new QueryProblem(
          'EXPLAIN options are not supported here; write EXPLAIN followed by the query.',
          this.peek().span,
        );
      explain = { analyze };
    }
    const query = this.query();
    let ended = false;
    while (this.acceptOp(';')) ended = true; // trailing semicolons end the statement
    if (this.peek().kind !== 'eof')
      throw new QueryProblem(
        `Expected the end of the query, found ${this.describe(this.peek())}.`,
        this.peek().span,
        ended
          ? 'only one statement can run at a time'
          : this.isOp('(')
            ? 'FROM reads a table or a subquery: table functions such as read_text() are DuckDB SQL, not Athena'
            : undefined,
      );
    return { query, explain, span: this.spanFrom(start) };
  }

  private query(): Query {
    return this.nested(() => this.queryBody());
  }

  private queryBody(): Query {
    const start = this.peek().span;
    let withClause: Query['with'] = null;
    if (this.acceptWord('with')) {
      const recursive = Boolean(this.acceptWord('recursive'));
      const ctes: Cte[] = [];
      do ctes.push(this.cte());
      while (this.acceptOp(','));
      withClause = { recursive, ctes };
    }
    const body = this.queryTerm();
    const rest = this.queryTail();
    return { with: withClause, body, ...rest, span: this.spanFrom(start) };
  }

  private cte(): Cte {
    const name = this.identifier('a WITH query name');
    const columns = this.isOp('(') ? this.columnList() : null;
    this.expectWord('as');
    this.expectOp('(');
    const query = this.query();
    this.expectOp(')');
    return { name, columns, query, span: this.spanFrom(name.span) };
  }

  private columnList(): Ident[] {
    this.expectOp('(');
    const out: Ident[] = [];
    do out.push(this.identifier('a column name'));
    while (this.acceptOp(','));
    this.expectOp(')');
    return out;
  }

  /** ORDER BY, OFFSET, LIMIT / FETCH FIRST after a query body. */
  private queryTail(): Pick<Query, 'orderBy' | 'limit' | 'offset'> {
    let orderBy: OrderItem[] = [];
    let limit: Expr | null = null;
    let offset: Expr | null = null;
    if (this.isWord('order') && this.isWord('by', 1)) {
      this.pos += 2;
      orderBy = this.orderItems();
    }
    for (;;) {
      if (offset === null && this.acceptWord('offset')) {
        offset = this.primary();
        if (!this.acceptWord('rows')) this.acceptWord('row');
        continue;
      }
      if (limit === null && this.acceptWord('limit')) {
        if (this.acceptWord('all')) limit = null;
        else limit = this.primary();
        continue;
      }
      if (limit === null && this.acceptWord('fetch')) {
        if (!this.acceptWord('first')) this.expectWord('next');
        limit =
          this.isWord('row') || this.isWord('rows')
            ? { kind: 'number', text: '1', span: this.peek().span }
            : this.primary();
        if (!this.acceptWord('rows')) this.expectWord('row');
        if (this.acceptWord('with')) throw new QueryProblem('FETCH … WITH TIES is not supported.', this.peek(-1).span);
        this.expectWord('only');
        continue;
      }
      break;
    }
    return { orderBy, limit, offset };
  }

  private orderItems(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const expr = this.expression();
      let descending = false;
      if (this.acceptWord('desc')) descending = true;
      else this.acceptWord('asc');
      let nulls: OrderItem['nulls'] = null;
      if (this.acceptWord('nulls')) {
        if (this.acceptWord('first')) nulls = 'first';
        else {
          this.expectWord('last');
          nulls = 'last';
        }
      }
      items.push({ expr, descending, nulls, span: this.spanFrom(expr.span) });
    } while (this.acceptOp(','));
    return items;
  }

  /** UNION and EXCEPT, left to right, over INTERSECT terms (which bind tighter). */
  private queryTerm(): QueryBody {
    let left = this.intersectTerm();
    for (;;) {
      const op = this.isWord('union') ? 'union' : this.isWord('except') ? 'except' : null;
      if (!op) return left;
      this.next();
      const all = Boolean(this.acceptWord('all'));
      if (!all) this.acceptWord('distinct');
      const right = this.intersectTerm();
      left = { kind: 'set', op, all, left, right, span: this.source.join(left.span, right.span) };
    }
  }

  private intersectTerm(): QueryBody {
    let left = this.queryPrimary();
    while (this.acceptWord('intersect')) {
      const all = Boolean(this.acceptWord('all'));
      if (!all) this.acceptWord('distinct');
      const right = this.queryPrimary();
      left = { kind: 'set', op: 'intersect', all, left, right, span: this.source.join(left.span, right.span) };
    }
    return left;
  }

  private queryPrimary(): QueryBody {
    const t = this.peek();
    if (this.isWord('select')) return this.select();
    if (this.acceptWord('values')) {
      const rows: Expr[][] = [];
      do {
        const row = this.expression();
        rows.push(row.kind === 'row' ? row.items : [row]);
      } while (this.acceptOp(','));
      return { kind: 'values', rows, span: this.spanFrom(t.span) };
    }
    if (this.isWord('table')) {
      this.next();
      const name = this.qualifiedName();
      const span = this.spanFrom(t.span);
      const select: Select = {
        kind: 'select',
        distinct: false,
        items: [{ kind: 'star', qualifier: null, span }],
        from: [{ kind: 'table', name, alias: null, columns: null, span }],
        where: null,
        groupBy: null,
        having: null,
        qualify: null,
        span,
      };
      return select;
    }
    if (this.acceptOp('(')) {
      const query = this.query();
      this.expectOp(')');
      return { kind: 'nested', query, span: this.spanFrom(t.span) };
    }
    return this.fail('SELECT, VALUES or a query in parentheses');
  }

  private select(): Select {
    this.namedWindows.push([]);
    try {
      return this.selectBody();
    } finally {
      this.namedWindows.pop();
    }
  }

  /** `OVER w`: a window the SELECT's WINDOW clause names, filled in when that clause is read. */
  private windowName(): WindowSpec {
    const t = this.peek();
    if (t.kind !== 'name' || RESERVED.has(t.value) || this.namedWindows.length === 0) return this.windowSpec();
    this.next();
    const spec: WindowSpec = { partitionBy: [], orderBy: [], frame: null, span: t.span };
    this.namedWindows[this.namedWindows.length - 1]!.push({ name: t.value, spec, span: t.span });
    return spec;
  }

  /** `WINDOW w AS (…), …`: each `OVER w` of this SELECT becomes that window. */
  private windowClause(): void {
    const defined = new Map<string, WindowSpec>();
    do {
      const t = this.peek();
      if (t.kind !== 'name' || RESERVED.has(t.value)) this.fail('a window name');
      this.next();
      this.expectWord('as');
      defined.set(t.value, this.windowSpec());
    } while (this.acceptOp(','));
    for (const use of this.namedWindows[this.namedWindows.length - 1]!) {
      const spec = defined.get(use.name);
      if (!spec) throw new QueryProblem(`Window '${use.name}' is not defined in the WINDOW clause.`, use.span);
      Object.assign(use.spec, { ...spec, span: use.spec.span });
    }
    this.namedWindows[this.namedWindows.length - 1] = [];
  }

  private selectBody(): Select {
    const start = this.expectWord('select').span;
    let distinct = false;
    if (this.acceptWord('distinct')) distinct = true;
    else this.acceptWord('all');
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    const from: Relation[] = [];
    if (this.acceptWord('from')) {
      do from.push(this.relation());
      while (this.acceptOp(','));
    }
    const where = this.acceptWord('where') ? this.expression() : null;
    let groupBy: GroupBy | null = null;
    if (this.isWord('group') && this.isWord('by', 1)) {
      const gStart = this.next().span;
      this.next();
      groupBy = this.groupBy(gStart);
    }
    const having = this.acceptWord('having') ? this.expression() : null;
    const qualify = this.dialect === 'duckdb' && this.acceptWord('qualify') ? this.expression() : null;
    if (this.acceptWord('window')) this.windowClause();
    const unnamed = this.namedWindows[this.namedWindows.length - 1]![0];
    if (unnamed)
      throw new QueryProblem(`Window '${unnamed.name}' is not defined: name it in a WINDOW clause.`, unnamed.span);
    return { kind: 'select', distinct, items, from, where, groupBy, having, qualify, span: this.spanFrom(start) };
  }

  private groupBy(start: SourceSpan): GroupBy {
    let distinct = false;
    if (this.acceptWord('distinct')) distinct = true;
    else if (this.acceptWord('all') && this.dialect === 'duckdb' && this.isClauseEnd())
      return { distinct, elements: [], all: true, span: this.spanFrom(start) };
    const elements: GroupingElement[] = [];
    do {
      const t = this.peek();
      if ((this.isWord('rollup') || this.isWord('cube')) && this.isOp('(', 1)) {
        const kind = this.next().value as 'rollup' | 'cube';
        this.expectOp('(');
        const exprs = this.isOp(')') ? [] : this.expressionList();
        this.expectOp(')');
        elements.push({ kind, exprs, span: this.spanFrom(t.span) });
      } else if (this.isWord('grouping') && this.isWord('sets', 1)) {
        this.pos += 2;
        this.expectOp('(');
        const sets: Expr[][] = [];
        do {
          if (this.acceptOp('(')) {
            sets.push(this.isOp(')') ? [] : this.expressionList());
            this.expectOp(')');
          } else sets.push([this.expression()]);
        } while (this.acceptOp(','));
        this.expectOp(')');
        elements.push({ kind: 'sets', sets, span: this.spanFrom(t.span) });
      } else elements.push({ kind: 'expr', expr: this.expression() });
    } while (this.acceptOp(','));
    return { distinct, elements, span: this.spanFrom(start) };
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (this.acceptOp('*')) return { kind: 'star', qualifier: null, span: t.span };
    // name.* or a.b.*
    let ahead = 0;
    while (this.isIdentifierNext(ahead) && this.isOp('.', ahead + 1)) {
      if (this.isOp('*', ahead + 2)) {
        const qualifier: Ident[] = [];
        for (let i = 0; i <= ahead; i += 2) {
          qualifier.push(this.identifier());
          this.expectOp('.');
        }
        this.expectOp('*');
        return { kind: 'star', qualifier, span: this.spanFrom(t.span) };
      }
      ahead += 2;
    }
    const expr = this.expression();
    const alias = this.alias();
    return { kind: 'expr', expr, alias, span: this.spanFrom(t.span) };
  }

  /** `[AS] name`, or nothing. */
  private alias(): Ident | null {
    if (this.acceptWord('as')) return this.identifier('an alias');
    const t = this.peek();
    if (this.isIdentifierNext() && !(t.kind === 'name' && CLAUSE_WORDS.has(t.value))) return this.identifier();
    return null;
  }

  private qualifiedName(): Ident[] {
    const parts = [this.identifier('a table name')];
    while (this.acceptOp('.')) parts.push(this.identifier('a table name'));
    return parts;
  }

  // ── relations ───────────────────────────────────────────────────────────────────────────────────

  private relation(): Relation {
    let left = this.relationPrimary();
    for (;;) {
      let type: Extract<Relation, { kind: 'join' }>['type'] | null = null;
      let natural = false;
      if (this.acceptWord('natural')) natural = true;
      if (this.acceptWord('cross')) type = 'cross';
      else if (this.acceptWord('inner')) type = 'inner';
      else if (this.isWord('left') || this.isWord('right') || this.isWord('full')) {
        type = this.next().value as 'left' | 'right' | 'full';
        this.acceptWord('outer');
      } else if (this.isWord('join')) type = 'inner';
      if (type === null) {
        if (natural) this.fail('JOIN');
        return left;
      }
      this.expectWord('join');
      const right = this.relationPrimary();
      let on: Expr | null = null;
      let using: Ident[] | null = null;
      if (type !== 'cross' && !natural) {
        if (this.acceptWord('on')) on = this.expression();
        else if (this.acceptWord('using')) using = this.columnList();
        else this.fail('ON or USING', this.peek());
      }
      left = { kind: 'join', type, natural, left, right, on, using, span: this.spanFrom(left.span) };
    }
  }

  private relationPrimary(): Relation {
    const t = this.peek();
    let rel: Relation;
    if (this.isWord('unnest')) {
      this.next();
      this.expectOp('(');
      const args = this.expressionList();
      this.expectOp(')');
      let ordinality = false;
      if (this.isWord('with') && this.isWord('ordinality', 1)) {
        this.pos += 2;
        ordinality = true;
      }
      rel = { kind: 'unnest', args, ordinality, alias: null, columns: null, span: this.spanFrom(t.span) };
    } else if (this.isWord('lateral') && this.isOp('(', 1)) {
      this.pos += 2;
      const query = this.query();
      this.expectOp(')');
      rel = { kind: 'derived', query, lateral: true, alias: null, columns: null, span: this.spanFrom(t.span) };
    } else if (this.acceptOp('(')) {
      if (this.isWord('select') || this.isWord('with') || this.isWord('values') || this.isWord('table')) {
        const query = this.query();
        this.expectOp(')');
        rel = { kind: 'derived', query, lateral: false, alias: null, columns: null, span: this.spanFrom(t.span) };
      } else if (this.isOp('(')) {
        // ((SELECT …) UNION …) or ((a JOIN b)): a query in parentheses if it reads as one.
        const query = this.query();
        this.expectOp(')');
        rel = { kind: 'derived', query, lateral: false, alias: null, columns: null, span: this.spanFrom(t.span) };
      } else {
        const inner = this.relation();
        this.expectOp(')');
        return inner;
      }
    } else {
      const name = this.qualifiedName();
      rel = { kind: 'table', name, alias: null, columns: null, span: this.spanFrom(t.span) };
    }
    if (this.isWord('tablesample')) throw new QueryProblem('TABLESAMPLE is not supported.', this.peek().span);
    const alias = this.relationAlias();
    if (alias) {
      rel.alias = alias;
      if (this.isOp('(')) rel.columns = this.columnList();
      rel.span = this.spanFrom(t.span);
    }
    return rel;
  }

  private relationAlias(): Ident | null {
    if (this.acceptWord('as')) return this.identifier('an alias');
    const t = this.peek();
    if (!this.isIdentifierNext()) return null;
    if (t.kind === 'name' && (CLAUSE_WORDS.has(t.value) || t.value === 'lateral')) return null;
    return this.identifier();
  }

  // ── expressions ─────────────────────────────────────────────────────────────────────────────────

  private expressionList(): Expr[] {
    const out: Expr[] = [];
    do out.push(this.expression());
    while (this.acceptOp(','));
    return out;
  }

  expression(): Expr {
    return this.nested(() => this.or());
  }

  /** How deep the text being read nests (expressions in parentheses, subqueries, NOT, signs). */
  private readonly nesting = new NestingDepth();

  /** What `read` reads one level deeper, where the text stands. */
  private nested<T>(read: () => T): T {
    return this.nesting.within(this.peek().span, read);
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, opSpan: SourceSpan): Expr {
    return { kind: 'binary', op, left, right, span: this.source.join(left.span, right.span), opSpan };
  }

  private or(): Expr {
    return this.chain('or', () => this.and());
  }

  private and(): Expr {
    return this.chain('and', () => this.not());
  }

  /** `a op b op c …` for AND or OR, as a balanced tree (nesting.ts). */
  private chain(op: 'and' | 'or', operand: () => Expr): Expr {
    const items = [operand()];
    const ops: SourceSpan[] = [];
    while (this.isWord(op)) {
      ops.push(this.next().span);
      items.push(operand());
    }
    return balancedTree(items, (left, right, at) => this.binary(op, left, right, ops[at - 1]!));
  }

  private not(): Expr {
    const t = this.peek();
    if (this.acceptWord('not')) {
      const operand = this.nested(() => this.not());
      return { kind: 'unary', op: 'not', operand, span: this.spanFrom(t.span) };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.concat();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISONS[t.value]) {
      this.next();
      if (this.isWord('all') || this.isWord('any') || this.isWord('some'))
        throw new QueryProblem('Quantified comparisons (ALL, ANY, SOME) are not supported.', this.peek().span);
      const right = this.concat();
      return this.binary(COMPARISONS[t.value]!, left, right, t.span);
    }
    if (this.isWord('is')) {
      this.next();
      const negated = Boolean(this.acceptWord('not'));
      if (this.acceptWord('null')) return { kind: 'is-null', operand: left, negated, span: this.spanFrom(left.span) };
      if (this.isWord('true') || this.isWord('false')) {
        const value = this.next().value === 'true';
        return { kind: 'is-bool', operand: left, value, negated, span: this.spanFrom(left.span) };
      }
      this.expectWord('distinct');
      this.expectWord('from');
      const right = this.concat();
      return { kind: 'is-distinct', left, right, negated, span: this.spanFrom(left.span) };
    }
    const ilike = this.dialect === 'duckdb' ? 'ilike' : 'like';
    const negated =
      this.isWord('not') &&
      (this.isWord('between', 1) || this.isWord('in', 1) || this.isWord('like', 1) || this.isWord(ilike, 1));
    if (negated) this.next();
    if (this.acceptWord('between')) {
      const low = this.concat();
      this.expectWord('and');
      const high = this.concat();
      return { kind: 'between', operand: left, low, high, negated, span: this.spanFrom(left.span) };
    }
    if (this.acceptWord('in')) {
      this.expectOp('(');
      let list: Expr[] | Query;
      if (this.isWord('select') || this.isWord('with') || this.isWord('values')) list = this.query();
      else list = this.expressionList();
      this.expectOp(')');
      return { kind: 'in', operand: left, list, negated, span: this.spanFrom(left.span) };
    }
    if (this.isWord('like') || this.isWord(ilike)) {
      const caseInsensitive = this.next().value === 'ilike';
      const pattern = this.concat();
      const escape = this.acceptWord('escape') ? this.concat() : null;
      return {
        kind: 'like',
        operand: left,
        pattern,
        escape,
        negated,
        ...(caseInsensitive ? { caseInsensitive } : {}),
        span: this.spanFrom(left.span),
      };
    }
    if (negated) this.fail('BETWEEN, IN or LIKE');
    return left;
  }

  private concat(): Expr {
    let left = this.additive();
    while (this.isOp('||')) {
      const op = this.next().span;
      left = this.binary('||', left, this.additive(), op);
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = this.binary(t.value as BinaryOp, left, this.multiplicative(), t.span);
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const ops = this.dialect === 'duckdb' ? ['*', '/', '%', '//'] : ['*', '/', '%'];
      if (t.kind !== 'op' || !ops.includes(t.value)) return left;
      this.next();
      left = this.binary(t.value as BinaryOp, left, this.unary(), t.span);
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isOp('-') || this.isOp('+')) {
      this.next();
      const operand = this.nested(() => this.unary());
      return { kind: 'unary', op: t.value as '-' | '+', operand, span: this.spanFrom(t.span) };
    }
    return this.atTimeZone();
  }

  private atTimeZone(): Expr {
    let left = this.power();
    while (this.isWord('at') && this.isWord('time', 1) && this.isWord('zone', 2)) {
      this.pos += 3;
      const zone = this.power();
      left = { kind: 'at-time-zone', operand: left, zone, span: this.spanFrom(left.span) };
    }
    return left;
  }

  private power(): Expr {
    const left = this.postfix();
    if (this.dialect === 'duckdb' && this.isOp('**')) {
      const t = this.next();
      return this.binary('**', left, this.unary(), t.span);
    }
    return left;
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.acceptOp('[')) {
        const index = this.expression();
        this.expectOp(']');
        e = { kind: 'subscript', operand: e, index, span: this.spanFrom(e.span) };
      } else if (this.isOp('.') && e.kind !== 'column' && e.kind !== 'number') {
        this.next();
        const field = this.identifier('a field name');
        e = { kind: 'field', operand: e, field, span: this.spanFrom(e.span) };
      } else if (this.dialect === 'duckdb' && this.acceptOp('::')) {
        const type = this.typeName();
        e = { kind: 'cast', operand: e, type, try: false, span: this.spanFrom(e.span) };
      } else return e;
    }
  }

  private typeName(): TypeName {
    const t = this.peek();
    if (t.kind !== 'name') this.fail('a type');
    this.next();
    let name = t.value;
    if (name === 'double' && this.isWord('precision')) this.next();
    const params: (number | TypeName)[] = [];
    if (this.acceptOp('(')) {
      do {
        const p = this.peek();
        if (p.kind === 'number') {
          this.next();
          params.push(Number(p.value));
        } else if (name === 'row' && p.kind === 'name' && !this.isOp(',', 1) && !this.isOp(')', 1)) {
          // row(name type, …): the field name is kept as a one-word type with the real type as parameter.
          const field = this.identifier('a field name');
          params.push({ name: field.name, params: [this.typeName()], span: this.spanFrom(field.span) });
        } else params.push(this.typeName());
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    if ((name === 'timestamp' || name === 'time') && (this.isWord('with') || this.isWord('without'))) {
      const withZone = this.next().value === 'with';
      this.expectWord('time');
      this.expectWord('zone');
      if (withZone) name = `${name} with time zone`;
    }
    if (this.dialect === 'duckdb' && this.isOp('[') && this.isOp(']', 1)) {
      this.pos += 2;
      return { name: 'array', params: [{ name, params, span: this.spanFrom(t.span) }], span: this.spanFrom(t.span) };
    }
    return { name, params, span: this.spanFrom(t.span) };
  }

  private intervalUnit(): IntervalUnit {
    const t = this.peek();
    const unit = t.kind === 'name' ? INTERVAL_UNITS[t.value] : undefined;
    if (!unit) this.fail('an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)');
    this.next();
    return unit;
  }

  primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'number', text: t.value, span: t.span };
      case 'string':
        this.next();
        return { kind: 'string', value: t.value, span: t.span };
      case 'quoted':
        return this.nameExpression();
      case 'op':
        return this.operatorPrimary(t);
      case 'eof':
        return this.fail('an expression');
      case 'name':
        break;
    }
    switch (t.value) {
      case 'true':
      case 'false':
        this.next();
        return { kind: 'boolean', value: t.value === 'true', span: t.span };
      case 'null':
        this.next();
        return { kind: 'null', span: t.span };
      case 'case':
        return this.caseExpression();
      case 'cast':
      case 'try_cast':
        if (this.isOp('(', 1)) return this.castExpression();
        break;
      case 'exists':
        if (this.isOp('(', 1)) {
          this.pos += 2;
          const query = this.query();
          this.expectOp(')');
          return { kind: 'exists', query, span: this.spanFrom(t.span) };
        }
        break;
      case 'extract':
        if (this.isOp('(', 1)) {
          this.pos += 2;
          const field = this.identifier('a date or time field');
          this.expectWord('from');
          const operand = this.expression();
          this.expectOp(')');
          return { kind: 'extract', field, operand, span: this.spanFrom(t.span) };
        }
        break;
      case 'interval':
        if (
          this.peek(1).kind === 'string' ||
          (this.dialect === 'duckdb' && this.peek(1).kind === 'number') ||
          this.isOp('-', 1) ||
          this.isOp('+', 1)
        )
          return this.interval();
        break;
      case 'array':
        if (this.isOp('[', 1)) {
          this.pos += 2;
          const items = this.isOp(']') ? [] : this.expressionList();
          this.expectOp(']');
          return { kind: 'array', items, span: this.spanFrom(t.span) };
        }
        break;
      case 'row':
        if (this.isOp('(', 1)) {
          this.pos += 2;
          const items = this.expressionList();
          this.expectOp(')');
          return { kind: 'row', items, span: this.spanFrom(t.span) };
        }
        break;
      case 'position':
        if (this.isOp('(', 1)) return this.position();
        break;
      case 'substring':
        if (this.isOp('(', 1)) return this.substring();
        break;
      case 'trim':
        if (this.isOp('(', 1)) return this.trim();
        break;
      case 'grouping':
      case 'normalize':
        // Reserved words that are also Trino's functions' names.
        if (this.isOp('(', 1)) return this.callAfterName(this.identifierOf(this.next()));
        break;
      case 'listagg':
        if (this.isOp('(', 1)) return this.listagg();
        break;
      case 'end':
        // `from_unixtime(end)`, as some published queries write the reserved column name unquoted: END can
        // start no expression, so it can only mean the column.
        this.next();
        return { kind: 'column', parts: [{ name: 'end', quoted: false, span: t.span }], span: t.span };
    }
    if (BARE_CALLS.has(t.value) && !this.isOp('(', 1)) {
      this.next();
      return this.call({ name: t.value, quoted: false, span: t.span }, [], t.span, true);
    }
    // A type name followed by a string is a literal of that type: DATE '2020-01-01', IPADDRESS '10.0.0.1'.
    if (this.peek(1).kind === 'string' && !RESERVED.has(t.value)) {
      this.next();
      let type: TypeName = { name: t.value, params: [], span: t.span };
      const value = this.next();
      if ((t.value === 'timestamp' || t.value === 'time') && this.isWord('with') && this.isWord('time', 1)) {
        this.pos += 3;
        type = { name: `${t.value} with time zone`, params: [], span: this.spanFrom(t.span) };
      }
      return { kind: 'typed', type, value: value.value, span: this.spanFrom(t.span) };
    }
    return this.nameExpression();
  }

  private operatorPrimary(t: SqlToken): Expr {
    if (t.value === '(') {
      // A lambda with several parameters: (a, b) -> …
      if (this.isLambdaParams()) return this.lambda();
      this.next();
      if (this.isWord('select') || this.isWord('with') || this.isWord('values')) {
        const query = this.query();
        this.expectOp(')');
        return { kind: 'subquery', query, span: this.spanFrom(t.span) };
      }
      const first = this.expression();
      if (this.acceptOp(',')) {
        const items = [first, ...this.expressionList()];
        this.expectOp(')');
        return { kind: 'row', items, span: this.spanFrom(t.span) };
      }
      this.expectOp(')');
      return first;
    }
    if (t.value === '[' && this.dialect === 'duckdb') {
      this.next();
      const items = this.isOp(']') ? [] : this.expressionList();
      this.expectOp(']');
      return { kind: 'array', items, span: this.spanFrom(t.span) };
    }
    if (t.value === '?') throw new QueryProblem('Query parameters (`?`) are not supported.', t.span);
    return this.fail('an expression');
  }

  private isLambdaParams(): boolean {
    let i = 1;
    if (!this.isOp('(')) return false;
    if (this.isOp(')', i)) return this.isOp('->', i + 1);
    for (;;) {
      if (!this.isIdentifierNext(i)) return false;
      i++;
      if (this.isOp(')', i)) return this.isOp('->', i + 1);
      if (!this.isOp(',', i)) return false;
      i++;
    }
  }

  private lambda(): Expr {
    const start = this.peek().span;
    const params: Ident[] = [];
    if (this.acceptOp('(')) {
      if (!this.isOp(')')) {
        do params.push(this.identifier('a lambda parameter'));
        while (this.acceptOp(','));
      }
      this.expectOp(')');
    } else params.push(this.identifier('a lambda parameter'));
    this.expectOp('->');
    const body = this.expression();
    return { kind: 'lambda', params, body, span: this.spanFrom(start) };
  }

  /** DuckDB's `lambda a, b: …`, as the same node as Trino's `(a, b) -> …`. */
  private duckdbLambda(): Expr {
    const start = this.expectWord('lambda').span;
    const params: Ident[] = [];
    do params.push(this.identifier('a lambda parameter'));
    while (this.acceptOp(','));
    this.expectOp(':');
    const body = this.expression();
    return { kind: 'lambda', params, body, span: this.spanFrom(start) };
  }

  /** A column (`a`, `t.a`), a function call (`f(…)`, `db.f(…)`), or a lambda `x -> …`. */
  private nameExpression(): Expr {
    if (this.isOp('->', 1)) return this.lambda();
    if (this.dialect === 'duckdb' && this.isWord('lambda') && this.isIdentifierNext(1)) return this.duckdbLambda();
    const first = this.identifier('a column or function name');
    if (this.isOp('(')) return this.callAfterName(first);
    const parts = [first];
    while (this.isOp('.') && this.isIdentifierNext(1)) {
      this.next();
      parts.push(this.identifier('a column name'));
    }
    return { kind: 'column', parts, span: this.spanFrom(first.span) };
  }

  private callAfterName(name: Ident): Expr {
    this.expectOp('(');
    let distinct = false;
    let star = false;
    let args: Expr[] = [];
    let orderBy: OrderItem[] = [];
    if (this.acceptOp('*')) star = true;
    else if (!this.isOp(')')) {
      if (this.acceptWord('distinct')) distinct = true;
      else this.acceptWord('all');
      args = this.expressionList();
      if (this.isWord('order') && this.isWord('by', 1)) {
        this.pos += 2;
        orderBy = this.orderItems();
      }
    }
    this.expectOp(')');
    const call = this.call(name, args, name.span, false) as Extract<Expr, { kind: 'call' }>;
    call.distinct = distinct;
    call.star = star;
    call.orderBy = orderBy;
    call.filter = this.filterClause();
    if ((this.isWord('ignore') || this.isWord('respect')) && this.isWord('nulls', 1))
      throw new QueryProblem('IGNORE NULLS / RESPECT NULLS is not supported.', this.peek().span);
    if (this.acceptWord('over')) call.over = this.isOp('(') ? this.windowSpec() : this.windowName();
    call.span = this.spanFrom(name.span);
    return call;
  }

  /** An aggregate's `FILTER (WHERE …)`, if there is one. */
  private filterClause(): Expr | null {
    if (!(this.isWord('filter') && this.isOp('(', 1))) return null;
    this.pos += 2;
    this.expectWord('where');
    const filter = this.expression();
    this.expectOp(')');
    return filter;
  }

  private identifierOf(t: SqlToken): Ident {
    return { name: t.value, quoted: false, span: t.span };
  }

  /**
   * `listagg(x[, separator] [ON OVERFLOW ERROR]) WITHIN GROUP (ORDER BY …)`: a call whose order is the
   * aggregate's own, as `array_agg(x ORDER BY …)` is written.
   */
  private listagg(): Expr {
    const name = this.identifierOf(this.next());
    this.expectOp('(');
    const distinct = this.acceptWord('distinct') !== null;
    const args = [this.expression()];
    if (this.acceptOp(',')) args.push(this.expression());
    if (this.acceptWord('on')) {
      this.expectWord('overflow');
      if (!this.acceptWord('error'))
        throw new QueryProblem('Flowscope runs listagg with ON OVERFLOW ERROR only, its default.', this.peek().span);
    }
    this.expectOp(')');
    this.expectWord('within');
    this.expectWord('group');
    this.expectOp('(');
    this.expectWord('order');
    this.expectWord('by');
    const orderBy = this.orderItems();
    this.expectOp(')');
    const call = this.call(name, args, name.span, false) as Extract<Expr, { kind: 'call' }>;
    return { ...call, distinct, orderBy, filter: this.filterClause(), span: this.spanFrom(name.span) };
  }

  private call(name: Ident, args: Expr[], span: SourceSpan, bare: boolean): Expr {
    return {
      kind: 'call',
      name,
      args,
      distinct: false,
      star: false,
      bare,
      orderBy: [],
      filter: null,
      over: null,
      span,
    };
  }

  private windowSpec(): WindowSpec {
    const start = this.expectOp('(').span;
    let partitionBy: Expr[] = [];
    let orderBy: OrderItem[] = [];
    if (this.isWord('partition') && this.isWord('by', 1)) {
      this.pos += 2;
      partitionBy = this.expressionList();
    }
    if (this.isWord('order') && this.isWord('by', 1)) {
      this.pos += 2;
      orderBy = this.orderItems();
    }
    let frame: string | null = null;
    if (this.isWord('rows') || this.isWord('range') || this.isWord('groups')) {
      const kind = this.next().value.toUpperCase();
      const bound = (): string => {
        if (this.acceptWord('unbounded')) {
          const dir = this.acceptWord('preceding') ? 'PRECEDING' : (this.expectWord('following'), 'FOLLOWING');
          return `UNBOUNDED ${dir}`;
        }
        if (this.acceptWord('current')) {
          this.expectWord('row');
          return 'CURRENT ROW';
        }
        // An interval from the current row, over an ORDER BY of times: RANGE BETWEEN INTERVAL '1' HOUR PRECEDING ….
        if (this.isWord('interval')) {
          const iv = this.interval() as Extract<Expr, { kind: 'interval' }>;
          const dir = this.acceptWord('preceding') ? 'PRECEDING' : (this.expectWord('following'), 'FOLLOWING');
          const value = `'${iv.negative ? '-' : ''}${iv.value.replace(/'/g, "''")}'`;
          const units = iv.from ? ` ${iv.from.toUpperCase()}${iv.to ? ` TO ${iv.to.toUpperCase()}` : ''}` : '';
          return `INTERVAL ${value}${units} ${dir}`;
        }
        const n = this.peek();
        if (n.kind !== 'number') this.fail('a frame bound');
        this.next();
        const dir = this.acceptWord('preceding') ? 'PRECEDING' : (this.expectWord('following'), 'FOLLOWING');
        return `${n.value} ${dir}`;
      };
      if (this.acceptWord('between')) {
        const a = bound();
        this.expectWord('and');
        frame = `${kind} BETWEEN ${a} AND ${bound()}`;
      } else frame = `${kind} ${bound()}`;
    }
    this.expectOp(')');
    return { partitionBy, orderBy, frame, span: this.spanFrom(start) };
  }

  private caseExpression(): Expr {
    const start = this.expectWord('case').span;
    const operand = this.isWord('when') ? null : this.expression();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('when')) {
      const when = this.expression();
      this.expectWord('then');
      whens.push({ when, then: this.expression() });
    }
    if (whens.length === 0) this.fail('WHEN');
    const otherwise = this.acceptWord('else') ? this.expression() : null;
    this.expectWord('end');
    return { kind: 'case', operand, whens, else: otherwise, span: this.spanFrom(start) };
  }

  private castExpression(): Expr {
    const t = this.next();
    this.expectOp('(');
    const operand = this.expression();
    this.expectWord('as');
    const type = this.typeName();
    this.expectOp(')');
    return { kind: 'cast', operand, type, try: t.value === 'try_cast', span: this.spanFrom(t.span) };
  }

  private interval(): Expr {
    const start = this.expectWord('interval').span;
    let negative = false;
    if (this.acceptOp('-')) negative = true;
    else this.acceptOp('+');
    const value = this.peek();
    // DuckDB also writes the number bare: INTERVAL 1 DAY.
    if (value.kind !== 'string' && !(this.dialect === 'duckdb' && value.kind === 'number'))
      this.fail("the interval's value in quotes, as in INTERVAL '7' DAY");
    this.next();
    if (this.dialect === 'duckdb' && !(this.peek().kind === 'name' && INTERVAL_UNITS[this.peek().value]))
      return { kind: 'interval', value: value.value, negative, from: null, to: null, span: this.spanFrom(start) };
    const from = this.intervalUnit();
    let to: IntervalUnit | null = null;
    if (this.acceptWord('to')) to = this.intervalUnit();
    return { kind: 'interval', value: value.value, negative, from, to, span: this.spanFrom(start) };
  }

  private position(): Expr {
    const t = this.next();
    this.expectOp('(');
    const needle = this.concat();
    this.expectWord('in');
    const haystack = this.concat();
    this.expectOp(')');
    return this.call({ name: 'strpos', quoted: false, span: t.span }, [haystack, needle], this.spanFrom(t.span), false);
  }

  private substring(): Expr {
    const t = this.next();
    this.expectOp('(');
    const operand = this.expression();
    let args: Expr[];
    if (this.acceptWord('from')) {
      args = [operand, this.expression()];
      if (this.acceptWord('for')) args.push(this.expression());
    } else {
      this.expectOp(',');
      args = [operand, ...this.expressionList()];
    }
    this.expectOp(')');
    return this.call({ name: 'substr', quoted: false, span: t.span }, args, this.spanFrom(t.span), false);
  }

  private trim(): Expr {
    const t = this.next();
    this.expectOp('(');
    let side = 'trim';
    if (this.acceptWord('leading')) side = 'ltrim';
    else if (this.acceptWord('trailing')) side = 'rtrim';
    else this.acceptWord('both');
    let chars: Expr | null = null;
    let operand: Expr;
    if (this.acceptWord('from')) operand = this.expression();
    else {
      const first = this.expression();
      if (this.acceptWord('from')) {
        chars = first;
        operand = this.expression();
      } else if (this.acceptOp(',')) {
        operand = first;
        chars = this.expression();
      } else operand = first;
    }
    this.expectOp(')');
    const args = chars ? [operand, chars] : [operand];
    return this.call({ name: side, quoted: false, span: t.span }, args, this.spanFrom(t.span), false);
  }
}
