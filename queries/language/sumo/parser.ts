/**
 * The Sumo Logic parser: query text → plan. A query is a scope (search terms before the first `|`, read
 * by `scope.ts`) and pipe operators, read here; which words are operators, and which of them Flowscope
 * refuses and why, is the vocabulary's (`vocabulary.ts`).
 *
 * What the workspace already did is accepted as a no-op: `json` of the CloudWatch envelope keys, and
 * `parse` with the 14-star pattern, which binds its names to the default-format fields in order, whatever
 * the storage, so nothing is re-parsed from text. Field names a Sumo field-extraction rule gives flow logs
 * (`src_ip`, `dest_port`, `Action`, …) resolve even without a `parse`. Aggregates are named the Sumo way
 * (`_count`, `_sum`, `_<field>_pct_<n>`) and `sort` is descending unless `asc` is written.
 */
import { DEFAULT_FORMAT, fieldByAwsName } from '../../catalog/fields';
import { ExpressionParser, globToRegex, namedGroups } from '../expression-parser';
import { pipeOffsets } from './detect';
import { keyColumn, lookupColumn, resolveLookupTable } from './lookup-tables';
import { ENVELOPE_KEYS, scopeCondition } from './scope';
import { fillMissingStage } from './fill-missing';
import { splitStages } from './split';
import { compareStage, outlierStage, predictStage, runningStage, transposeStage } from './series-operators';
import { FIELD_EXTRACTION_NAMES, RESERVED, RUNNING_OPERATORS, sumoOperator } from './vocabulary';
import type { Token } from '../lexer';
import type { Expr, Name, Named, Plan, SourceSpan, Stage } from '../plan';
import { QueryProblem, SourceText, didYouMean } from '../source';
import { INSIGHTS_COMMAND_NAMES } from '../insights/parser';

interface AddressOperator {
  path: string;
  /** The fields it adds, each with the column of the lookup table that answers it. */
  fields: readonly (readonly [string, string])[];
}

/** Sumo's `geoip` and `threatip` result fields (its documentation's defaults), as lookup columns. */
const ADDRESS_OPERATORS: Record<string, AddressOperator> = {
  geoip: {
    path: 'geo://location',
    fields: ['latitude', 'longitude', 'country_code', 'country_name', 'city', 'state'].map((f) => [f, f] as const),
  },
  threatip: {
    path: 'sumo://threat/cs',
    fields: [
      ['actor', 'actor'],
      ['malicious_confidence', 'threatlevel'],
      ['raw_threat', 'raw'],
      ['type', 'type'],
    ],
  },
};

const FIELD_ALIASES = new Map(FIELD_EXTRACTION_NAMES.map((n) => [n.name.toLowerCase(), n.field]));

/** The column each of the 14 default-format positions binds to. */
const DEFAULT_COLUMNS = DEFAULT_FORMAT.map((aws) => fieldByAwsName(aws)!.column);

export class SumoParser extends ExpressionParser {
  readonly stages: Stage[] = [];
  /** Names stages defined (lower case): these shadow the aliases. */
  private readonly defined = new Set<string>();
  /** The period of the last `timeslice` operator, which `fillmissing timeslice` takes by default. */
  private sliceMs: number | null = null;
  /** The end of the last `timeslice` operator's slice, which `__timeslice_end` reads. */
  private sliceEnd: Extract<Expr, { kind: 'call' }> | null = null;
  /** The table path of each `lookup … from <path>`, which the lexer does not see (see `lookupPaths`). */
  private readonly tablePaths: readonly TablePath[];

  constructor(private readonly text: string) {
    const pipe = pipeOffsets(text, true)[0] ?? text.length;
    const paths = lookupPaths(text);
    // The scope and the lookup paths are read by hand (they hold `/`, `*` and a URL's `//`, which would
    // start a comment); blanking them keeps every offset true.
    super(blank(text, [{ offset: 0, path: text.slice(0, pipe) }, ...paths]), '//', {
      reserved: RESERVED,
      power: false,
      percentNames: true,
      sizeUnits: true,
    });
    this.tablePaths = paths;
    const scope = scopeCondition(text.slice(0, pipe), this.source, (written) => this.fieldName(written));
    if (scope) this.stages.push({ kind: 'filter', where: scope, span: scope.span });
  }

  parse(): Plan {
    while (this.isOp('|')) {
      this.next();
      const transpose = this.stages.find((s) => s.kind === 'transpose');
      // Sumo's apps fill the time slices a transposed result lacks: `transpose … | fillmissing timeslice(1h)`.
      if (transpose && this.isKeyword('fillmissing') && this.stages.at(-1) === transpose) {
        this.operator();
        continue;
      }
      if (transpose)
        throw new QueryProblem(
          '`transpose` must be the last operator: its columns are only known once the query has run.',
          this.peek().span,
          'move this operator before transpose',
        );
      this.operator();
    }
    const t = this.peek();
    if (t.kind !== 'eof')
      throw new QueryProblem(
        `Unexpected \`${this.source.slice(t.span)}\`.`,
        t.span,
        this.source.unexpectedHint(t.span, 'separate operators with `|`'),
      );
    return { dialect: 'sumo', stages: this.stages };
  }

  private get source(): SourceText {
    return this.lexer.source;
  }

  // --- tokens ---------------------------------------------------------------------------------------

  // A name the query defined that reads as a time span or a size (Sumo's own `timeslice 2h as 2hrs | count
  // by 2hrs`) is that field wherever it is written after, not the constant 7,200,000.
  protected override peek(): Token {
    return this.asDefinedName(super.peek());
  }

  protected override next(): Token {
    return this.asDefinedName(super.next());
  }

  private asDefinedName(t: Token): Token {
    if (t.kind !== 'duration' && t.kind !== 'number') return t;
    const written = this.source.slice(t.span);
    return /[a-z]/i.test(written) && this.defined.has(written.toLowerCase())
      ? { kind: 'name', value: written, span: t.span }
      : t;
  }

  private expectKeyword(word: string, hint?: string): Token {
    if (this.isKeyword(word)) return this.next();
    throw this.unexpected(this.peek(), `\`${word}\``, hint);
  }

  private isNameNext(): boolean {
    const t = this.peek();
    return t.kind === 'name' || t.kind === 'quoted-name';
  }

  /** `field=name` before a parse/json pattern. */
  private fieldOption(): Expr | null {
    if (!this.isKeyword('field')) return null;
    this.next();
    this.expectOp('=', '`=` after `field`');
    return this.fieldRef(this.name());
  }

  private nodrop(): boolean {
    if (!this.isKeyword('nodrop')) return false;
    this.next();
    return true;
  }

  /** The name a field goes by in the plan: an alias's target, unless a stage defined the name. */
  private fieldName(written: string): string {
    const lower = written.toLowerCase();
    if (this.defined.has(lower)) return written;
    return FIELD_ALIASES.get(lower) ?? written;
  }

  // An operator's field (`total data by _messagetime`, `accum bytes by src_ip`) is the one it names anywhere.
  protected override fieldOf(t: Token): Name {
    return { name: this.fieldName(t.value), span: t.span };
  }

  protected override fieldRef(t: Token): Expr {
    // `__timeslice_end`, the end of the last `timeslice` operator's slice, computed where it is used.
    const lower = t.value.toLowerCase();
    if (lower === '__timeslice_end' && this.sliceEnd && !this.defined.has(lower))
      return { ...this.sliceEnd, span: t.span };
    // The envelope's keys the workspace has no value for (`direction`, which Sumo's CloudWatch forwarder adds
    // and its PCI app reads with `if (!isEmpty(direction), direction, …)`): the empty text, as in a record
    // that carries none (so a dashboard's `where direction matches "*"` keeps every record).
    if (ENVELOPE_KEYS[lower] === '' && !this.defined.has(lower)) return { kind: 'string', value: '', span: t.span };
    return { kind: 'field', name: this.fieldName(t.value), span: t.span };
  }

  private define(stage: Stage, names: string[]): void {
    this.stages.push(stage);
    for (const n of names) this.defined.add(n.toLowerCase());
  }

  // --- operators ------------------------------------------------------------------------------------

  private operator(): void {
    const t = this.peek();
    if (t.kind !== 'name') {
      if (t.kind === 'eof') throw this.unexpected(t, 'an operator');
      return this.assignment(t);
    }
    const op = t.value.toLowerCase();
    const known = sumoOperator(op);
    if (known?.refused)
      throw new QueryProblem(`The \`${t.value}\` operator is not supported: ${known.refused}.`, t.span);
    if (known?.aggregate) return this.isMathCall() ? this.assignment(t) : this.aggregate(t);
    switch (op) {
      case 'where':
        this.next();
        return this.where(t);
      case 'json':
        this.next();
        return this.json(t);
      case 'parse': {
        this.next();
        const isRegex = this.isKeyword('regex');
        if (isRegex) this.next();
        return this.parseOperator(t, isRegex);
      }
      case 'extract':
        this.next();
        return this.parseOperator(t, true);
      case 'sort':
      case 'order':
        this.next();
        return this.sort(t);
      case 'top':
        this.next();
        return this.top(t);
      case 'topk':
        this.next();
        return this.topk(t);
      case 'count_frequent':
        this.next();
        return this.countFrequent(t);
      case 'limit':
      case 'head': {
        this.next();
        const n = this.wholeNumber('a whole number');
        // Sumo's limit page: "supports requests for up to 10,000 results. You cannot use limit 10001 or more."
        if (Number(n.value) < 1 || Number(n.value) > 10_000)
          throw new QueryProblem(`\`${t.value}\` is a whole number from 1 to 10000, as in Sumo Logic.`, n.span);
        this.stages.push({ kind: 'limit', count: Number(n.value), span: this.span(t.span, n.span) });
        return;
      }
      case 'fields':
        this.next();
        return this.fields(t);
      case 'timeslice':
        this.next();
        return this.timeslice(t);
      case 'lookup':
        this.next();
        return this.lookup(t);
      case 'outlier':
        this.next();
        return void this.stages.push(outlierStage(this.reader, t));
      case 'predict':
        this.next();
        return void this.stages.push(predictStage(this.reader, t));
      case 'compare':
        this.next();
        return void this.stages.push(compareStage(this.reader, t));
      case 'transpose':
        this.next();
        return void this.stages.push(transposeStage(this.reader, t));
      case 'dedup':
        this.next();
        return this.dedup(t);
      case 'split':
      case 'csv': {
        this.next();
        const { stages, names } = splitStages(
          this.reader,
          t,
          this.fieldRef(this.name('the field to split, such as _raw')),
          op === 'csv',
        );
        this.define(
          stages[0]!,
          names.map((n) => n.name),
        );
        return void this.stages.push(stages[1]!);
      }
      case 'fillmissing':
        this.next();
        return void this.stages.push(fillMissingStage(this.reader, t, this.sliceMs));
      case 'accum':
      case 'diff':
      case 'smooth':
      case 'rollingstd':
      case 'total':
      case 'backshift':
        this.next();
        return void this.stages.push(runningStage(this.reader, t, op));
      case 'geoip':
      case 'threatip':
        this.next();
        return this.addressOperator(t, ADDRESS_OPERATORS[op]!);
      default:
        return this.assignment(t);
    }
  }

  /** `min(a, b)`/`max(a, b)`: Sumo's math functions of two numbers, not the aggregates of one field. */
  private isMathCall(): boolean {
    const t = this.peek();
    if (!['min', 'max'].includes(t.value.toLowerCase())) return false;
    const saved = this.lexer.save();
    try {
      this.next();
      return this.isOp('(') && this.call(t).args.length === 2;
    } catch {
      return false;
    } finally {
      this.lexer.restore(saved);
    }
  }

  private where(t: Token): void {
    const where = this.expr();
    this.stages.push({ kind: 'filter', where, span: this.span(t.span, where.span) });
  }

  /** `| expr as name`: a computed field (`if(...) as x`, `bytes / 1024 as kb`). */
  private assignment(t: Token): void {
    const start = this.lexer.offset;
    let expr: Expr;
    try {
      expr = this.expr();
    } catch (err) {
      if (t.kind === 'name' && err instanceof QueryProblem && !this.isKeyword('as') && !sumoOperator(t.value)) {
        throw new QueryProblem(`Unknown operator \`${t.value}\`.`, t.span, unknownOperatorHint(t.value));
      }
      throw err;
    }
    const cast = castInPlace(expr);
    if (!this.isKeyword('as') && cast)
      return this.defineField(expr, writtenName(this.source.slice(cast.span)), expr.span);
    if (!this.isKeyword('as')) {
      if (t.kind === 'name' && expr.kind === 'field' && !sumoOperator(t.value)) {
        throw new QueryProblem(`Unknown operator \`${t.value}\`.`, t.span, unknownOperatorHint(t.value));
      }
      throw this.unexpected(
        this.peek(),
        '`as` and a name for the computed field',
        `for example: ${this.text.slice(start, expr.span.offset + expr.span.length)} as name`,
      );
    }
    this.next();
    const n = this.name('a name after `as`');
    this.defineField(expr, n.value, this.span(expr.span, n.span));
  }

  private defineField(expr: Expr, name: string, span: SourceSpan): void {
    this.define({ kind: 'fields', items: [{ expr, name, span }], select: false, span }, [name]);
  }

  private json(t: Token): void {
    const source = this.fieldOption();
    if (this.isKeyword('auto')) {
      const a = this.next();
      throw new QueryProblem(
        '`json auto` is not supported: flow-log records are lines of text, not JSON objects.',
        this.span(t.span, a.span),
        'name the CloudWatch envelope keys: json "message"',
      );
    }
    const keys: Token[] = [];
    do {
      if (keys.length) this.next();
      const k = this.peek();
      if (k.kind !== 'string') throw this.unexpected(k, 'a quoted JSON key such as "message"');
      keys.push(this.next());
    } while (this.isOp(','));
    const aliases: Token[] = [];
    if (this.isKeyword('as')) {
      this.next();
      do {
        if (aliases.length) this.next();
        aliases.push(this.name());
      } while (this.isOp(','));
      if (aliases.length !== keys.length) {
        throw new QueryProblem(
          `${keys.length} keys but ${aliases.length} names after \`as\`.`,
          this.span(aliases[0]!.span, aliases.at(-1)!.span),
          'give one name per key',
        );
      }
    }
    const nodrop = this.nodrop();
    if (source && !(source.kind === 'field' && source.name === '@message'))
      return this.jsonOfField(t, source, keys, aliases, nodrop);
    const items: Named[] = keys.map((k, i) => {
      const key = k.value.toLowerCase();
      if (!Object.hasOwn(ENVELOPE_KEYS, key)) {
        throw new QueryProblem(
          `\`json "${k.value}"\`: flow-log records have no JSON key \`${k.value}\`.`,
          k.span,
          'the CloudWatch envelope keys are "message", "logStream" and "logGroup"',
        );
      }
      const target = ENVELOPE_KEYS[key]!;
      const expr: Expr = target ? { kind: 'field', name: target, span: k.span } : { kind: 'null', span: k.span };
      return { expr, name: aliases[i]?.value ?? k.value, span: k.span };
    });
    this.define(
      { kind: 'fields', items, select: false, span: this.span(t.span, keys.at(-1)!.span) },
      items.map((i) => i.name),
    );
  }

  /**
   * `json field=raw "labels[*].name" as label`: values read from a field that holds JSON (a lookup's `raw`
   * column), each by its path; Sumo drops the records whose JSON lacks the first key, unless `nodrop`.
   */
  private jsonOfField(t: Token, source: Expr, keys: Token[], aliases: Token[], nodrop: boolean): void {
    const span = this.span(t.span, (aliases.at(-1) ?? keys.at(-1))!.span);
    const items: Named[] = keys.map((k, i) => ({
      expr: {
        kind: 'call',
        name: 'jsonPath',
        args: [source, { kind: 'string', value: k.value, span: k.span }],
        span: k.span,
        nameSpan: k.span,
      },
      name: aliases[i]?.value ?? k.value,
      span: k.span,
    }));
    this.define(
      { kind: 'fields', items, select: false, span },
      items.map((i) => i.name),
    );
    if (!nodrop) this.dropWithout(items[0]!, span);
  }

  /** `parse "… * …" as …`, or a regular expression's named groups: `parse regex "…"`, or `extract "…"` (its other name). */
  private parseOperator(t: Token, isRegex: boolean): void {
    const source = this.fieldOption() ?? { kind: 'field', name: '@message', span: t.span };
    const pattern = this.peek();
    if (pattern.kind !== 'string')
      throw this.unexpected(pattern, isRegex ? 'a quoted regular expression' : 'a quoted pattern such as "* * *"');
    this.next();
    if (isRegex) {
      const { regex, names } = namedGroups(pattern, this.source);
      if (names.length === 0)
        throw new QueryProblem(
          'This regular expression names no fields.',
          pattern.span,
          'name the parts to extract: "(?<port>\\d+)"',
        );
      const multi = this.isKeyword('multi');
      if (multi) this.next();
      const nodrop = this.nodrop();
      return this.extract(t, source, regex, names, nodrop, multi);
    }
    const stars = (pattern.value.match(/\*/g) ?? []).length;
    if (stars === 0)
      throw new QueryProblem('This pattern has no `*` to extract.', pattern.span, 'mark each part to extract with *');
    this.expectKeyword('as', 'name the parts: parse "… * …" as name');
    const names = this.names();
    if (names.length !== stars) {
      throw new QueryProblem(
        `The pattern has ${stars} \`*\` but ${names.length} name${names.length === 1 ? '' : 's'} follow \`as\`.`,
        this.span(names[0]!.span, names.at(-1)!.span),
        'give one name per *',
      );
    }
    const nodrop = this.nodrop();
    if (/^\*( \*){13}$/.test(pattern.value.trim())) {
      // The flow-log line itself: bind the default-format fields, whatever the storage.
      const items: Named[] = names.map((n, i) => ({
        expr: { kind: 'field', name: DEFAULT_COLUMNS[i]!, span: n.span },
        name: n.name,
        span: n.span,
      }));
      this.define(
        { kind: 'fields', items, select: false, line: true, span: this.span(t.span, names.at(-1)!.span) },
        names.map((n) => n.name),
      );
      return;
    }
    this.extract(t, source, globToRegex(pattern.value), names, nodrop);
  }

  private extract(
    t: Token,
    source: Expr,
    regex: string,
    names: { name: string; span: SourceSpan }[],
    nodrop: boolean,
    multi = false,
  ): void {
    const span = this.span(t.span, names.at(-1)!.span);
    this.define(
      { kind: 'parse', source, regex, names, span, ...(multi ? { multi } : {}) },
      names.map((n) => n.name),
    );
    // Sumo drops the records a parse does not match, unless `nodrop`.
    if (!nodrop) this.dropWithout(names[0]!, span);
  }

  /** A filter that drops the records in which `first`, a field the stage just defined, has no value. */
  private dropWithout(first: { name: string; span: SourceSpan }, span: SourceSpan): void {
    const missing: Expr = {
      kind: 'call',
      name: 'isNull',
      args: [{ kind: 'field', name: first.name, span: first.span }],
      span,
      nameSpan: first.span,
    };
    this.stages.push({ kind: 'filter', where: { kind: 'not', operand: missing, span }, span });
  }

  /**
   * `count, sum(x) as total, pct(x, 50, 95) by a, b`: one stats stage. `pct` with several percentiles is
   * one column each; `group by` is `by`; Sumo also takes the keys without `by` after a bare `count`
   * (`count _timeslice, action`).
   */
  private aggregate(first: Token): void {
    const aggregates: Named[] = [];
    do {
      if (aggregates.length) this.next();
      const t = this.peek();
      if (t.kind !== 'name' || !sumoOperator(t.value)?.aggregate)
        throw this.unexpected(t, 'an aggregate function (count, sum, avg, min, max, pct, count_distinct)');
      this.next();
      const lower = t.value.toLowerCase();
      const call: Extract<Expr, { kind: 'call' }> = this.isOp('(')
        ? this.call(t)
        : { kind: 'call', name: lower, args: [], span: t.span, nameSpan: t.span };
      if (lower === 'count' && call.args.length === 0) call.star = true;
      // pct(x, 75, 95) is pct(x, 75) and pct(x, 95).
      const calls =
        lower === 'pct' && call.args.length > 2
          ? call.args.slice(1).map((p) => ({ ...call, args: [call.args[0]!, p] }))
          : [call];
      let alias: Token | null = null;
      if (this.isKeyword('as')) {
        this.next();
        alias = this.name('a name after `as`');
      }
      for (const c of calls)
        aggregates.push({
          expr: { ...c, name: aggregateFunction(lower) },
          name: alias?.value ?? defaultAggregateName(lower, c, this.source),
          span: alias ? this.span(call.span, alias.span) : call.span,
        });
    } while (this.isOp(','));
    const groupBy: Named[] = [];
    const bare =
      aggregates.length === 1 &&
      first.value.toLowerCase() === 'count' &&
      this.isNameNext() &&
      !this.isKeyword('group') &&
      !this.isKeyword('by');
    if (bare || this.isKeyword('group') || this.isKeyword('by')) {
      if (!bare && this.next().value.toLowerCase() === 'group') this.expectKeyword('by');
      do {
        if (groupBy.length) this.next();
        const start = this.lexer.offset;
        const expr = this.expr();
        groupBy.push({
          expr,
          name: writtenName(this.text.slice(start, expr.span.offset + expr.span.length)),
          span: expr.span,
        });
      } while (this.isOp(','));
    }
    const last = groupBy.at(-1)?.span ?? aggregates.at(-1)!.span;
    this.define(
      { kind: 'stats', aggregates, groupBy, span: this.span(first.span, last) },
      [...groupBy, ...aggregates].map((n) => n.name),
    );
  }

  private sort(t: Token): void {
    if (this.isKeyword('by')) this.next();
    const keys: Extract<Stage, { kind: 'sort' }>['keys'] = [];
    do {
      if (keys.length) this.next();
      // `sort by +field` is ascending, as `asc` after it.
      const plus = this.isOp('+') ? this.next() : null;
      const key = this.sortKey(!plus);
      keys.push(plus ? { ...key, span: this.span(plus.span, key.span) } : key);
    } while (this.isOp(','));
    this.stages.push({ kind: 'sort', keys, span: this.span(t.span, keys.at(-1)!.span) });
  }

  /**
   * `top N a, b [by v]`: without `by` (or `by count`), the N most frequent combinations of a, b with their
   * `_count`; with `by v`, the N rows (records, or the groups of an aggregate before it) with the largest
   * v, showing a, b and v. N is 10 unless written.
   */
  private top(t: Token): void {
    const n = this.peek().kind === 'number' ? this.wholeNumber('a whole number') : null;
    const count = n ? Number(n.value) : 10;
    const groupBy: Named[] = [];
    do {
      if (groupBy.length) this.next();
      const f = this.name();
      groupBy.push({ expr: this.fieldRef(f), name: f.value, span: f.span });
    } while (this.isOp(','));
    const by = this.isKeyword('by') ? (this.next(), this.name('a field to rank by')) : null;
    const span = this.span(t.span, by?.span ?? groupBy.at(-1)!.span);
    let value: Named;
    if (by === null || by.value.toLowerCase() === 'count') {
      value = {
        expr: { kind: 'call', name: 'count', args: [], star: true, span, nameSpan: t.span },
        name: '_count',
        span,
      };
      this.define({ kind: 'stats', aggregates: [value], groupBy, span }, [...groupBy.map((g) => g.name), '_count']);
    } else {
      value = { expr: this.fieldRef(by), name: by.value, span: by.span };
      this.stages.push({ kind: 'fields', items: [...groupBy, value], select: true, replace: true, span });
    }
    this.stages.push({
      kind: 'sort',
      keys: [{ expr: { kind: 'field', name: value.name, span }, descending: true, span }],
      span,
    });
    this.stages.push({ kind: 'limit', count, span });
  }

  /**
   * `count_frequent a, b` (Sumo's documented aggregate): each combination's count in `_approxcount`, most
   * frequent first, the 10,000 most frequent. Sumo's count is an estimate that may only be over; this one is
   * exact, which the estimate stands for.
   */
  private countFrequent(t: Token): void {
    const groupBy: Named[] = [];
    do {
      if (groupBy.length) this.next();
      const f = this.name('a field to count the values of');
      groupBy.push({ expr: this.fieldRef(f), name: f.value, span: f.span });
    } while (this.isOp(','));
    const span = this.span(t.span, groupBy.at(-1)!.span);
    const count: Named = {
      expr: { kind: 'call', name: 'count', args: [], star: true, span, nameSpan: t.span },
      name: '_approxcount',
      span,
    };
    this.define({ kind: 'stats', aggregates: [count], groupBy, span }, [...groupBy.map((g) => g.name), '_approxcount']);
    this.stages.push({
      kind: 'sort',
      keys: [{ expr: { kind: 'field', name: '_approxcount', span }, descending: true, span }],
      span,
    });
    this.stages.push({ kind: 'limit', count: 10_000, span });
  }

  /** `topk(N, f, …) [by g, …]` (Sumo's documented form: the count first, then the fields to rank by). */
  private topk(t: Token): void {
    this.expectOp('(', '`(` and the number of rows, such as topk(10, _count)');
    const n = this.wholeNumber('the number of rows to keep, 1 or more');
    if (Number(n.value) < 1) throw new QueryProblem('`topk` keeps 1 or more rows.', n.span);
    const keys: Name[] = [];
    while (this.isOp(',')) {
      this.next();
      const f = this.name('a field to rank by');
      keys.push({ name: this.fieldName(f.value), span: f.span });
    }
    if (keys.length === 0) throw this.unexpected(this.peek(), '`,` and a field to rank by, such as topk(10, _count)');
    const close = this.expectOp(')', '`)` after the fields to rank by');
    const by: Name[] = [];
    if (this.isKeyword('by')) {
      do {
        this.next();
        const g = this.name('a field to group by');
        by.push({ name: this.fieldName(g.value), span: g.span });
      } while (this.isOp(','));
    }
    const span = this.span(t.span, by.at(-1)?.span ?? close.span);
    this.define({ kind: 'topk', count: Number(n.value), keys, by, span }, ['_rank']);
  }

  /** `fields a, b` shows only those; `fields - a, b` all but those. */
  private fields(t: Token): void {
    const drop = this.isOp('-');
    if (drop) this.next();
    const items: Named[] = [];
    do {
      if (items.length) this.next();
      const f = this.name();
      items.push({ expr: this.fieldRef(f), name: f.value, span: f.span });
    } while (this.isOp(','));
    const span = this.span(t.span, items.at(-1)!.span);
    if (drop) this.stages.push({ kind: 'drop', names: items.map((i) => ({ name: i.name, span: i.span })), span });
    else this.stages.push({ kind: 'fields', items, select: true, replace: true, span });
  }

  /**
   * `timeslice 5m`, `timeslice 150 buckets`, or a bare `timeslice` (one slice: the query's time range), each
   * `[as name]`; the slice's start is `_timeslice` unless named, its end `__timeslice_end` (see `fieldRef`).
   */
  private timeslice(t: Token): void {
    if (this.isKeyword('by')) this.next();
    const d = this.peek();
    let args: Expr[] = [];
    let end = t.span;
    if (d.kind === 'duration') {
      this.next();
      args = [{ kind: 'duration', ms: d.ms!, text: d.value, span: d.span }];
      end = d.span;
    } else if (d.kind === 'number') {
      const n = this.wholeNumber('a whole number of buckets');
      if (Number(n.value) < 1) throw new QueryProblem('`timeslice` makes 1 bucket or more.', n.span);
      end = this.expectKeyword('buckets', 'for example: timeslice 150 buckets').span;
      args = [{ kind: 'number', value: Number(n.value), text: n.value, span: n.span }];
    }
    this.sliceMs = d.kind === 'duration' ? d.ms! : null;
    const expr: Expr = { kind: 'call', name: 'timeslice', args, span: this.span(t.span, end), nameSpan: t.span };
    this.sliceEnd = { ...expr, name: 'timesliceEnd' };
    let name = '_timeslice';
    if (this.isKeyword('as')) {
      this.next();
      // The reference's own example names it `2hrs`, which reads as a time span.
      const n = this.peek();
      const written = this.source.slice(n.span);
      if (!this.isNameNext() && !((n.kind === 'duration' || n.kind === 'number') && /^\w+$/.test(written)))
        throw this.unexpected(n, 'a name after `as`');
      this.next();
      name = n.kind === 'name' || n.kind === 'quoted-name' ? n.value : written;
      end = n.span;
    }
    this.defineField(expr, name, this.span(t.span, end));
  }

  /**
   * `lookup a [as x], b from <table> on key=field, …` over a built-in table (see lookup-tables.ts). As in
   * Sumo, an `on` pair may write the table's key on either side, and `on name` alone joins the field of the
   * key's own name.
   */
  private lookup(t: Token): void {
    const columns: { column: Token; alias: Token }[] = [];
    do {
      if (columns.length) this.next();
      const column = this.name('a column of the lookup table');
      if (this.isKeyword('as')) this.next();
      columns.push({
        column,
        alias: this.isKeyword('from') || this.isOp(',') || !this.isNameNext() ? column : this.name(),
      });
    } while (this.isOp(','));
    const from = this.expectKeyword('from', 'lookup name from protocols on protocol=Protocol');
    const after = from.span.offset + from.span.length;
    const written = this.tablePaths.find((p) => p.offset >= after && p.offset < this.lexer.offset);
    if (!written)
      throw this.unexpected(this.peek(), 'the table to look up in', 'lookup name from protocols on protocol=Protocol');
    const table = resolveLookupTable(written.path, this.source.span(written.offset, written.path.length));
    const example = `on ${table.keys.map((k) => `${k}=field`).join(', ')}`;
    const on = this.expectKeyword('on', example);
    const keys = new Map<string, Expr>();
    let last: SourceSpan;
    let pairs = 0;
    do {
      if (pairs++) this.next();
      const left = this.name('a key column of the lookup table');
      let right = left;
      if (this.isOp('=')) {
        this.next();
        right = this.name('a field');
      }
      last = right.span;
      const leftKey = keyColumn(table, left.value);
      const [key, field] = leftKey ? [leftKey, right] : [keyColumn(table, right.value), left];
      if (!key)
        throw new QueryProblem(
          `\`${this.source.slice(this.span(left.span, right.span))}\` names no key column of ${table.title}.`,
          this.span(left.span, right.span),
          `it is looked up on ${table.keys.join(', ')}: ${example}`,
        );
      keys.set(key.toLowerCase(), this.fieldRef(field));
    } while (this.isOp(','));
    const missing = table.keys.filter((k) => !keys.has(k.toLowerCase()));
    if (missing.length)
      throw new QueryProblem(
        `\`${missing.join('`, `')}\` is not given: ${table.title} is looked up on ${table.keys.join(', ')}.`,
        this.span(on.span, last),
        example,
      );
    const items: Named[] = columns.map(({ column, alias }) => ({
      expr: lookupColumn(table, column.value, column.span).value((k) => keys.get(k)!, column.span),
      name: alias.value,
      span: column.span,
    }));
    this.define(
      { kind: 'fields', items, select: false, span: this.span(t.span, last) },
      items.map((i) => i.name),
    );
  }

  /**
   * `dedup [consecutive] [n] [by a, b]`: the latest n records (1 unless given) of each combination of the
   * fields, or with `consecutive` of each run of them in a row; without fields, of each whole record line,
   * as the dedup page says (`| dedup` is `| dedup by _raw`).
   */
  private dedup(t: Token): void {
    let end = t.span;
    const consecutive = this.isKeyword('consecutive');
    if (consecutive) end = this.next().span;
    let keep = 1;
    const n = this.peek();
    if (n.kind === 'number') {
      keep = Number(n.value);
      if (!Number.isInteger(keep) || keep < 1)
        throw new QueryProblem(`\`${n.value}\` must be a whole number above 0.`, n.span);
      end = this.next().span;
    }
    const keys: Expr[] = [];
    if (this.isKeyword('by')) {
      this.next();
      do {
        if (keys.length) this.next();
        keys.push(this.fieldRef(this.name('a field')));
      } while (this.isOp(','));
      end = keys.at(-1)!.span;
    } else keys.push({ kind: 'field', name: '@message', span: t.span });
    this.stages.push({
      kind: 'dedup',
      keys,
      keep,
      ...(consecutive ? { consecutive } : {}),
      span: this.span(t.span, end),
    });
  }

  /**
   * `geoip src_ip`, `threatip src_ip`: Sumo's older operators for what `lookup … from geo://location` and
   * `sumo://threat/cs` answer, adding the fields Sumo documents for them, read from the same tables.
   */
  private addressOperator(t: Token, operator: AddressOperator): void {
    const field = this.name('the field that holds the address');
    const table = resolveLookupTable(operator.path, t.span);
    const key = this.fieldRef(field);
    const items: Named[] = operator.fields.map(([name, column]) => ({
      expr: lookupColumn(table, column, t.span).value(() => key, field.span),
      name,
      span: field.span,
    }));
    this.define(
      { kind: 'fields', items, select: false, span: this.span(t.span, field.span) },
      items.map((i) => i.name),
    );
  }

  // --- expressions ----------------------------------------------------------------------------------

  /** `condition ? a : b`, Sumo's other spelling of `if(condition, a, b)`, which binds loosest of all. */
  override expr(): Expr {
    const condition = super.expr();
    if (!this.isOp('?')) return condition;
    const mark = this.next();
    const then = this.expr();
    this.expectOp(':', '`:` and the value when the condition is false');
    const otherwise = this.expr();
    return {
      kind: 'call',
      name: 'if',
      args: [condition, then, otherwise],
      span: this.span(condition.span, otherwise.span),
      nameSpan: mark.span,
    };
  }

  /** `replace(x, /re/, y)`: Sumo's regex form, where a `/` starts the regular expression (see `replace.ts`). */
  protected override argument(name: Token, index: number): Expr {
    if (index !== 1 || !this.isOp('/') || name.value.toLowerCase() !== 'replace') return super.argument(name, index);
    const re = this.lexer.regex();
    return { kind: 'string', value: re.flags ? `(?i)${re.value}` : re.value, regex: true, span: re.span };
  }

  protected comparisonRest(left: Expr): Expr {
    let negated = false;
    if (this.isKeyword('not')) {
      negated = true;
      this.next();
    }
    if (this.isKeyword('matches')) {
      this.next();
      if (this.isOp('/')) {
        const re = this.lexer.regex();
        // Like the wildcard form, a regex must match the whole text.
        return {
          kind: 'regex',
          operand: left,
          pattern: `^(?:${re.value})$`,
          caseInsensitive: re.flags === 'i',
          negated,
          span: this.span(left.span, re.span),
        };
      }
      // The pattern is a quoted text or a field that holds one (`host matches instance_match`).
      const p = this.peek();
      if (p.kind !== 'string' && !this.isNameNext())
        throw this.unexpected(p, 'a quoted pattern such as "10.0.*", a field or a /regex/');
      this.next();
      const pattern: Expr = p.kind === 'string' ? { kind: 'string', value: p.value, span: p.span } : this.fieldRef(p);
      return { kind: 'like', operand: left, pattern, mode: 'glob', negated, span: this.span(left.span, p.span) };
    }
    if (this.isKeyword('in')) {
      this.next();
      return this.inList(left, negated, '(', ')', false);
    }
    if (negated) throw this.unexpected(this.peek(), '`matches` or `in` after `not`');
    return left;
  }
}

interface TablePath {
  offset: number;
  path: string;
}

/** A path runs to the next blank, but a quoted part (`path://"/Library/a b"`) may hold blanks. */
const LOOKUP_PATH = /^(\s*lookup\b[^]*?\bfrom\s+)((?:[^\s"|]*"[^"]*")+[^\s"|]*|[^\s|]+)/i;

/** Where each pipe segment that is a `lookup` names its table. */
function lookupPaths(text: string): TablePath[] {
  const bounds = [...pipeOffsets(text, true), text.length];
  return bounds.slice(0, -1).flatMap((pipe, i) => {
    const m = LOOKUP_PATH.exec(text.slice(pipe + 1, bounds[i + 1]));
    return m ? [{ offset: pipe + 1 + m[1]!.length, path: m[2]! }] : [];
  });
}

/** The text with these parts turned to blanks (line breaks kept, so positions stay true). */
function blank(text: string, parts: readonly TablePath[]): string {
  let out = text;
  for (const { offset, path } of parts)
    out = out.slice(0, offset) + path.replace(/[^\n]/g, ' ') + out.slice(offset + path.length);
  return out;
}

/**
 * The registry's name for a Sumo aggregate. Sumo lists records newest first, so `first` is the most
 * recent value and `last` the oldest.
 */
function aggregateFunction(lower: string): string {
  return lower === 'first' || lower === 'most_recent'
    ? 'latest'
    : lower === 'last' || lower === 'least_recent'
      ? 'earliest'
      : lower;
}

/** Sumo's casts, which without `as` replace the field they convert (`num(duration) | sort by duration`). */
const CASTS = new Set(['num', 'number', 'tolong']);

/** The field a cast of one field converts in place, if `expr` is one. */
function castInPlace(expr: Expr): Expr | null {
  if (expr.kind !== 'call' || !CASTS.has(expr.name.toLowerCase()) || expr.args.length !== 1) return null;
  const [field] = expr.args;
  return field?.kind === 'field' ? field : null;
}

/** A name as written, without `%"…"` or backquotes around it. */
function writtenName(text: string): string {
  const t = text.trim();
  const quoted = /^%?"(.*)"$/.exec(t) ?? /^`(.*)`$/.exec(t);
  return quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : t;
}

/** Sumo's result name of an unaliased aggregate: `_count`, `_sum`, `_<field>_pct_<n>`. */
function defaultAggregateName(lower: string, call: Extract<Expr, { kind: 'call' }>, source: SourceText): string {
  if (lower === 'pct') {
    const [field, p] = call.args;
    return `_${field ? source.slice(field.span).trim() : 'value'}_pct_${p?.kind === 'number' ? p.text : ''}`;
  }
  return `_${lower}`;
}

/** What to suggest for a word that is no operator: the closest one, else the list. */
function unknownOperatorHint(word: string): string {
  // Insights text pasted with Sumo chosen (`… | stats count(*) by action`): the language is the mistake.
  if (INSIGHTS_COMMAND_NAMES.has(word.toLowerCase()))
    return `\`${word}\` is a CloudWatch Logs Insights command: choose Logs Insights to run the query as Insights`;
  const names = RUNNING_OPERATORS.map((o) => o.name);
  return didYouMean(word, names) ?? `operators: ${names.join(', ')}`;
}

export function parseSumo(text: string): Plan {
  return new SumoParser(text).parse();
}
