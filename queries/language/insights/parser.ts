/**
 * The CloudWatch Logs Insights parser: query text → plan. Commands: those of CloudWatch's current reference
 * (`INSIGHTS_COMMANDS`), joined by `|`; `#` comments. The commands over the result's rows in order are read
 * in `result-commands.ts`.
 *
 * For completion the parser also runs over the text before the cursor: when it reaches the end of that
 * text it records what it would have accepted there (`expected`), and the stages it had finished.
 */
import { ExpressionParser, namedGroups, globToRegex } from '../expression-parser';
import { isBinCall } from '../builtin-functions';
import type { Token } from '../lexer';
import type { Expr, FillValue, Named, Plan, SourceSpan, Stage } from '../plan';
import { QueryProblem, didYouMean } from '../source';
import { SQL_QUERY_WORDS } from '../sql';
import {
  accumStage,
  addtotalsStage,
  autoregressStages,
  filldownStage,
  logcompareStages,
  outlierStage,
  sessionizeStage,
} from './result-commands';

export const INSIGHTS_COMMANDS: Record<string, { syntax: string; doc: string }> = {
  fields: { syntax: 'fields field, expr as name, ...', doc: 'Choose the fields to show; can compute new ones' },
  display: { syntax: 'display field, ...', doc: 'Show only these fields' },
  filter: { syntax: 'filter condition', doc: 'Keep the records for which the condition is true' },
  stats: { syntax: 'stats agg(field) as name, ... by field, bin(5m)', doc: 'Aggregate, optionally by groups' },
  sort: { syntax: 'sort field desc, ...', doc: 'Order the results (asc is the default)' },
  limit: { syntax: 'limit [any] n', doc: 'Keep the first n results (any n matching records with any)' },
  parse: { syntax: 'parse field "glob * text" as a, ... | parse field /(?<name>re)/', doc: 'Extract fields from text' },
  dedup: { syntax: 'dedup field, ...', doc: 'Keep the first result for each distinct value' },
  filterIndex: {
    syntax: 'filterIndex field = value',
    doc: 'Filter on an indexed field (here every field: the same as filter)',
  },
  unnest: { syntax: 'unnest field into item', doc: 'One record per item of a list (a single value is a list of one)' },
  lookup: {
    syntax: 'lookup table key as field, ... OUTPUT column, ...',
    doc: 'Add columns of a lookup table you imported (flowscope lookup import), matched on key fields',
  },
  pattern: {
    syntax: 'pattern @message',
    doc: 'Group records by the shape of a text: @pattern, @sampleCount, @ratio',
  },
  diff: {
    syntax: 'diff [previousDay | previousWeek | previousMonth]',
    doc: 'Compare the patterns of this time range with the previous one of the same length',
  },
  fillmissing: {
    syntax: 'fillmissing [with value for field, ...]',
    doc: 'Add the empty time bins of `stats … by bin()`, their fields empty or the value given',
  },
  anomaly: { syntax: 'anomaly', doc: "CloudWatch's machine-learned anomaly detection (not available offline)" },
  countFrequent: {
    syntax: 'countFrequent field, ...',
    doc: 'Count each combination of the fields, most frequent first, in _approxcount (also count_frequent)',
  },
  unmask: {
    syntax: 'unmask(field)',
    doc: "A field with what CloudWatch's data protection masked shown: here the field as the workspace holds it",
  },
  where: { syntax: 'where condition', doc: 'The same as filter' },
  expand: {
    syntax: 'expand field',
    doc: 'One record per item of a list in the field (a single value is a list of one)',
  },
  accum: { syntax: 'accum field [AS name]', doc: 'The running sum of a field in the order of the results' },
  autoregress: {
    syntax: 'autoregress field [AS name] [p=1[-4]]',
    doc: 'The value of a field rows before, in field_p1, field_p2, …',
  },
  filldown: { syntax: 'filldown [field …]', doc: 'Fill empty values with the last value above them' },
  addtotals: {
    syntax: 'addtotals [fieldname=Total] [row=true] [col=false] [field, …]',
    doc: 'A Total column summing the numeric fields of each row; col=true adds a row of column sums',
  },
  sessionize: {
    syntax: 'sessionize field, … [maxspan 30m] [AS session_id]',
    doc: 'Number the sessions of each combination of the fields: a new one after a longer gap than maxspan',
  },
  outlier: {
    syntax: 'outlier [action=remove|transform] [param=2.5] [uselower=false] [mark=false] field …',
    doc: 'Values above Q3 + param × IQR (and below Q1 − param × IQR): removed or clamped to the bound',
  },
  logcompare: {
    syntax: 'logcompare timeshift 7d',
    doc: 'The patterns of @message in this time range against the range shifted back',
  },
  cidrlookup: {
    syntax: 'cidrlookup table ipField [AS cidrColumn] OUTPUT|OUTPUTNEW column [AS field], …',
    doc: 'Add columns of an imported table of CIDR ranges, from the most specific range that holds the address',
  },
  relevantfields: {
    syntax: 'relevantfields [field, …] where condition',
    doc: "CloudWatch's relevance scores of fields (not available offline)",
  },
  join: {
    syntax: 'join … (SOURCE log-group)',
    doc: "Join another log group's events (not available: the workspace is the one source)",
  },
  appendcols: {
    syntax: 'appendcols [override=false] [max=10000] ( query )',
    doc: 'Add the columns of a query over the same records, row by row in order (not over SOURCE: another log group)',
  },
};

/** Why a command of CloudWatch's reference does not run here, with what to do instead. */
const REFUSED_COMMANDS: Record<string, { reason: string; hint: string }> = {
  relevantfields: {
    reason:
      '`relevantfields` is not supported: it ranks fields by a relevance score that CloudWatch computes with a model its reference does not define, so no offline answer would be the same.',
    hint: 'compare the two groups directly: stats count(*) by action, dstPort | sort count(*) desc',
  },
  join: {
    reason:
      "`join` is not supported: it joins the events of another log group or query result (SOURCE …), and a workspace holds one set of flow records; CloudWatch's other log groups are not here.",
    hint: 'to join flow records with themselves, use SQL (the flows table)',
  },
};

/** Lower-case command name → as the reference writes it (`filterindex` → `filterIndex`), and its other names. */
export const INSIGHTS_COMMAND_NAMES: ReadonlyMap<string, string> = new Map([
  ...Object.keys(INSIGHTS_COMMANDS).map((c): [string, string] => [c.toLowerCase(), c]),
  ['count_frequent', 'countFrequent'],
]);

/** What the parser would accept where the text ended. */
export type Expectation =
  { kind: 'command' } | { kind: 'operand'; aggregates: boolean } | { kind: 'keyword'; word: string };

const RESERVED = new Set(['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc', 'into']);

export class InsightsParser extends ExpressionParser {
  readonly stages: Stage[] = [];
  readonly expected: Expectation[] = [];
  private inStats = false;

  constructor(text: string) {
    super(text, '#', { reserved: RESERVED, power: true, calendarUnits: true });
  }

  parse(): Plan {
    this.source();
    if (this.peek().kind !== 'eof' || this.expectAt('command')) {
      for (;;) {
        this.stages.push(this.stage());
        if (this.isOp('|')) {
          this.next();
          continue;
        }
        const t = this.peek();
        if (t.kind !== 'eof') {
          throw new QueryProblem(
            `Unexpected \`${this.lexer.source.slice(t.span)}\`.`,
            t.span,
            this.lexer.source.unexpectedHint(t.span, 'separate items with `,` and commands with `|`'),
          );
        }
        break;
      }
    }
    return { dialect: 'insights', stages: this.stages };
  }

  /** Record an expectation when the text ends here (completion); true if it did. */
  private expectAt(kind: 'command'): boolean {
    if (this.peek().kind !== 'eof') return false;
    this.expected.push({ kind });
    return true;
  }

  protected override keywordAtEnd(word: string): void {
    this.expected.push({ kind: 'keyword', word });
  }

  protected override operandAtEnd(): void {
    this.expected.push({ kind: 'operand', aggregates: this.inStats });
  }

  // --- commands -------------------------------------------------------------------------------------

  /**
   * For a first word that is a misspelt SQL opener (`SELEC count(*) FROM flows`): the text was read as Insights
   * only because its first word is not SQL's, so the list of Insights commands would not help.
   */
  private sqlOpener(t: Token): string | undefined {
    if (this.stages.length > 0) return undefined;
    // The word is SQL's own: the text is SQL, read as Insights only because Insights was chosen for it
    // (`--dialect insights`, a saved query's dialect), where "did you mean `SELECT`?" answered `SELECT`.
    if ((SQL_QUERY_WORDS as readonly string[]).includes(t.value.toUpperCase()))
      return `a query that starts with ${t.value} is SQL, read here as Insights because Insights was chosen: choose the SQL dialect (\`--dialect sql\` on the command line), or leave the dialect out to have it detected`;
    const hint = didYouMean(t.value.toUpperCase(), SQL_QUERY_WORDS);
    return hint && `${hint} A query that starts with ${SQL_QUERY_WORDS[0]} or ${SQL_QUERY_WORDS[1]} is read as SQL`;
  }

  private stage(): Stage {
    const t = this.peek();
    if (t.kind !== 'name') {
      this.expectAt('command');
      throw this.unexpected(t, 'a command', 'commands: ' + Object.keys(INSIGHTS_COMMANDS).join(', '));
    }
    const command = INSIGHTS_COMMAND_NAMES.get(t.value.toLowerCase());
    if (command === undefined) {
      throw new QueryProblem(
        `Unknown command \`${t.value}\`.`,
        t.span,
        didYouMean(t.value, Object.keys(INSIGHTS_COMMANDS)) ??
          this.sqlOpener(t) ??
          `commands: ${Object.keys(INSIGHTS_COMMANDS).join(', ')}`,
      );
    }
    this.next();
    switch (command) {
      case 'fields':
      case 'display': {
        const items = this.namedList();
        return {
          kind: 'fields',
          items,
          select: true,
          replace: command === 'display',
          span: this.span(t.span, items.at(-1)!.span),
        };
      }
      case 'filter':
      case 'where':
      case 'filterIndex': {
        const where = this.expr();
        return { kind: 'filter', where, span: this.span(t.span, where.span) };
      }
      case 'unnest':
        return this.unnest(t);
      case 'expand': {
        const f = this.name('a field that holds a list');
        return {
          kind: 'unnest',
          source: this.fieldRef(f),
          into: { name: f.value, span: f.span },
          span: this.span(t.span, f.span),
        };
      }
      case 'accum':
        return accumStage(this.reader, t);
      case 'autoregress':
        return this.pushAllButLast(autoregressStages(this.reader, t));
      case 'filldown':
        return filldownStage(this.reader, t);
      case 'addtotals':
        return addtotalsStage(this.reader, t);
      case 'sessionize':
        return sessionizeStage(this.reader, t);
      case 'outlier':
        return outlierStage(this.reader, t);
      case 'logcompare':
        return this.pushAllButLast(logcompareStages(this.reader, t, this.stages.at(-1)?.kind === 'pattern'));
      case 'appendcols':
        return this.appendcols(t);
      case 'relevantfields':
      case 'join':
        throw new QueryProblem(REFUSED_COMMANDS[command]!.reason, t.span, REFUSED_COMMANDS[command]!.hint);
      case 'lookup':
        return this.lookup(t);
      case 'cidrlookup':
        return this.cidrLookup(t);
      case 'pattern': {
        const source = this.expr();
        return { kind: 'pattern', source, span: this.span(t.span, source.span) };
      }
      case 'diff':
        return this.diff(t);
      case 'fillmissing':
        return this.fillMissing(t);
      case 'anomaly':
        throw new QueryProblem(
          '`anomaly` is not supported: it runs the anomaly detector CloudWatch Logs trains on each log group, a machine-learned model that does not exist offline.',
          t.span,
          'use `pattern @message` with `diff` to see which patterns are new or changed since the previous period',
        );
      case 'countFrequent':
        return this.countFrequent(t);
      case 'unmask':
        throw new QueryProblem(
          '`unmask` is a function, not a command: CloudWatch writes it in `fields` (`fields @timestamp, unmask(@message)`).',
          t.span,
          'write `fields unmask(@message)`',
        );
      case 'stats':
        return this.stats(t);
      case 'sort':
        return this.sort(t);
      case 'limit': {
        // `limit any n` may stop at any n matching records: the first n are such records.
        if (this.peek().kind === 'name' && this.peek().value.toLowerCase() === 'any') this.next();
        const n = this.wholeNumber('a whole number', 'for example: limit 20');
        const count = Number(n.value);
        // CloudWatch's limit page: "You can specify a limit value of up to 100,000."
        if (count < 1 || count > 100_000) throw new QueryProblem('`limit` is a whole number from 1 to 100000.', n.span);
        return { kind: 'limit', count, span: this.span(t.span, n.span) };
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

  /** Commands that become several stages: all but the last go in place, the last is returned. */
  private pushAllButLast(stages: Stage[]): Stage {
    this.stages.push(...stages.slice(0, -1));
    return stages.at(-1)!;
  }

  /**
   * `fillmissing [with 0 for field, …]`: the time bins of the last `stats … by bin()` that have no row, in
   * the query's time range, for each combination of its other keys; fields are empty unless given.
   */
  private fillMissing(t: Token): Stage {
    const stats = this.stages.findLast((s) => s.kind === 'stats');
    const bin = stats?.groupBy.find((g) => isBinCall(g.expr));
    const period = bin?.expr.kind === 'call' ? bin.expr.args[0] : undefined;
    if (!stats || !bin || period?.kind !== 'duration')
      throw new QueryProblem(
        '`fillmissing` adds the empty time bins of `stats … by bin()`: put it after one.',
        t.span,
        'for example: stats count(*) as n by bin(5m) | fillmissing with 0 for n',
      );
    if (period.months !== undefined)
      throw new QueryProblem(
        `\`fillmissing\` fills bins of one fixed length; \`bin(${period.text})\` is a calendar period.`,
        t.span,
        'bin by days or weeks, such as bin(30d), to fill the empty ones',
      );
    const fills: FillValue[] = [];
    if (this.isKeyword('with')) {
      this.next();
      do {
        if (fills.length) this.next();
        const written = this.expr();
        const value: Expr =
          written.kind === 'negate' && written.operand.kind === 'number'
            ? {
                ...written.operand,
                value: -written.operand.value,
                text: `-${written.operand.text}`,
                span: written.span,
              }
            : written;
        if (value.kind !== 'number' && value.kind !== 'string' && value.kind !== 'null')
          throw new QueryProblem('Expected a number, a quoted text or null.', value.span, 'with 0 for field');
        if (!this.isKeyword('for')) throw this.unexpected(this.peek(), '`for` and a field', 'with 0 for field');
        this.next();
        const field = this.name('the field the value goes in');
        fills.push({ value, field: { name: field.value, span: field.span }, span: this.span(value.span, field.span) });
      } while (this.isOp(','));
    }
    const others = stats.groupBy.filter((g) => g !== bin);
    return {
      kind: 'fillmissing',
      generators: [
        { kind: 'timeslice', stepMs: period.ms, field: { name: bin.name, span: bin.span }, span: t.span },
        ...others.map((g) => ({
          kind: 'values' as const,
          values: 'all' as const,
          field: { name: g.name, span: g.span },
          span: t.span,
        })),
      ],
      fills,
      takeLast: false,
      empty: true,
      span: this.span(t.span, fills.at(-1)?.span ?? t.span),
    };
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
    const span = this.span(t.span, last.span);
    if (!this.isKeyword('offset')) return { kind: 'stats', aggregates, groupBy, span };
    const { offsetMs, end } = this.offset(groupBy);
    return { kind: 'stats', aggregates, groupBy, offsetMs, span: this.span(t.span, end) };
  }

  /**
   * `countFrequent a, b` (CloudWatch's reference): the count of each combination of the fields, in
   * `_approxcount`, most frequent first. The count here is exact, which an approximate count stands for.
   * It is a `stats` and a `sort`: the stats goes in place here, and the sort is the stage returned.
   */
  private countFrequent(t: Token): Stage {
    const keys = this.namedList();
    const span = this.span(t.span, keys.at(-1)!.span);
    const count: Expr = { kind: 'call', name: 'count', args: [], star: true, span: t.span, nameSpan: t.span };
    this.stages.push({ kind: 'stats', aggregates: [{ expr: count, name: '_approxcount', span }], groupBy: keys, span });
    const field: Expr = { kind: 'field', name: '_approxcount', span };
    return { kind: 'sort', keys: [{ expr: field, descending: true, span }], span };
  }

  /**
   * `stats … by bin(5m) offset 1h` (CloudWatch's time-series functions): every bin holds what the bin one
   * offset earlier held, so the series lines up with this period's for a comparison.
   */
  private offset(groupBy: Named[]): { offsetMs: number; end: SourceSpan } {
    const word = this.next();
    if (!groupBy.some((g) => isBinCall(g.expr)))
      throw new QueryProblem(
        '`offset` shifts the time bins of `stats … by bin()`: group by a bin first.',
        word.span,
        'for example: stats count(*) by bin(5m) offset 1h',
      );
    const d = this.peek();
    if (d.kind !== 'duration') throw this.unexpected(d, 'how far back, such as 1h or 1d');
    this.next();
    if (d.months !== undefined || !(d.ms! > 0))
      throw new QueryProblem(
        `\`offset\` takes a time span of fixed length, longer than zero; \`${d.value}\` is not one.`,
        d.span,
        'for example: offset 1h, offset 1d',
      );
    return { offsetMs: d.ms!, end: d.span };
  }

  private sort(t: Token): Stage {
    // CloudWatch tolerates `sort by x` (published queries use it); `by` adds nothing.
    if (this.isKeyword('by')) this.next();
    const keys: Extract<Stage, { kind: 'sort' }>['keys'] = [];
    do {
      if (keys.length) this.next();
      keys.push(this.sortKey(false));
      const after = this.peek();
      if (after.kind === 'name') {
        throw new QueryProblem(
          `Expected \`asc\` or \`desc\`, found \`${after.value}\`.`,
          after.span,
          sortDirectionHint(after.value),
        );
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
      if (names.length === 0)
        throw new QueryProblem(
          'This regular expression names no fields.',
          re.span,
          'name the parts to extract: /(?<port>\\d+)/',
        );
      return {
        kind: 'parse',
        source,
        regex: re.flags?.includes('i') ? `(?i)${regex}` : regex,
        names,
        span: this.span(t.span, re.span),
      };
    }
    const glob = this.peek();
    if (glob.kind !== 'string') throw this.unexpected(glob, 'a pattern ("... * ...") or a /regular expression/');
    this.next();
    const stars = (glob.value.match(/\*/g) ?? []).length;
    if (stars === 0)
      throw new QueryProblem('This pattern has no `*` to extract.', glob.span, 'mark each part to extract with *');
    if (!this.isKeyword('as')) throw this.unexpected(this.peek(), '`as` and the names of the parts');
    this.next();
    const names = this.names();
    if (names.length !== stars) {
      throw new QueryProblem(
        `The pattern has ${stars} \`*\` but ${names.length} name${names.length === 1 ? '' : 's'} follow${names.length === 1 ? 's' : ''} \`as\`.`,
        this.span(names[0]!.span, names.at(-1)!.span),
        'give one name per *',
      );
    }
    return {
      kind: 'parse',
      source,
      regex: globToRegex(glob.value),
      names,
      glob: glob.value,
      span: this.span(t.span, names.at(-1)!.span),
    };
  }

  /**
   * `SOURCE logGroups(namePrefix: [...], class: [...], accountIdentifiers: [...])` before the first command:
   * it chooses the log groups to read, and in Flowscope the workspace is the source, so it is read and
   * checked but changes nothing.
   */
  private source(): void {
    const t = this.peek();
    if (t.kind !== 'name' || t.value.toLowerCase() !== 'source') return;
    this.next();
    const fn = this.name('`logGroups(...)` after SOURCE');
    if (fn.value.toLowerCase() !== 'loggroups')
      throw new QueryProblem(
        `Expected \`logGroups(...)\` after SOURCE, found \`${fn.value}\`.`,
        fn.span,
        "for example: SOURCE logGroups(namePrefix: ['/vpc/flow-logs'])",
      );
    this.expectOp('(', '`(` after logGroups');
    while (!this.isOp(')')) {
      this.name('a selector such as namePrefix, class or accountIdentifiers');
      this.expectOp(':', '`:` after the selector');
      // A list of quoted values, or (as a log class is often written) one.
      if (this.peek().kind === 'string') this.next();
      else {
        this.expectOp('[', '`[` and a list of quoted values');
        while (!this.isOp(']')) {
          const v = this.peek();
          if (v.kind !== 'string') throw this.unexpected(v, 'a quoted value');
          this.next();
          if (this.isOp(',')) this.next();
        }
        this.next();
      }
      if (this.isOp(',')) this.next();
    }
    this.next();
    if (this.isOp('|')) this.next();
  }

  private unnest(t: Token): Stage {
    const source = this.expr();
    if (!this.isKeyword('into')) throw this.unexpected(this.peek(), '`into` and a name for each item');
    this.next();
    const into = this.name('a name for each item');
    return {
      kind: 'unnest',
      source,
      into: { name: into.value, span: into.span },
      span: this.span(t.span, into.span),
    };
  }

  /** `lookup table key [as field], ... OUTPUT column, ...` */
  private lookup(t: Token): Stage {
    const table = this.name('the name of a lookup table');
    const keys: Extract<Stage, { kind: 'lookup' }>['keys'] = [];
    do {
      if (keys.length) this.next();
      const column = this.name('a column of the lookup table to match on');
      let field: Expr = { kind: 'field', name: column.value, span: column.span };
      if (this.isKeyword('as')) {
        this.next();
        const f = this.name('the field of the records to match');
        field = { kind: 'field', name: f.value, span: f.span };
      }
      keys.push({ column: column.value, field, span: this.span(column.span, field.span) });
    } while (this.isOp(','));
    const mode = this.peek();
    if (mode.kind !== 'name' || mode.value.toUpperCase() !== 'OUTPUT')
      throw this.unexpected(
        mode,
        '`OUTPUT` and the columns to add',
        'for example: lookup owners ip as srcAddr OUTPUT team',
      );
    this.next();
    const outputs = this.names();
    return {
      kind: 'lookup',
      table: { name: table.value, span: table.span },
      keys,
      outputs,
      span: this.span(t.span, outputs.at(-1)!.span),
    };
  }

  /** `cidrlookup table ipField [AS cidrColumn] OUTPUT|OUTPUTNEW column [AS field], …` */
  private cidrLookup(t: Token): Stage {
    const table = this.name('the name of a lookup table of CIDR ranges');
    const ip = this.name('the field that holds the address');
    let column = '';
    let end = ip.span;
    if (this.isKeyword('as')) {
      this.next();
      const c = this.name('the column of the table that holds the CIDR ranges');
      column = c.value;
      end = c.span;
    }
    const mode = this.peek();
    const word = mode.kind === 'name' ? mode.value.toUpperCase() : '';
    if (word !== 'OUTPUT' && word !== 'OUTPUTNEW')
      throw this.unexpected(
        mode,
        '`OUTPUT` (or `OUTPUTNEW`) and the columns to add',
        'for example: cidrlookup nets srcAddr OUTPUT owner',
      );
    this.next();
    const outputs: Extract<Stage, { kind: 'lookup' }>['outputs'] = [];
    do {
      if (outputs.length) this.next();
      const o = this.name('a column of the lookup table');
      if (this.isKeyword('as')) {
        this.next();
        const as = this.name('the field the column goes in');
        outputs.push({ name: o.value, as: as.value, span: this.span(o.span, as.span) });
      } else outputs.push({ name: o.value, span: o.span });
    } while (this.isOp(','));
    return {
      kind: 'lookup',
      table: { name: table.value, span: table.span },
      keys: [{ column, field: { kind: 'field', name: ip.value, span: ip.span }, span: this.span(ip.span, end) }],
      outputs,
      cidr: { onlyEmpty: word === 'OUTPUTNEW' },
      span: this.span(t.span, outputs.at(-1)!.span),
    };
  }

  private diff(t: Token): Stage {
    let period: Extract<Stage, { kind: 'diff' }>['period'] = 'previous';
    let end = t.span;
    const p = this.peek();
    if (p.kind === 'name' && ['previousday', 'previousweek', 'previousmonth'].includes(p.value.toLowerCase())) {
      period =
        p.value.toLowerCase() === 'previousday' ? 'day' : p.value.toLowerCase() === 'previousweek' ? 'week' : 'month';
      end = this.next().span;
    }
    return { kind: 'diff', period, span: this.span(t.span, end) };
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
        const n = this.name('a name after `as`');
        items.push({ expr, name: n.value, span: this.span(expr.span, n.span) });
      } else {
        items.push({ expr, name: expr.kind === 'field' ? expr.name : written.replace(/\s+/g, ''), span: expr.span });
      }
    } while (this.isOp(','));
    return items;
  }

  // --- expressions ----------------------------------------------------------------------------------

  protected comparisonRest(left: Expr): Expr {
    if (this.isOp('=~')) {
      this.next();
      return this.matchRight(left, false, 'regex');
    }
    let negated = false;
    if (this.isKeyword('not')) {
      negated = true;
      this.next();
      if (!this.isKeyword('in') && !this.isKeyword('like'))
        throw this.unexpected(this.peek(), '`in` or `like` after `not`');
    }
    if (this.isKeyword('in')) {
      this.next();
      if (this.isOp('(')) return this.subquery(left, negated);
      return this.inList(left, negated, '[', ']', true);
    }
    if (this.isKeyword('like')) {
      this.next();
      return this.matchRight(left, negated, 'like');
    }
    return left;
  }

  /**
   * `field in ( query )` (CloudWatch's subqueries): the query runs over the same records, the workspace; one
   * that names its own log groups (`SOURCE …`) reads another log group, which a workspace does not hold.
   */
  private subquery(left: Expr, negated: boolean): Expr {
    const { plan, span } = this.innerQuery('in (filter action = "REJECT" | fields srcAddr)');
    return { kind: 'subquery', operand: left, plan, negated, span: this.span(left.span, span) };
  }

  /** `( query )` of a subquery or `appendcols`, over the workspace; one over `SOURCE …` reads another log group. */
  private innerQuery(example: string): { plan: Plan; span: SourceSpan } {
    const open = this.expectOp('(', '`(` and a query');
    const source = this.peek();
    if (source.kind === 'name' && source.value.toLowerCase() === 'source')
      throw new QueryProblem(
        'A subquery over `SOURCE …` is not supported: it reads another log group, and a workspace holds one set of flow records.',
        source.span,
        `leave SOURCE out to run the subquery over the workspace: ${example}`,
      );
    const outer = this.stages.splice(0);
    for (;;) {
      this.stages.push(this.stage());
      if (!this.isOp('|')) break;
      this.next();
    }
    const inner = this.stages.splice(0);
    this.stages.push(...outer);
    const close = this.expectOp(')', '`)` to end the subquery');
    return { plan: { dialect: 'insights', stages: inner }, span: this.span(open.span, close.span) };
  }

  /** `appendcols [override=true|false] [max=n] ( query )`: the query's columns beside the result's, row by row. */
  private appendcols(t: Token): Stage {
    let override = false;
    let max = 10_000;
    while (this.peek().kind === 'name') {
      const o = this.next();
      const key = o.value.toLowerCase();
      if (key !== 'override' && key !== 'max') throw this.unexpected(o, '`override=`, `max=` or `(` and a query');
      this.expectOp('=', `\`=\` after ${o.value}`);
      const v = this.next();
      if (key === 'override') {
        if (!['true', 'false'].includes(v.value.toLowerCase()))
          throw new QueryProblem(`Expected true or false, found \`${v.value}\`.`, v.span);
        override = v.value.toLowerCase() === 'true';
      } else if (
        v.kind !== 'number' ||
        !(Number(v.value) >= 1 && Number(v.value) <= 100_000) ||
        !Number.isInteger(Number(v.value))
      )
        throw new QueryProblem('`max` is a whole number from 1 to 100000.', v.span);
      else max = Number(v.value);
    }
    const { plan, span } = this.innerQuery('appendcols ( stats count(*) as total )');
    return { kind: 'appendcols', plan, override, max, span: this.span(t.span, span) };
  }

  /** The right side of `like` (a string or a regex) or `=~` (a regex, or a string taken as one). */
  private matchRight(left: Expr, negated: boolean, op: 'like' | 'regex'): Expr {
    if (this.isOp('/')) {
      const re = this.lexer.regex();
      return {
        kind: 'regex',
        operand: left,
        pattern: re.value,
        caseInsensitive: re.flags?.includes('i') ?? false,
        negated,
        span: this.span(left.span, re.span),
      };
    }
    const t = this.peek();
    if (t.kind !== 'string')
      throw this.unexpected(t, op === 'like' ? 'a "string" or a /regular expression/' : 'a /regular expression/');
    this.next();
    const span = this.span(left.span, t.span);
    if (op === 'regex')
      return { kind: 'regex', operand: left, pattern: t.value, caseInsensitive: false, negated, span };
    return {
      kind: 'like',
      operand: left,
      pattern: { kind: 'string', value: t.value, span: t.span },
      mode: 'substring',
      negated,
      span,
    };
  }

  /** A call's arguments are not aggregates themselves: completion inside them offers plain operands. */
  protected override call(name: Token): Extract<Expr, { kind: 'call' }> {
    const wasInStats = this.inStats;
    this.inStats = false;
    const call = super.call(name);
    this.inStats = wasInStats;
    return call;
  }
}

function sortDirectionHint(word: string): string {
  const lower = word.toLowerCase();
  const meant = lower.startsWith('desc') ? 'desc' : lower.startsWith('asc') ? 'asc' : undefined;
  return meant ? `did you mean \`${meant}\`?` : (didYouMean(word, ['asc', 'desc']) ?? 'separate sort keys with `,`');
}

export function parseInsights(text: string): Plan {
  return new InsightsParser(text).parse();
}
