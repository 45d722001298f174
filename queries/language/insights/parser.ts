/**
 * The CloudWatch Logs Insights parser: query text → plan. Commands: fields, display, filter, stats, sort,
 * limit, parse, dedup, joined by `|`; `#` comments.
 *
 * For completion the parser also runs over the text before the cursor: when it reaches the end of that
 * text it records what it would have accepted there (`expected`), and the stages it had finished.
 */
import { Lexer, type Token } from '../lexer';
import type { BinaryOp, Expr, Named, Plan, SourceSpan, Stage } from '../plan';
import { QueryProblem, didYouMean } from '../source';

export const INSIGHTS_COMMANDS: Record<string, { syntax: string; doc: string }> = {
  fields: { syntax: 'fields field, expr as name, ...', doc: 'Choose the fields to show; can compute new ones' },
  display: { syntax: 'display field, ...', doc: 'Show only these fields' },
  filter: { syntax: 'filter condition', doc: 'Keep the records for which the condition is true' },
  stats: { syntax: 'stats agg(field) as name, ... by field, bin(5m)', doc: 'Aggregate, optionally by groups' },
  sort: { syntax: 'sort field desc, ...', doc: 'Order the results (asc is the default)' },
  limit: { syntax: 'limit n', doc: 'Keep the first n results' },
  parse: { syntax: 'parse field "glob * text" as a, ... | parse field /(?<name>re)/', doc: 'Extract fields from text' },
  dedup: { syntax: 'dedup field, ...', doc: 'Keep the first result for each distinct value' },
};

/** What the parser would accept where the text ended. */
export type Expectation =
  | { kind: 'command' }
  | { kind: 'operand'; aggregates: boolean }
  | { kind: 'keyword'; word: string };

const COMPARISONS: Record<string, BinaryOp> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const RESERVED = new Set(['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc']);

export class InsightsParser {
  readonly lexer: Lexer;
  readonly stages: Stage[] = [];
  readonly expected: Expectation[] = [];
  private inStats = false;

  constructor(text: string) {
    this.lexer = new Lexer(text, '#');
  }

  parse(): Plan {
    if (this.peek().kind !== 'eof' || this.expectAt('command')) {
      for (;;) {
        this.stages.push(this.stage());
        if (this.isOp('|')) {
          this.next();
          continue;
        }
        const t = this.peek();
        if (t.kind !== 'eof') {
          throw new QueryProblem(`Unexpected \`${this.lexer.source.slice(t.span)}\`.`, t.span, 'separate items with `,` and commands with `|`');
        }
        break;
      }
    }
    return { dialect: 'insights', stages: this.stages };
  }

  // --- tokens ---------------------------------------------------------------------------------------

  private peek(): Token {
    return this.lexer.peek();
  }

  private next(): Token {
    return this.lexer.next();
  }

  private span(from: SourceSpan, to: SourceSpan): SourceSpan {
    return this.lexer.source.join(from, to);
  }

  /** Record an expectation when the text ends here (completion); true if it did. */
  private expectAt(kind: 'command'): boolean;
  private expectAt(kind: Expectation['kind'], extra?: Partial<Expectation>): boolean;
  private expectAt(kind: Expectation['kind'], extra: Partial<Expectation> = {}): boolean {
    if (this.peek().kind !== 'eof') return false;
    this.expected.push({ kind, ...extra } as Expectation);
    return true;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    if (t.kind === 'eof') this.expected.push({ kind: 'keyword', word });
    return t.kind === 'name' && t.value.toLowerCase() === word;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === op;
  }

  private expectOp(op: string, what: string): Token {
    const t = this.peek();
    if (t.kind === 'op' && t.value === op) return this.next();
    throw this.unexpected(t, what);
  }

  private unexpected(t: Token, what: string, hint?: string): QueryProblem {
    if (t.kind === 'eof') return new QueryProblem(`The query ends where ${what} should be.`, t.span, hint);
    return new QueryProblem(`Expected ${what}, found \`${this.lexer.source.slice(t.span)}\`.`, t.span, hint);
  }

  // --- commands -------------------------------------------------------------------------------------

  private stage(): Stage {
    const t = this.peek();
    if (t.kind !== 'name') {
      this.expectAt('command');
      throw this.unexpected(t, 'a command', 'commands: ' + Object.keys(INSIGHTS_COMMANDS).join(', '));
    }
    const command = t.value.toLowerCase();
    if (!Object.hasOwn(INSIGHTS_COMMANDS, command)) {
      throw new QueryProblem(`Unknown command \`${t.value}\`.`, t.span, didYouMean(t.value, Object.keys(INSIGHTS_COMMANDS)) ?? `commands: ${Object.keys(INSIGHTS_COMMANDS).join(', ')}`);
    }
    this.next();
    switch (command) {
      case 'fields':
      case 'display': {
        const items = this.namedList();
        return { kind: 'fields', items, select: true, replace: command === 'display', span: this.span(t.span, items.at(-1)!.span) };
      }
      case 'filter': {
        const where = this.expr();
        return { kind: 'filter', where, span: this.span(t.span, where.span) };
      }
      case 'stats':
        return this.stats(t);
      case 'sort':
        return this.sort(t);
      case 'limit': {
        const n = this.peek();
        if (n.kind !== 'number' || !/^\d+$/.test(n.value)) throw this.unexpected(n, 'a whole number', 'for example: limit 20');
        this.next();
        return { kind: 'limit', count: Number(n.value), span: this.span(t.span, n.span) };
      }
      case 'parse':
        return this.parseCommand(t);
      default: {
        const keys = [this.expr()];
        while (this.isOp(',')) {
          this.next();
          keys.push(this.expr());
        }
        return { kind: 'dedup', keys, span: this.span(t.span, keys.at(-1)!.span) };
      }
    }
  }

  private stats(t: Token): Stage {
    this.inStats = true;
    const aggregates = this.namedList();
    this.inStats = false;
    let groupBy: Named[] = [];
    if (this.isKeyword('by')) {
      this.next();
      groupBy = this.namedList();
    }
    const last = (groupBy.at(-1) ?? aggregates.at(-1))!;
    return { kind: 'stats', aggregates, groupBy, span: this.span(t.span, last.span) };
  }

  private sort(t: Token): Stage {
    const keys: Extract<Stage, { kind: 'sort' }>['keys'] = [];
    do {
      if (keys.length) this.next();
      const expr = this.expr();
      let descending = false;
      let end = expr.span;
      if (this.isKeyword('desc') || this.isKeyword('asc')) {
        const dir = this.next();
        descending = dir.value.toLowerCase() === 'desc';
        end = dir.span;
      }
      keys.push({ expr, descending, span: this.span(expr.span, end) });
      const after = this.peek();
      if (after.kind === 'name') {
        throw new QueryProblem(`Expected \`asc\` or \`desc\`, found \`${after.value}\`.`, after.span, sortDirectionHint(after.value));
      }
    } while (this.isOp(','));
    return { kind: 'sort', keys, span: this.span(t.span, keys.at(-1)!.span) };
  }

  private parseCommand(t: Token): Stage {
    // Only a field or a call: a `/` after it starts the regex, it does not divide.
    const source = this.primary();
    if (this.isOp('/')) {
      const re = this.lexer.regex();
      const { regex, names } = namedGroups(re, this.lexer.source);
      if (names.length === 0) throw new QueryProblem('This regular expression names no fields.', re.span, 'name the parts to extract: /(?<port>\\d+)/');
      return { kind: 'parse', source, regex: re.flags?.includes('i') ? `(?i)${regex}` : regex, names, span: this.span(t.span, re.span) };
    }
    const glob = this.peek();
    if (glob.kind !== 'string') throw this.unexpected(glob, 'a pattern ("... * ...") or a /regular expression/');
    this.next();
    const stars = (glob.value.match(/\*/g) ?? []).length;
    if (stars === 0) throw new QueryProblem('This pattern has no `*` to extract.', glob.span, 'mark each part to extract with *');
    if (!this.isKeyword('as')) throw this.unexpected(this.peek(), '`as` and the names of the parts');
    this.next();
    const names: { name: string; span: SourceSpan }[] = [];
    do {
      if (names.length) this.next();
      const n = this.peek();
      if (n.kind !== 'name' && n.kind !== 'quoted-name') throw this.unexpected(n, 'a field name');
      this.next();
      names.push({ name: n.value, span: n.span });
    } while (this.isOp(','));
    if (names.length !== stars) {
      throw new QueryProblem(`The pattern has ${stars} \`*\` but ${names.length} name${names.length === 1 ? '' : 's'} follow${names.length === 1 ? 's' : ''} \`as\`.`, this.span(names[0]!.span, names.at(-1)!.span), 'give one name per *');
    }
    return { kind: 'parse', source, regex: globToRegex(glob.value), names, span: this.span(t.span, names.at(-1)!.span) };
  }

  private namedList(): Named[] {
    const items: Named[] = [];
    do {
      if (items.length) this.next();
      const start = this.lexer.offset;
      const expr = this.expr();
      const written = this.lexer.text.slice(start, expr.span.offset + expr.span.length);
      if (this.isKeyword('as')) {
        this.next();
        const n = this.peek();
        if (n.kind !== 'name' && n.kind !== 'quoted-name') throw this.unexpected(n, 'a name after `as`');
        this.next();
        items.push({ expr, name: n.value, span: this.span(expr.span, n.span) });
      } else {
        items.push({ expr, name: expr.kind === 'field' ? expr.name : written.replace(/\s+/g, ''), span: expr.span });
      }
    } while (this.isOp(','));
    return items;
  }

  // --- expressions ----------------------------------------------------------------------------------

  expr(): Expr {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.next();
      const right = this.and();
      left = { kind: 'binary', op: 'or', left, right, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('and')) {
      this.next();
      const right = this.not();
      left = { kind: 'binary', op: 'and', left, right, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private not(): Expr {
    if (this.isKeyword('not') || this.isOp('!')) {
      const t = this.next();
      const operand = this.not();
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
    if (t.kind === 'op' && t.value === '=~') {
      this.next();
      return this.matchRight(left, false, 'regex');
    }
    let negated = false;
    if (this.isKeyword('not')) {
      negated = true;
      this.next();
      if (!this.isKeyword('in') && !this.isKeyword('like')) throw this.unexpected(this.peek(), '`in` or `like` after `not`');
    }
    if (this.isKeyword('in')) {
      this.next();
      this.expectOp('[', '`[` to start the list');
      const list: Expr[] = [];
      if (!this.isOp(']')) {
        do {
          if (list.length) this.next();
          list.push(this.additive());
        } while (this.isOp(','));
      }
      const close = this.expectOp(']', '`]` to end the list');
      return { kind: 'in', operand: left, list, negated, span: this.span(left.span, close.span) };
    }
    if (this.isKeyword('like')) {
      this.next();
      return this.matchRight(left, negated, 'like');
    }
    return left;
  }

  /** The right side of `like` (a string or a regex) or `=~` (a regex, or a string taken as one). */
  private matchRight(left: Expr, negated: boolean, op: 'like' | 'regex'): Expr {
    if (this.isOp('/')) {
      const re = this.lexer.regex();
      return { kind: 'regex', operand: left, pattern: re.value, caseInsensitive: re.flags?.includes('i') ?? false, negated, span: this.span(left.span, re.span) };
    }
    const t = this.peek();
    if (t.kind !== 'string') throw this.unexpected(t, op === 'like' ? 'a "string" or a /regular expression/' : 'a /regular expression/');
    this.next();
    const span = this.span(left.span, t.span);
    if (op === 'regex') return { kind: 'regex', operand: left, pattern: t.value, caseInsensitive: false, negated, span };
    return { kind: 'like', operand: left, pattern: { kind: 'string', value: t.value, span: t.span }, mode: 'substring', negated, span };
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
      const operand = this.unary();
      return { kind: 'negate', operand, span: this.span(t.span, operand.span) };
    }
    const base = this.primary();
    if (this.isOp('^')) {
      this.next();
      const exponent = this.unary();
      return { kind: 'binary', op: '^', left: base, right: exponent, span: this.span(base.span, exponent.span) };
    }
    return base;
  }

  private primary(): Expr {
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
        return { kind: 'duration', ms: t.ms!, text: t.value, span: t.span };
      case 'quoted-name':
        this.next();
        return { kind: 'field', name: t.value, span: t.span };
      case 'name': {
        const lower = t.value.toLowerCase();
        if (RESERVED.has(lower)) throw this.unexpected(t, 'a field, value or function', `\`${t.value}\` is a keyword`);
        this.next();
        if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', span: t.span };
        if (lower === 'null') return { kind: 'null', span: t.span };
        if (this.isOp('(')) return this.call(t);
        return { kind: 'field', name: t.value, span: t.span };
      }
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.expr();
          this.expectOp(')', '`)`');
          return inner;
        }
        break;
      case 'eof':
        this.expected.push({ kind: 'operand', aggregates: this.inStats });
        break;
    }
    throw this.unexpected(t, 'a field, value or function');
  }

  private call(name: Token): Expr {
    this.next();
    const args: Expr[] = [];
    let star = false;
    if (this.isOp('*')) {
      this.next();
      star = true;
    } else if (!this.isOp(')')) {
      const wasInStats = this.inStats;
      this.inStats = false;
      do {
        if (args.length) this.next();
        args.push(this.expr());
      } while (this.isOp(','));
      this.inStats = wasInStats;
    }
    const close = this.expectOp(')', '`)` to close the call');
    return { kind: 'call', name: name.value, args, ...(star ? { star } : {}), span: this.span(name.span, close.span), nameSpan: name.span };
  }
}

function sortDirectionHint(word: string): string {
  const lower = word.toLowerCase();
  const meant = lower.startsWith('desc') ? 'desc' : lower.startsWith('asc') ? 'asc' : undefined;
  return meant ? `did you mean \`${meant}\`?` : (didYouMean(word, ['asc', 'desc']) ?? 'separate sort keys with `,`');
}

/** An Insights glob (`*` for each part) as an RE2 regular expression with one group per `*`. */
export function globToRegex(glob: string): string {
  const parts = glob.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const last = parts.length - 1;
  return parts.map((p, i) => (i === 0 ? p : (i === last && p === '' ? '(.*)' : '(.*?)') + p)).join('');
}

/**
 * The names of a regex's named groups `(?<name>...)` (also `(?P<name>...)`), in order, and the regex with
 * every other group made non-capturing, so group i+1 is name i.
 */
export function namedGroups(re: Token, source: { span(offset: number, length: number): SourceSpan }): { regex: string; names: { name: string; span: SourceSpan }[] } {
  const text = re.value;
  const names: { name: string; span: SourceSpan }[] = [];
  let out = '';
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      out += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (c === '(') {
      const named = /^\(\?P?<([A-Za-z_@][A-Za-z0-9_@.]*)>/.exec(text.slice(i));
      if (named) {
        names.push({ name: named[1]!, span: source.span(re.span.offset + 1 + i, named[0].length) });
        out += '(';
        i += named[0].length - 1;
        continue;
      }
      if (text[i + 1] !== '?') {
        out += '(?:';
        continue;
      }
    }
    out += c;
  }
  return { regex: out, names };
}

export function parseInsights(text: string): Plan {
  return new InsightsParser(text).parse();
}
