/**
 * What the Insights and Sumo parsers share: the token helpers and the expression grammar (`or`, `and`,
 * `not`, comparisons, arithmetic, literals, fields, calls). Each dialect extends it with its commands and
 * fills in where the dialects differ: the words an operand cannot be, whether `^` raises to a power, what
 * follows a comparison's left side (`like`/`=~`/`in [..]` or `matches`/`in (..)`), how a name becomes a
 * field, and what completion records where the text ends.
 */
import { Lexer, type Token } from './lexer';
import type { BinaryOp, Expr, Name, SourceSpan, Stage } from './plan';
import { balancedTree, NestingDepth } from './nesting';
import { QueryProblem } from './source';
import { rewriteGroupOpenings } from './re2';

const COMPARISONS: Record<string, BinaryOp> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

export interface ExpressionSyntax {
  /** Words that cannot stand as an operand. */
  reserved: ReadonlySet<string>;
  /** Whether `a ^ b` raises to a power. */
  power: boolean;
  /** Whether `%"a name"` quotes a name (Sumo). */
  percentNames?: boolean;
  /** Whether months, quarters and years are durations (Insights). */
  calendarUnits?: boolean;
  /** Whether a number may end in a size suffix, `1k`, `1Gi` (Sumo). */
  sizeUnits?: boolean;
}

/** What operators read in modules of their own need of the parser: its token helpers. */
export interface OperatorReader {
  peek(): Token;
  next(): Token;
  isKeyword(word: string): boolean;
  isOp(op: string): boolean;
  name(what?: string): Token;
  /** A name that reads a field, as the dialect names it (Sumo's `src_ip`, `_messageTime`). */
  field(what?: string): Name;
  span(from: SourceSpan, to: SourceSpan): SourceSpan;
  unexpected(t: Token, what: string, hint?: string): QueryProblem;
  /** Where the parser stands, to look ahead and come back. */
  save(): ReturnType<Lexer['save']>;
  restore(state: ReturnType<Lexer['save']>): void;
}

export abstract class ExpressionParser {
  readonly lexer: Lexer;

  /** The token helpers, for the operators read in other modules. */
  protected readonly reader: OperatorReader = {
    peek: () => this.peek(),
    next: () => this.next(),
    isKeyword: (word) => this.isKeyword(word),
    isOp: (op) => this.isOp(op),
    name: (what) => this.name(what),
    field: (what) => this.fieldOf(this.name(what)),
    span: (from, to) => this.span(from, to),
    unexpected: (t, what, hint) => this.unexpected(t, what, hint),
    save: () => this.lexer.save(),
    restore: (state) => this.lexer.restore(state),
  };

  constructor(
    text: string,
    lineComment: string,
    private readonly syntax: ExpressionSyntax,
  ) {
    this.lexer = new Lexer(
      text,
      lineComment,
      syntax.percentNames ?? false,
      syntax.calendarUnits ?? false,
      syntax.sizeUnits ?? false,
    );
  }

  /** The dialect's operators after a comparison's left side other than `=`, `<` & co; `left` if none. */
  protected abstract comparisonRest(left: Expr): Expr;

  /** Completion: the text ends where a keyword could stand. */
  protected keywordAtEnd(_word: string): void {}

  /** Completion: the text ends where an operand should stand. */
  protected operandAtEnd(): void {}

  /** A name (or quoted name) used as a field. */
  protected fieldRef(t: Token): Expr {
    return { kind: 'field', name: t.value, span: t.span };
  }

  // --- tokens ---------------------------------------------------------------------------------------

  protected peek(): Token {
    return this.lexer.peek();
  }

  protected next(): Token {
    return this.lexer.next();
  }

  protected span(from: SourceSpan, to: SourceSpan): SourceSpan {
    return this.lexer.source.join(from, to);
  }

  protected isKeyword(word: string): boolean {
    const t = this.peek();
    if (t.kind === 'eof') this.keywordAtEnd(word);
    return t.kind === 'name' && t.value.toLowerCase() === word;
  }

  protected isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === op;
  }

  protected expectOp(op: string, what: string): Token {
    if (this.isOp(op)) return this.next();
    throw this.unexpected(this.peek(), what);
  }

  protected unexpected(t: Token, what: string, hint?: string): QueryProblem {
    if (t.kind === 'eof') return new QueryProblem(`The query ends where ${what} should be.`, t.span, hint);
    return new QueryProblem(`Expected ${what}, found \`${this.lexer.source.slice(t.span)}\`.`, t.span, hint);
  }

  /** The field a name read by an operator stands for; the dialect may resolve its aliases. */
  protected fieldOf(t: Token): Name {
    return { name: t.value, span: t.span };
  }

  protected name(what = 'a field name'): Token {
    const t = this.peek();
    if (t.kind !== 'name' && t.kind !== 'quoted-name') throw this.unexpected(t, what);
    return this.next();
  }

  /** `a, b, …`: the names a pattern's parts are given. */
  protected names(): { name: string; span: SourceSpan }[] {
    const names: { name: string; span: SourceSpan }[] = [];
    do {
      if (names.length) this.next();
      const n = this.name();
      names.push({ name: n.value, span: n.span });
    } while (this.isOp(','));
    return names;
  }

  protected wholeNumber(what: string, hint?: string): Token {
    const t = this.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw this.unexpected(t, what, hint);
    return this.next();
  }

  /** One sort key: an expression, then `asc` or `desc` or neither (`descending` by default). */
  protected sortKey(descending: boolean): Extract<Stage, { kind: 'sort' }>['keys'][number] {
    const expr = this.expr();
    if (this.isKeyword('desc') || this.isKeyword('asc')) {
      const dir = this.next();
      return { expr, descending: dir.value.toLowerCase() === 'desc', span: this.span(expr.span, dir.span) };
    }
    return { expr, descending, span: expr.span };
  }

  // --- expressions ----------------------------------------------------------------------------------

  expr(): Expr {
    return this.chain('or', () => this.and());
  }

  private and(): Expr {
    return this.chain('and', () => this.not());
  }

  /** `a op b op c …` for `and` or `or`, as a balanced tree (nesting.ts). */
  private chain(op: 'and' | 'or', operand: () => Expr): Expr {
    const items = [operand()];
    while (this.isKeyword(op)) {
      this.next();
      items.push(operand());
    }
    return balancedTree(items, (left, right) => ({
      kind: 'binary',
      op,
      left,
      right,
      span: this.span(left.span, right.span),
    }));
  }

  /** How deep the expression being read nests (parentheses, calls, `not`, signs). */
  private readonly nesting = new NestingDepth();

  private not(): Expr {
    if (this.isKeyword('not') || this.isOp('!')) {
      const t = this.next();
      const operand = this.nesting.within(t.span, () => this.not());
      return { kind: 'not', operand, span: this.span(t.span, operand.span) };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && Object.hasOwn(COMPARISONS, t.value)) {
      this.next();
      const right = this.additive();
      return { kind: 'binary', op: COMPARISONS[t.value]!, left, right, span: this.span(left.span, right.span) };
    }
    return this.comparisonRest(left);
  }

  /** The list of `left in <open> a, b <close>`, after `in`. */
  protected inList(left: Expr, negated: boolean, open: string, close: string, allowEmpty: boolean): Expr {
    this.expectOp(open, `\`${open}\` to start the list`);
    const list: Expr[] = [];
    if (!allowEmpty || !this.isOp(close)) {
      do {
        if (list.length) this.next();
        list.push(this.additive());
      } while (this.isOp(','));
    }
    const end = this.expectOp(close, `\`${close}\` to end the list`);
    return { kind: 'in', operand: left, list, negated, span: this.span(left.span, end.span) };
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.value !== '+' && t.value !== '-')) return left;
      this.next();
      const right = this.multiplicative();
      left = { kind: 'binary', op: t.value, left, right, span: this.span(left.span, right.span) };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.value !== '*' && t.value !== '/' && t.value !== '%')) return left;
      this.next();
      const right = this.unary();
      left = { kind: 'binary', op: t.value, left, right, span: this.span(left.span, right.span) };
    }
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      const operand = this.nesting.within(t.span, () => this.unary());
      return { kind: 'negate', operand, span: this.span(t.span, operand.span) };
    }
    const base = this.primary();
    if (this.syntax.power && this.isOp('^')) {
      const t = this.next();
      const exponent = this.nesting.within(t.span, () => this.unary());
      return { kind: 'binary', op: '^', left: base, right: exponent, span: this.span(base.span, exponent.span) };
    }
    return base;
  }

  protected primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'number', value: Number(t.value), text: t.value, span: t.span };
      case 'string':
        this.next();
        return { kind: 'string', value: t.value, span: t.span };
      case 'duration':
        this.next();
        return t.months === undefined
          ? { kind: 'duration', ms: t.ms!, text: t.value, span: t.span }
          : { kind: 'duration', ms: t.ms!, months: t.months, text: t.value, span: t.span };
      case 'quoted-name':
        this.next();
        return this.fieldRef(t);
      case 'name': {
        const lower = t.value.toLowerCase();
        if (this.syntax.reserved.has(lower)) {
          throw this.unexpected(t, 'a field, value or function', `\`${t.value}\` is a keyword`);
        }
        this.next();
        if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', span: t.span };
        if (lower === 'null') return { kind: 'null', span: t.span };
        if (this.isOp('(')) return this.call(t);
        return this.fieldRef(t);
      }
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.nesting.within(t.span, () => this.expr());
          this.expectOp(')', '`)`');
          return inner;
        }
        break;
      case 'eof':
        this.operandAtEnd();
        break;
      default:
        break;
    }
    throw this.unexpected(t, 'a field, value or function');
  }

  /** Argument `index` of a call to `name`; a dialect reads some of its own way (Sumo's `replace(x, /re/, y)`). */
  protected argument(_name: Token, _index: number): Expr {
    return this.expr();
  }

  /** `name(args)` or `name(*)`, with the `(` next. */
  protected call(name: Token): Extract<Expr, { kind: 'call' }> {
    this.next();
    const args: Expr[] = [];
    let star = false;
    if (this.isOp('*')) {
      this.next();
      star = true;
    } else if (!this.isOp(')')) {
      do {
        if (args.length) this.next();
        args.push(this.nesting.within(name.span, () => this.argument(name, args.length)));
      } while (this.isOp(','));
    }
    const close = this.expectOp(')', '`)` to close the call');
    return {
      kind: 'call',
      name: name.value,
      args,
      ...(star ? { star } : {}),
      span: this.span(name.span, close.span),
      nameSpan: name.span,
    };
  }
}

/** An Insights glob (`*` for each part) as an RE2 regular expression with one group per `*`. */
export function globToRegex(glob: string): string {
  const parts = glob.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const last = parts.length - 1;
  return parts.map((p, i) => (i === 0 ? p : (i === last && p === '' ? '(.*)' : '(.*?)') + p)).join('');
}

/**
 * The names of a regex's named groups `(?<name>...)` (also `(?P<name>...)`), in order, and the regex with
 * them written as plain groups (DuckDB's RE2 reads no names) and every other group made non-capturing, so
 * group i+1 is name i. With `keepUnnamed` the other groups keep capturing (a replacement's `$1` counts
 * them): `numbers[i]` is the group number of name i, `groups` how many groups capture.
 */
export function namedGroups(
  re: Token,
  source: { span(offset: number, length: number): SourceSpan },
  keepUnnamed = false,
): { regex: string; names: { name: string; span: SourceSpan }[]; numbers: number[]; groups: number } {
  const text = re.value;
  const names: { name: string; span: SourceSpan }[] = [];
  const numbers: number[] = [];
  let groups = 0;
  const out = rewriteGroupOpenings(text, (i) => {
    const named = /^\(\?P?<([A-Za-z_@][A-Za-z0-9_@.]*)>/.exec(text.slice(i));
    if (named) {
      names.push({ name: named[1]!, span: source.span(re.span.offset + 1 + i, named[0].length) });
      numbers.push(++groups);
      return { text: '(', length: named[0].length };
    }
    // `(?<` opens a named group (`(?<=` and `(?<!` look behind): a name the pattern above does not take is
    // said to be one, rather than the regular expression naming no fields.
    const badName = /^\(\?P?<([^=!][^>]*)>?/.exec(text.slice(i));
    if (badName)
      throw new QueryProblem(
        `\`${badName[1]}\` is not a field name a group can give: a name is letters, digits, \`_\`, \`@\` and \`.\`, not starting with a digit.`,
        source.span(re.span.offset + 1 + i, badName[0].length),
      );
    if (text[i + 1] === '?') return null;
    if (!keepUnnamed) return { text: '(?:', length: 1 };
    groups++;
    return null;
  });
  return { regex: out, names, numbers, groups };
}
