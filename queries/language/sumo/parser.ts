/**
 * The Sumo Logic parser: query text → plan. A query is a scope (search terms before the first `|`) and
 * pipe operators.
 *
 * What the workspace already did is accepted as a no-op: the scope metadata (`_sourceCategory=…`,
 * `_source=…`, `_collector=…`), the envelope keywords of the CloudWatch forwarding format (`message`,
 * `logStream`, `logGroup`) and `json` of those keys. Every other bare scope term is a full-text term on the
 * record's text (`@message`), case-insensitive as in Sumo. `parse` with the 14-star pattern binds its
 * names to the default-format fields in order, whatever the storage, so nothing is re-parsed from text.
 * Field names a Sumo field-extraction rule gives flow logs (`src_ip`, `dest_port`, `Action`, …) resolve
 * even without a `parse`. Aggregates are named the Sumo way (`_count`, `_sum`, `_<field>_pct_<n>`) and
 * `sort` is descending unless `asc` is written.
 *
 * Operators that need Sumo Logic's cloud (threat intelligence, geolocation, ASN lookups) or that Flowscope
 * does not implement fail with an error naming the operator and why.
 */
import { DEFAULT_FORMAT, fieldByAwsName } from '../../catalog/fields';
import { ExpressionParser, globToRegex, namedGroups } from '../expression-parser';
import { expandIpv6, parseIpv4 } from '../../catalog/ip';
import { pipeOffsets } from './detect';
import { CLOUD_SERVICE_REASONS, keyColumn, lookupColumn, resolveLookupTable } from './lookup-tables';
import type { Token } from '../lexer';
import type { Expr, Named, Plan, SourceSpan, Stage } from '../plan';
import { QueryProblem, SourceText, didYouMean } from '../source';

export const SUMO_OPERATORS: Record<string, { syntax: string; doc: string }> = {
  where: { syntax: 'where condition', doc: 'Keep the records for which the condition is true' },
  json: {
    syntax: 'json "message", "logStream", "logGroup"',
    doc: 'Accepted for the CloudWatch envelope keys (the workspace holds the flow records already)',
  },
  parse: {
    syntax: 'parse [field=f] "* * …" as a, b [nodrop] | parse regex "(?<name>…)"',
    doc: 'Extract fields from text; the 14-star flow-log pattern binds the default-format fields',
  },
  count: { syntax: 'count [as name] [by field, …]', doc: 'Number of records, in _count' },
  count_distinct: { syntax: 'count_distinct(field) [by …]', doc: 'Number of distinct values, in _count_distinct' },
  sum: { syntax: 'sum(field) [as name] [by|group by field, …]', doc: 'Sum, in _sum' },
  avg: { syntax: 'avg(field) [by …]', doc: 'Average, in _avg' },
  min: { syntax: 'min(field) [by …]', doc: 'Smallest value, in _min' },
  max: { syntax: 'max(field) [by …]', doc: 'Largest value, in _max' },
  pct: { syntax: 'pct(field, 95) [by …]', doc: 'Percentile, in _<field>_pct_<n>' },
  stddev: { syntax: 'stddev(field) [by …]', doc: 'Standard deviation, in _stddev' },
  sort: { syntax: 'sort [by] field [asc|desc], …', doc: 'Order the results (descending unless asc)' },
  order: { syntax: 'order by field [asc|desc], …', doc: 'Same as sort' },
  top: { syntax: 'top N field[, field] [by value]', doc: 'The N most frequent values (or largest sums of value)' },
  limit: { syntax: 'limit N', doc: 'Keep the first N results' },
  fields: { syntax: 'fields a, b, …', doc: 'Show only these fields' },
  timeslice: { syntax: 'timeslice 5m [as name]', doc: 'Adds _timeslice: the record time rounded down to the period' },
  lookup: {
    syntax:
      'lookup name from protocols on protocol=Protocol | lookup Keyword from https://s3.amazonaws.com/sumologic-app-data/protocol-numbers.csv on Decimal=Protocol',
    doc: "Add columns from the built-in protocol and service tables, also under the addresses of Sumo Logic's published protocol-numbers.csv and port-numbers.csv (read offline)",
  },
  if: { syntax: 'if(condition, then, else) as name', doc: 'Compute a field' },
};

/** Operators Flowscope recognizes but cannot run, with the reason. */
const UNSUPPORTED: Record<string, string> = {
  geoip: CLOUD_SERVICE_REASONS.geo,
  threatip: CLOUD_SERVICE_REASONS.threat,
  threatlookup: CLOUD_SERVICE_REASONS.threat,
  asn: CLOUD_SERVICE_REASONS.asn,
  transpose:
    "Flowscope draws one series per value of a column instead: drop `transpose` and set the chart's series to that column",
  outlier: 'Flowscope does not compute outlier bands',
  predict: 'Flowscope does not forecast',
  compare: 'Flowscope does not compare with time-shifted copies of a query',
  save: 'results cannot be written from a query',
  fillmissing: 'Flowscope does not fill gaps in results',
  join: 'Flowscope does not join result sets in the Sumo dialect (use SQL)',
  subquery: 'Flowscope does not run subqueries in the Sumo dialect (use SQL)',
  logreduce: "it needs Sumo Logic's pattern clustering",
  logcompare: "it needs Sumo Logic's pattern clustering",
};

const AGGREGATES = new Set([
  'count',
  'count_distinct',
  'sum',
  'avg',
  'min',
  'max',
  'pct',
  'stddev',
  'first',
  'last',
  'most_recent',
  'least_recent',
]);
const SCOPE_METADATA =
  /^_(sourcecategory|source|collector|sourcehost|sourcename|index|view|datatier|sourceid|collectorid)$/i;
const ENVELOPE_KEYS: Record<string, string> = {
  message: '@message',
  logstream: '@logStream',
  loggroup: '',
  direction: '',
};
const RESERVED = new Set(['and', 'or', 'not', 'in', 'matches', 'as', 'by', 'asc', 'desc', 'nodrop']);

/** Field names of Sumo's built-ins and of the field-extraction rule the Sumo VPC app documents. */
const FIELD_ALIASES: Record<string, string> = {
  _raw: '@message',
  _messagetime: '@timestamp',
  _receipttime: '@timestamp',
  interfaceid: 'interface_id',
  accountid: 'account_id',
  src_ip: 'srcaddr',
  dest_ip: 'dstaddr',
  dst_ip: 'dstaddr',
  src_port: 'srcport',
  dest_port: 'dstport',
  dst_port: 'dstport',
  status: 'log_status',
  startsample: 'start',
  endsample: 'end',
};

/** Words of the record text that are whole values of one field: `REJECT` can only be an action. */
const KNOWN_VALUES: Record<string, string> = {
  ACCEPT: 'action',
  REJECT: 'action',
  OK: 'log_status',
  NODATA: 'log_status',
  SKIPDATA: 'log_status',
};

/** The column each of the 14 default-format positions binds to. */
const DEFAULT_COLUMNS = DEFAULT_FORMAT.map((aws) => fieldByAwsName(aws)!.column);

export class SumoParser extends ExpressionParser {
  readonly stages: Stage[] = [];
  /** Names stages defined (lower case): these shadow the aliases. */
  private readonly defined = new Set<string>();
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
    });
    this.tablePaths = paths;
    this.scope(text.slice(0, pipe));
  }

  parse(): Plan {
    while (this.isOp('|')) {
      this.next();
      this.operator();
    }
    const t = this.peek();
    if (t.kind !== 'eof')
      throw new QueryProblem(`Unexpected \`${this.source.slice(t.span)}\`.`, t.span, 'separate operators with `|`');
    return { dialect: 'sumo', stages: this.stages };
  }

  private get source(): SourceText {
    return this.lexer.source;
  }

  // --- scope ----------------------------------------------------------------------------------------

  private scope(scope: string): void {
    const terms: { text: string; span: SourceSpan }[] = [];
    const re = /[^\s()"]*"(?:[^"\\]|\\.)*"|[^\s()]+/g;
    for (let m = re.exec(scope); m; m = re.exec(scope))
      terms.push({ text: m[0], span: this.source.span(m.index, m[0].length) });
    // `key = value` written with blanks is one term.
    for (let i = 0; i + 2 < terms.length; i++) {
      if (terms[i + 1]!.text === '=')
        terms.splice(i, 3, {
          text: `${terms[i]!.text}=${terms[i + 2]!.text}`,
          span: this.source.join(terms[i]!.span, terms[i + 2]!.span),
        });
    }
    let pending: Expr | null = null;
    let negate = false;
    let or = false;
    for (const term of terms) {
      const lower = term.text.toLowerCase();
      if (lower === 'and') continue;
      if (lower === 'not') {
        negate = !negate;
        continue;
      }
      if (lower === 'or') {
        or = true;
        continue;
      }
      let cond = this.scopeTerm(term.text, term.span);
      if (cond === null) continue;
      if (negate) cond = { kind: 'not', operand: cond, span: term.span };
      negate = false;
      pending =
        pending === null
          ? cond
          : {
              kind: 'binary',
              op: or ? 'or' : 'and',
              left: pending,
              right: cond,
              span: this.source.join(pending.span, cond.span),
            };
      or = false;
    }
    if (pending) this.stages.push({ kind: 'filter', where: pending, span: pending.span });
  }

  /** One scope term as a condition, or null when it is a no-op. */
  private scopeTerm(term: string, span: SourceSpan): Expr | null {
    const eq = term.indexOf('=');
    if (eq > 0 && !term.startsWith('"')) {
      const key = term.slice(0, eq);
      const value = unquote(term.slice(eq + 1));
      if (SCOPE_METADATA.test(key)) return null;
      const field: Expr = { kind: 'field', name: this.fieldName(key), span: this.source.span(span.offset, key.length) };
      const valueExpr: Expr = { kind: 'string', value, span };
      return value.includes('*')
        ? {
            kind: 'like',
            operand: field,
            pattern: valueExpr,
            mode: 'glob',
            negated: false,
            caseInsensitive: true,
            span,
          }
        : { kind: 'binary', op: '=', left: field, right: valueExpr, span };
    }
    const value = unquote(term);
    if (value === '*' || Object.hasOwn(ENVELOPE_KEYS, value.toLowerCase())) return null;
    // A term that can only be one field's whole value is tested on that field, not on the record text.
    const known = KNOWN_VALUES[value.toUpperCase()];
    if (known)
      return {
        kind: 'binary',
        op: '=',
        left: { kind: 'field', name: known, span },
        right: { kind: 'string', value: value.toUpperCase(), span },
        span,
      };
    // Sumo matches whole words: an address is one of the record's two addresses, an ENI its interface.
    const equals = (name: string, text: string): Expr => ({
      kind: 'binary',
      op: '=',
      left: { kind: 'field', name, span },
      right: { kind: 'string', value: text, span },
      span,
    });
    if (parseIpv4(value) !== undefined || expandIpv6(value) !== undefined) {
      return {
        kind: 'binary',
        op: 'or',
        left: equals('srcaddr', value.toLowerCase()),
        right: equals('dstaddr', value.toLowerCase()),
        span,
      };
    }
    if (/^eni-[0-9a-f]+$/i.test(value)) return equals('interface_id', value.toLowerCase());
    const message: Expr = { kind: 'field', name: '@message', span };
    const pattern: Expr = { kind: 'string', value: value.includes('*') ? `*${value}*` : value, span };
    return {
      kind: 'like',
      operand: message,
      pattern,
      mode: value.includes('*') ? 'glob' : 'substring',
      negated: false,
      caseInsensitive: true,
      span,
    };
  }

  // --- tokens ---------------------------------------------------------------------------------------

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
    return FIELD_ALIASES[lower] ?? written;
  }

  protected override fieldRef(t: Token): Expr {
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
    if (Object.hasOwn(UNSUPPORTED, op)) {
      throw new QueryProblem(`The \`${t.value}\` operator is not supported: ${UNSUPPORTED[op]}.`, t.span);
    }
    if (AGGREGATES.has(op)) return this.aggregate(t);
    switch (op) {
      case 'where':
        this.next();
        return this.where(t);
      case 'json':
        this.next();
        return this.json(t);
      case 'parse':
        this.next();
        return this.parseOperator(t);
      case 'sort':
      case 'order':
        this.next();
        return this.sort(t);
      case 'top':
        this.next();
        return this.top(t);
      case 'limit':
      case 'head': {
        this.next();
        const n = this.wholeNumber('a whole number');
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
      default:
        return this.assignment(t);
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
      if (t.kind === 'name' && err instanceof QueryProblem && !this.isKeyword('as')) {
        throw new QueryProblem(
          `Unknown operator \`${t.value}\`.`,
          t.span,
          didYouMean(t.value, Object.keys(SUMO_OPERATORS)) ?? `operators: ${Object.keys(SUMO_OPERATORS).join(', ')}`,
        );
      }
      throw err;
    }
    if (!this.isKeyword('as')) {
      if (t.kind === 'name' && expr.kind === 'field') {
        throw new QueryProblem(
          `Unknown operator \`${t.value}\`.`,
          t.span,
          didYouMean(t.value, Object.keys(SUMO_OPERATORS)) ?? `operators: ${Object.keys(SUMO_OPERATORS).join(', ')}`,
        );
      }
      throw this.unexpected(
        this.peek(),
        '`as` and a name for the computed field',
        `for example: ${this.text.slice(start, expr.span.offset + expr.span.length)} as name`,
      );
    }
    this.next();
    const n = this.name('a name after `as`');
    this.define(
      {
        kind: 'fields',
        items: [{ expr, name: n.value, span: this.span(expr.span, n.span) }],
        select: false,
        span: this.span(expr.span, n.span),
      },
      [n.value],
    );
  }

  private json(t: Token): void {
    this.fieldOption();
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
    this.nodrop();
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

  private parseOperator(t: Token): void {
    const isRegex = this.isKeyword('regex');
    if (isRegex) this.next();
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
      const nodrop = this.nodrop();
      return this.extract(t, source, regex, names, nodrop);
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
        { kind: 'fields', items, select: false, span: this.span(t.span, names.at(-1)!.span) },
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
  ): void {
    const span = this.span(t.span, names.at(-1)!.span);
    this.define(
      { kind: 'parse', source, regex, names, span },
      names.map((n) => n.name),
    );
    if (!nodrop) {
      // Sumo drops the records a parse does not match, unless `nodrop`.
      const first = names[0]!;
      const present: Expr = {
        kind: 'call',
        name: 'isNull',
        args: [{ kind: 'field', name: first.name, span: first.span }],
        span,
        nameSpan: first.span,
      };
      this.stages.push({ kind: 'filter', where: { kind: 'not', operand: present, span }, span });
    }
  }

  private aggregate(first: Token): void {
    const aggregates: Named[] = [];
    do {
      if (aggregates.length) this.next();
      const t = this.peek();
      if (t.kind !== 'name' || !AGGREGATES.has(t.value.toLowerCase()))
        throw this.unexpected(t, 'an aggregate function (count, sum, avg, min, max, pct, count_distinct)');
      this.next();
      const lower = t.value.toLowerCase();
      const call: Extract<Expr, { kind: 'call' }> = this.isOp('(')
        ? this.call(t)
        : { kind: 'call', name: lower, args: [], span: t.span, nameSpan: t.span };
      if (lower === 'count' && call.args.length === 0) call.star = true;
      let name = defaultAggregateName(lower, call, this.source);
      let span = call.span;
      if (this.isKeyword('as')) {
        this.next();
        const n = this.name('a name after `as`');
        name = n.value;
        span = this.span(call.span, n.span);
      }
      aggregates.push({ expr: { ...call, name: aggregateFunction(lower) }, name, span });
    } while (this.isOp(','));
    const groupBy: Named[] = [];
    if (this.isKeyword('group') || this.isKeyword('by')) {
      if (this.next().value.toLowerCase() === 'group') this.expectKeyword('by');
      do {
        if (groupBy.length) this.next();
        const start = this.lexer.offset;
        const expr = this.expr();
        groupBy.push({
          expr,
          name: this.text.slice(start, expr.span.offset + expr.span.length).trim(),
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
      keys.push(this.sortKey(true));
    } while (this.isOp(','));
    this.stages.push({ kind: 'sort', keys, span: this.span(t.span, keys.at(-1)!.span) });
  }

  /**
   * `top N a, b [by v]`: the N largest groups of a, b by record count (or by the sum of v). Right after an
   * aggregate, `by v` names one of its columns and the N rows with the largest v are kept.
   */
  private top(t: Token): void {
    const n = this.peek().kind === 'number' ? this.wholeNumber('a whole number') : null;
    const groupBy: Named[] = [];
    do {
      if (groupBy.length) this.next();
      const f = this.name();
      groupBy.push({ expr: this.fieldRef(f), name: f.value, span: f.span });
    } while (this.isOp(','));
    let value: Named;
    if (this.isKeyword('by')) {
      this.next();
      const v = this.name('a field to add up');
      if (this.stages.at(-1)?.kind === 'stats') {
        // After an aggregate (`count by x | top 10 x by _count`) the rows are there: keep the largest N.
        const span = this.span(t.span, v.span);
        this.stages.push({ kind: 'sort', keys: [{ expr: this.fieldRef(v), descending: true, span }], span });
        this.stages.push({ kind: 'limit', count: n ? Number(n.value) : 10, span });
        return;
      }
      const sum: Expr = { kind: 'call', name: 'sum', args: [this.fieldRef(v)], span: v.span, nameSpan: v.span };
      value = { expr: sum, name: '_sum', span: v.span };
    } else {
      value = {
        expr: { kind: 'call', name: 'count', args: [], star: true, span: t.span, nameSpan: t.span },
        name: '_count',
        span: t.span,
      };
    }
    const span = this.span(t.span, value.span.offset > groupBy.at(-1)!.span.offset ? value.span : groupBy.at(-1)!.span);
    this.define({ kind: 'stats', aggregates: [value], groupBy, span }, [...groupBy.map((g) => g.name), value.name]);
    this.stages.push({
      kind: 'sort',
      keys: [{ expr: { kind: 'field', name: value.name, span }, descending: true, span }],
      span,
    });
    this.stages.push({ kind: 'limit', count: n ? Number(n.value) : 10, span });
  }

  private fields(t: Token): void {
    if (this.isOp('-')) {
      const minus = this.next();
      throw new QueryProblem(
        '`fields -` (leaving fields out) is not supported.',
        this.span(t.span, minus.span),
        'list the fields to keep: fields a, b',
      );
    }
    const items: Named[] = [];
    do {
      if (items.length) this.next();
      const f = this.name();
      items.push({ expr: this.fieldRef(f), name: f.value, span: f.span });
    } while (this.isOp(','));
    this.stages.push({
      kind: 'fields',
      items,
      select: true,
      replace: true,
      span: this.span(t.span, items.at(-1)!.span),
    });
  }

  private timeslice(t: Token): void {
    if (this.isKeyword('by')) this.next();
    const d = this.peek();
    if (d.kind !== 'duration')
      throw this.unexpected(d, 'a time span such as 1m, 5m or 1h', 'for example: timeslice 5m');
    this.next();
    let name = '_timeslice';
    let end = d.span;
    if (this.isKeyword('as')) {
      this.next();
      const n = this.name('a name after `as`');
      name = n.value;
      end = n.span;
    }
    const expr: Expr = {
      kind: 'call',
      name: 'timeslice',
      args: [{ kind: 'duration', ms: d.ms!, text: d.value, span: d.span }],
      span: this.span(t.span, d.span),
      nameSpan: t.span,
    };
    this.define(
      {
        kind: 'fields',
        items: [{ expr, name, span: this.span(t.span, end) }],
        select: false,
        span: this.span(t.span, end),
      },
      [name],
    );
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

  // --- expressions ----------------------------------------------------------------------------------

  protected comparisonRest(left: Expr): Expr {
    let negated = false;
    if (this.isKeyword('not')) {
      negated = true;
      this.next();
    }
    if (this.isKeyword('matches')) {
      this.next();
      const p = this.peek();
      if (p.kind !== 'string') throw this.unexpected(p, 'a quoted pattern such as "10.0.*"');
      this.next();
      const pattern: Expr = { kind: 'string', value: p.value, span: p.span };
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

/** The registry's name for a Sumo aggregate. */
function aggregateFunction(lower: string): string {
  return lower === 'first' || lower === 'least_recent'
    ? 'earliest'
    : lower === 'last' || lower === 'most_recent'
      ? 'latest'
      : lower;
}

/** Sumo's result name of an unaliased aggregate: `_count`, `_sum`, `_<field>_pct_<n>`. */
function defaultAggregateName(lower: string, call: Extract<Expr, { kind: 'call' }>, source: SourceText): string {
  if (lower === 'pct') {
    const [field, p] = call.args;
    return `_${field ? source.slice(field.span).trim() : 'value'}_pct_${p?.kind === 'number' ? p.text : ''}`;
  }
  return `_${lower}`;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s;
}

export function parseSumo(text: string): Plan {
  return new SumoParser(text).parse();
}
