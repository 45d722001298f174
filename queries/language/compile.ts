/**
 * The compiler from a plan (`plan.ts`) to one DuckDB SELECT over `main.flows`.
 *
 * Stages are folded into as few nested SELECTs as their meaning allows, so that DuckDB sees what a person
 * would have written by hand: filters become one WHERE (with the time range, so zonemaps skip old row
 * groups), `stats` a GROUP BY, `sort`/`limit` an ORDER BY/LIMIT, `dedup` a QUALIFY. A stage that cannot
 * join the current SELECT (a filter after stats or after a limit, stats after stats, ...) wraps it.
 *
 * Values the user wrote are inlined as SQL literals (quoted and escaped here) rather than bound as
 * parameters, so DuckDB can push them into scans and pre-compile regular expressions. Field names resolve
 * per stage: first the columns earlier stages made, then the flow-log fields (`field-names.ts`).
 */
import {
  BASE_FIELDS,
  DEFAULT_DISPLAY,
  baseField,
  discoveredNameFor,
  fieldAsLogged,
  type LoggedField,
  columnsLineSql,
  messageContainsSql,
  messageSql,
  unknownFieldSql,
  type BaseField,
  type ImportLayout,
  type ValueType,
} from './field-names';
import {
  FIRST_RECORD_START,
  functionsOf,
  LAST_RECORD_START,
  lookupFunction,
  type Arg,
  type FunctionContext,
  type PipeDialect,
} from './functions';
import { condition, durationSql, intervalSql, isBinCall, numeric, text as textSql } from './builtin-functions';
import { runningColumn, type Expr, type Named, type Plan, type SourceSpan, type Stage } from './plan';
import { sqlIdent, sqlLiteral, sqlTimestamp } from '../catalog/sql-quote';
import { ipv4IntegerSql } from '../catalog/ip';
import { isoTimeMs } from '../catalog/iso-time';
import { EqualityLists } from './equality-lists';
import { parsePositionWarning, type BoundStar } from './parse-positions';
import { DEFAULT_FORMAT, FLOW_FIELDS } from '../catalog/fields';
import { addtotals, filldown, iqrOutlier, sessionize } from './insights/compile-result-commands';
import {
  asLogged,
  emptyBlock,
  HIDDEN,
  NO_SPAN,
  orderText,
  selectionOf,
  type Block,
  type Column,
  type OrderKey,
  type SelectItem,
} from './select-block';
import {
  outlierBaseline,
  outlierIndicator,
  outlierViolation,
  linearForecastSql,
  runningSql,
  type TransposeSpec,
} from './series';
import type { QueryDiagnostic } from './types';
import { QueryProblem, didYouMean } from './source';
import { lookupTableSql, type LookupTableInfo } from './imported-tables';
import { patternSql } from './insights/pattern';
import { withAddressKeys } from './enrichment-functions';
import { SCOPE_METADATA } from './sumo/vocabulary';
import { eagerStats } from './eager-stats';
import { re2Pattern } from './re2';
import {
  defaultFill,
  keyLiteral,
  missingRowsSql,
  takeLastSql,
  FILL_MAX_COMBINATIONS,
  type FillKey,
} from './fill-missing';

export interface TimeBounds {
  from?: string | null;
  to?: string | null;
  /** One more condition on the records, as SQL built from validated values (dashboard filters: `queries/library/dashboard-filters.ts`). */
  where?: string | null;
}

export interface CompiledQuery {
  sql: string;
  /** The result's column names, in order (before a transpose, which makes its columns from the data). */
  columns: string[];
  /** Those of `columns` that are text (a number field shown as logged is: its digits, or `-`). */
  textColumns: string[];
  /** Reshape the result of `sql` this way once it has run (Sumo's transpose). */
  transpose?: TransposeSpec;
  /** What the query did that the analyst may not expect (a field the records do not have reads as null). */
  warnings: QueryDiagnostic[];
  /**
   * A count of the records the query matched: those its first `stats` groups, or, without stats, those it
   * lists before a limit (so "10,000 of 13,915 records" can be said). Null when that is not one count.
   */
  matchedSql: string | null;
  /**
   * The records a list of records (no stats) matched, as their stored `start_time` and `action`, for the
   * histogram above them (`queries/chart/record-histogram.ts`); null for an aggregate.
   */
  recordsSql: string | null;
  /**
   * Insights' implicit limit on a list of records (no stats, no limit): CloudWatch returns at most this many.
   * The SQL asks for one row more, so that whoever runs it can tell a cut answer from a whole one and keep
   * this many (`QueryRunner`'s `cap`). Null for any other query; an explicit `limit` is the analyst's own.
   */
  cap: number | null;
}

/** What the compiler knows of the workspace beyond the flow-log fields. */
export interface CompileContext {
  /** The lookup tables the analyst imported (Insights `lookup`). */
  lookupTables?: readonly LookupTableInfo[];
  /** A stats by a computed key in its eager form (`eager-stats.ts`), as DuckDB runs it best; on by default. */
  eager?: boolean;
  /** The workspace's imports read in a custom format, whose records `@message` writes as they were logged. */
  importLayouts?: readonly ImportLayout[];
  /**
   * The fields of every record's line, in order, each a column of its own (AWS names): an Athena table's,
   * for `@message` there. Unset, the workspace's lines (`importLayouts`).
   */
  lineFields?: readonly string[];
  /**
   * Every format the workspace's records were logged in (the default one too), for the warning where a
   * whole-line `parse` reads by name what the service reads by place (`parse-positions.ts`); none when unknown.
   */
  recordFormats?: readonly ImportLayout[];
  /**
   * Insights' implicit limit asks for one row more than CloudWatch returns (`CompiledQuery.cap`); on by
   * default. Off for SQL that runs elsewhere (Athena), which would return that row.
   */
  probeCap?: boolean;
}

/** What an expression compiles to. */
interface Compiled {
  sql: string;
  type: ValueType;
  column?: string;
  dash?: boolean;
}

const INSIGHTS_MAX_RECORDS = 10_000;

/** How long a field's SQL may grow before `define` computes it in a SELECT of its own. */
const LONG_COLUMN_SQL = 2_000;

/** How long a field's SQL over the records (`Column.record`) may grow before it is no longer kept. */
const LONG_RECORD_SQL = 20_000;

/** Thrown inside `recordForm` when a field's value over the records is not known. */
const NO_RECORD_FORM = Symbol('no record form');

/**
 * CloudWatch's sort order for text (CWL_QuerySyntax-Sort, "an updated version of natural sorting") as ORDER BY
 * expressions over the text `t`, ascending: values that are only digits after all others, by their number; of
 * the others, those starting with punctuation (a record's `-`), then IPv4 addresses by their integer `ip4`
 * (13.107.27.153 before 13.107.255.195: runs of digits by their length, then value), then the rest. With
 * `runs`, the rest too by their runs, as the page says: letters and other characters by their Unicode values,
 * a run of digits by its length, then its value (eni-0a… before eni-01…, 2001:db8::9 before 2001:db8::10):
 * a list of the runs, each run of digits written after its length in three digits (a digit still sorts where
 * its run begins among other characters). That list costs about 3 µs a value, where the other keys cost a
 * tenth of that: taken for rows a stats made (as many as their groups), not for every record.
 */
function naturalOrder(t: string, ip4: string, runs: boolean): NaturalKey[] {
  // `substr`, not `r[1]`: the same text in Trino, where a text has no subscript.
  const byRuns =
    `list_transform(regexp_extract_all(${t}, '[0-9]+|[^0-9]+'), ` +
    `r -> CASE WHEN substr(r, 1, 1) BETWEEN '0' AND '9' THEN lpad(length(r)::VARCHAR, 3, '0') || r ELSE r END)`;
  return [
    { sql: `regexp_full_match(${t}, '[0-9]+')`, none: 'false' },
    { sql: `TRY_CAST(${t} AS DOUBLE)`, nullable: true, none: '0' },
    { sql: `CASE WHEN ${t} < '0' THEN 0 WHEN ${ip4} IS NOT NULL THEN 1 ELSE 2 END`, none: '2' },
    { sql: ip4, nullable: true, none: '0' },
    ...(runs ? [{ sql: `CASE WHEN ${ip4} IS NULL THEN ${byRuns} END`, nullable: true, none: '[]::VARCHAR[]' }] : []),
    { sql: t, none: "''" },
  ];
}

/**
 * One ORDER BY key of `naturalOrder`; `nullable` where a text that is there can still make it NULL; `none`,
 * a value of its type that stands in for its NULL in a row key.
 */
interface NaturalKey {
  sql: string;
  nullable?: boolean;
  none: string;
}

/**
 * `naturalOrder`'s keys as one value, whose smallest (or, `descending`, largest) is the row `sort` puts first,
 * for `arg_min`/`arg_max`: one pass over the records where a sort would order them all. The sort puts a NULL
 * last either way, so a key that can be NULL is preceded by whether it is (ascending) or is not (descending),
 * and the text's own NULL (a field a record lacks) likewise before all. No key in the row is NULL: Trino
 * before mid-2026 (Athena's engine) refuses to compare a ROW with a NULL inside ("ROW comparison not
 * supported for fields with null elements"), and it costs DuckDB nothing.
 */
function naturalOrderRow(t: string, keys: NaturalKey[], descending: boolean): string {
  const missing = (sql: string) => `(${sql} IS ${descending ? 'NOT ' : ''}NULL)`;
  const parts = keys.flatMap((k) => [...(k.nullable ? [missing(k.sql)] : []), `coalesce(${k.sql}, ${k.none})`]);
  return `row(${[missing(t), ...parts].join(', ')})`;
}

interface State {
  block: Block;
  /** Columns made by stages; with `base`, the flow-log fields are in scope behind them. */
  columns: Column[];
  base: boolean;
  /** Names the result shows; null: the default for the scope. */
  display: string[] | null;
  /** The group keys of the last stats (what a compare joins on). */
  keys: string[];
}

/** `2026-01-02T03:04:05Z` (or without offset, meaning UTC) as a DuckDB TIMESTAMP literal. */
function timestampLiteral(iso: string): string {
  return sqlTimestamp(instantMs(iso));
}

/** `2026-01-02T03:04:05Z` (or without offset, meaning UTC) in milliseconds since the epoch. */
export function instantMs(iso: string): number {
  const ms = isoTimeMs(iso);
  if (ms === null) throw new QueryProblem(`\`${iso}\` is not an ISO 8601 time that exists.`, NO_SPAN);
  return ms;
}

/** The time-range condition on `start_time`, or none. */
export function timeRangeSql(range: TimeBounds | undefined | null): string[] {
  const out: string[] = [];
  if (range?.from) out.push(`start_time >= ${timestampLiteral(range.from)}`);
  if (range?.to) out.push(`start_time < ${timestampLiteral(range.to)}`);
  if (range?.where) out.push(`(${range.where})`);
  return out;
}

export class Compiler {
  // `counter`, `state` and the methods without `private` below are also what the modules that compile a
  // command of their own use (`insights/compile-result-commands.ts`).
  /** Numbers the names of the compiler's own columns and relations (`_r3`), so none repeats. */
  counter = 0;
  state: State;
  private readonly warnings = new Map<string, QueryDiagnostic>();
  private readonly equalityLists = new EqualityLists();
  private matchedSql: string | null = null;
  /** Display lists a parse made in place of the default columns: a `fields` after it names the columns instead. */
  private readonly parsedDisplays = new WeakSet<string[]>();
  /** Whether a stage ordered the rows (sort, topk): until one does, records come newest first (newestFirst). */
  private sorted = false;
  /** While `recordForm` compiles: fields read as SQL over the records (`Column.record`). */
  private recordScope = false;
  /** The names whole-line parses bound, in the query's order, and which of them later stages read. */
  private readonly stars: BoundStar[] = [];
  private readonly boundStars = new Map<string, BoundStar>();
  private readonly readStars = new Set<BoundStar>();

  /** The time range's bounds as SQL literals, for queryStartTime() & co. */
  private readonly bounds: { from: string | null; to: string | null };

  constructor(
    private readonly dialect: PipeDialect,
    private readonly range?: TimeBounds | null,
    private readonly context: CompileContext = {},
  ) {
    this.bounds = {
      from: range?.from ? timestampLiteral(range.from) : null,
      to: range?.to ? timestampLiteral(range.to) : null,
    };
    this.state = {
      block: this.records(range),
      columns: [],
      base: true,
      display: null,
      keys: [],
    };
  }

  /** The records of a time range: the block every query starts from. */
  private records(range: TimeBounds | null | undefined): Block {
    const where = timeRangeSql(range);
    return { ...emptyBlock('main.flows'), where, selection: { outer: [], own: [...where] } };
  }

  compile(plan: Plan): CompiledQuery {
    const diff = plan.stages.findIndex((s) => s.kind === 'diff');
    if (diff >= 0) this.diff(plan, diff);
    const offset = statsOffset(plan);
    if (offset) this.state.block = this.records(shiftRange(this.range, offset));
    let transpose: TransposeSpec | undefined;
    plan.stages.forEach((stage, i) => {
      if (i <= diff) return;
      if (stage.kind === 'compare') this.compare(stage, plan.stages.slice(0, i));
      else if (stage.kind === 'transpose') transpose = this.transposeSpec(stage);
      else if (stage.kind === 'fillmissing' && transpose) transpose.fill = this.transposeFill(stage, transpose);
      else this.stage(stage);
    });
    // Like CloudWatch, a query of records (no stats, no limit) answers at most 10,000 of them; one more is
    // asked for, so that a cut answer can say so (CloudWatch's console says how many records matched).
    const aggregated = (s: Stage) =>
      s.kind === 'stats' || s.kind === 'limit' || s.kind === 'pattern' || s.kind === 'diff';
    let cap: number | null = null;
    if (plan.dialect === 'insights' && !plan.stages.some(aggregated)) {
      if (this.state.block.limit !== null || this.state.block.groupBy !== null) this.wrap();
      this.newestFirst();
      const probe = this.context.probeCap !== false;
      this.state.block.limit = INSIGHTS_MAX_RECORDS + (probe ? 1 : 0);
      if (probe) cap = INSIGHTS_MAX_RECORDS;
    }
    this.newestFirst();
    const { sql, columns, listed, records } = this.finish();
    this.warnParsePositions();
    const matched = this.matchedSql ?? listed;
    return {
      sql: withAddressKeys(sql),
      columns: columns.map((c) => c.name),
      textColumns: columns.filter((c) => c.type === 'string').map((c) => c.name),
      warnings: [...this.warnings.values()],
      matchedSql: matched === null ? null : withAddressKeys(matched),
      recordsSql: records === null ? null : withAddressKeys(records),
      cap,
      ...(transpose ? { transpose } : {}),
    };
  }

  /** The SELECT of what the stages so far show, each column under its name. */
  private finish(): { sql: string; columns: Column[]; listed: string | null; records: string | null } {
    const stored = this.displayColumns();
    const final = this.state.block;
    // Without a stats, the records the query lists before a limit are the ones it matched.
    const listed =
      this.matchedSql === null && final.groupBy === null
        ? `SELECT count(*) FROM (${this.render(
            { ...final, orderBy: [], limit: null },
            stored.map((c) => ({ sql: c.sql, alias: sqlIdent(c.name) })),
          )})`
        : null;
    // Still records with their stored columns (a wrap without a GROUP BY keeps `*`): the same ones, for a histogram.
    const records =
      listed !== null && this.state.base
        ? this.render({ ...final, orderBy: [], limit: null }, [{ sql: 'start_time' }, { sql: 'action' }])
        : null;
    // A field is shown as logged, `-` where the workspace stores NULL. DuckDB reads a bare name in ORDER BY as
    // a shown column first (`ORDER BY dstport`: the text `dstPort`, not the number), so such an order is
    // made in a SELECT under the one that shows the text.
    const shownAsText = new Set(stored.filter((c) => c.dash).map((c) => c.name.toLowerCase()));
    if (final.orderBy.some((k) => shownAsText.has(bareName(k.sql)?.toLowerCase() ?? ''))) this.wrap();
    const display = this.displayColumns().map(asLogged);
    for (const c of display) this.readStar(c.name);
    const select = display.map((c) => ({ sql: c.sql, alias: sqlIdent(c.name) }));
    return { sql: this.render(this.state.block, select), columns: display, listed, records };
  }

  /** The columns stages made so far, and whether the flow-log fields are still in scope (for completion). */
  scope(): { columns: string[]; base: boolean } {
    return { columns: this.visible().map((c) => c.name), base: this.state.base };
  }

  /** Every name in scope after the stages run so far. */
  scopeNames(): string[] {
    const names = this.visible().map((c) => c.name);
    return this.state.base ? [...names, ...BASE_FIELDS.map((f) => f.name)] : names;
  }

  stage(stage: Stage): void {
    switch (stage.kind) {
      case 'filter':
        return this.filter(stage.where);
      case 'fields':
        this.fields(stage.items, stage.select, stage.replace ?? false);
        if (stage.line)
          stage.items.forEach((item, i) => this.bindStar(item, i, stage.items.length, DEFAULT_FORMAT[i]!));
        return;
      case 'parse':
        return this.parse(stage);
      case 'stats':
        return this.stats(stage.aggregates, stage.groupBy, stage.span, stage.offsetMs);
      case 'sort':
        return this.sort(stage.keys);
      case 'limit':
        this.newestFirst();
        this.state.block.limit =
          this.state.block.limit === null ? stage.count : Math.min(this.state.block.limit, stage.count);
        return;
      case 'dedup':
        return stage.consecutive
          ? this.dedupConsecutive(stage.keys, stage.keep ?? 1)
          : this.dedup(stage.keys, stage.keep ?? 1);
      case 'topk':
        return this.topk(stage);
      case 'outlier':
        return this.outlier(stage);
      case 'predict':
        return this.predict(stage);
      case 'running':
        return this.running(stage);
      case 'fillmissing':
        return this.fillMissing(stage);
      case 'compare':
      case 'transpose':
        // Whole-query stages: compile() handles them.
        throw new QueryProblem(`\`${stage.kind}\` cannot be used here.`, stage.span);
      case 'drop': {
        const dropped = (name: string) => stage.names.some((n) => this.sameName(n.name, name));
        // After an aggregate the columns themselves go, so fields made later still show.
        if (this.state.display === null && !this.state.base)
          this.state.columns = this.state.columns.filter((c) => !dropped(c.name));
        else
          this.state.display = this.displayColumns()
            .map((c) => c.name)
            .filter((n) => !dropped(n));
        return;
      }
      case 'unnest':
        return this.unnest(stage);
      case 'lookup':
        return this.lookupStage(stage);
      case 'pattern':
        return this.pattern(stage);
      case 'diff':
        throw new QueryProblem(
          `\`${typeof stage.period === 'number' ? 'logcompare' : 'diff'}\` can be used once per query.`,
          stage.span,
        );
      case 'filldown':
        return filldown(this, stage);
      case 'addtotals':
        return addtotals(this, stage);
      case 'sessionize':
        return sessionize(this, stage);
      case 'iqrOutlier':
        return iqrOutlier(this, stage);
      case 'appendcols':
        return this.appendcols(stage);
    }
  }

  /**
   * Insights `appendcols`: both results numbered in their order and joined on the number, the result's rows
   * all kept. Its columns come as its own SELECT names them; the result's own are kept unless `override`.
   */
  private appendcols(stage: Extract<Stage, { kind: 'appendcols' }>): void {
    const inner = new Compiler(this.dialect, this.range, this.context).compile(stage.plan);
    for (const w of inner.warnings) this.warnings.set(w.message, w);
    const shown = this.displayColumns().map(asLogged);
    const order = this.state.block.orderBy;
    const place = `row_number() OVER (${order.length ? `ORDER BY ${order.map((k) => orderText(k)).join(', ')}` : ''})`;
    const left = this.render({ ...this.state.block, orderBy: [] }, [
      ...shown.map((c, i) => ({ sql: c.sql, alias: `_a${i}` })),
      { sql: place, alias: '_place' },
    ]);
    const n = ++this.counter;
    const right = `SELECT *, row_number() OVER () AS _place FROM (${inner.sql}) AS _r${n} LIMIT ${stage.max}`;
    const added = inner.columns.filter((c) => stage.override || !shown.some((s) => this.sameName(s.name, c)));
    const kept = shown.map((c, i) => ({ c, i })).filter(({ c }) => !added.some((a) => this.sameName(a, c.name)));
    this.state = {
      block: {
        ...emptyBlock(`(${left}) AS _l${n} LEFT JOIN (${right}) AS _p${n} ON _l${n}._place = _p${n}._place`),
        orderBy: [{ sql: `_l${n}._place`, descending: false }],
      },
      columns: [
        ...kept.map(({ c, i }) => ({ name: c.name, sql: `_l${n}._a${i}`, type: c.type })),
        ...added.map((name) => ({ name, sql: `_p${n}.${sqlIdent(name)}`, type: 'any' as const })),
      ],
      base: false,
      display: null,
      keys: this.state.keys,
    };
  }

  /**
   * `diff`: the stages before it (ending in `pattern`) run over the query's time range and over the
   * period it is compared with, and the two answers are joined on the pattern.
   */
  private diff(plan: Plan, at: number): void {
    const stage = plan.stages[at] as Extract<Stage, { kind: 'diff' }>;
    const before = plan.stages.slice(0, at);
    if (before.at(-1)?.kind !== 'pattern')
      throw new QueryProblem(
        '`diff` compares patterns: put it right after `pattern`.',
        stage.span,
        'for example: pattern @message | diff',
      );
    const previous = previousRange(this.range, stage.period, stage.span);
    const side = (range: TimeBounds | null | undefined) => {
      const c = new Compiler(this.dialect, range, this.context);
      for (const s of before) c.stage(s);
      const columns = c.state.columns;
      for (const w of c.warnings.values()) this.warnings.set(w.message, w);
      return c.render(
        c.state.block,
        columns.map((x) => ({ sql: x.sql, alias: sqlIdent(x.name) })),
      );
    };
    const alias = `_d${++this.counter}`;
    this.state.block = emptyBlock(
      `(SELECT coalesce(c."@pattern", p."@pattern") AS "@pattern", coalesce(c."@sampleCount", 0) AS "@sampleCount", ` +
        `coalesce(p."@sampleCount", 0) AS "@previousSampleCount", ` +
        `coalesce(c."@sampleCount", 0) - coalesce(p."@sampleCount", 0) AS "@change", ` +
        `CASE WHEN p."@sampleCount" IS NULL THEN 'new' WHEN c."@sampleCount" IS NULL THEN 'gone' ` +
        `WHEN c."@sampleCount" > p."@sampleCount" THEN 'more' WHEN c."@sampleCount" < p."@sampleCount" THEN 'fewer' ELSE 'same' END AS "@diff" ` +
        `FROM (${side(this.range)}) AS c FULL OUTER JOIN (${side(previous)}) AS p ON c."@pattern" = p."@pattern") AS ${alias}`,
    );
    this.state.block.orderBy = [{ sql: 'abs("@change")', descending: true }];
    this.state.columns = ['@pattern', '@sampleCount', '@previousSampleCount', '@change', '@diff'].map((name) => ({
      name,
      sql: sqlIdent(name),
      type: name === '@pattern' || name === '@diff' ? 'string' : 'number',
    }));
    this.state.base = false;
    this.state.display = null;
  }

  private unnest(stage: Extract<Stage, { kind: 'unnest' }>): void {
    if (this.state.block.limit !== null || this.state.block.groupBy !== null) this.wrap();
    const source = this.arg(stage.source, 'row');
    // Flow-log values are single values, which CloudWatch unnests as lists of one item.
    const sql = source.sql.startsWith('[') ? `unnest(${source.sql})` : source.sql;
    this.define({ name: stage.into.name, sql, type: source.type });
    if (sql !== source.sql) this.wrap();
    if (this.state.display !== null && !this.state.display.includes(stage.into.name))
      this.state.display.push(stage.into.name);
  }

  private lookupStage(stage: Extract<Stage, { kind: 'lookup' }>): void {
    if (this.state.block.limit !== null || this.state.block.groupBy !== null || this.state.block.qualify !== null)
      this.wrap();
    const keys = stage.keys.map((k) => ({ column: k.column, span: k.span, sql: textSql(this.arg(k.field, 'row')) }));
    const table = lookupTableSql(
      this.context.lookupTables ?? [],
      stage.table,
      keys,
      stage.outputs,
      ++this.counter,
      stage.cidr !== undefined,
    );
    this.wrap();
    // OUTPUTNEW fills only the fields that have no value yet: read what they hold before the join.
    const before = stage.outputs.map((o) =>
      stage.cidr?.onlyEmpty ? this.visible().find((c) => this.sameName(c.name, o.as ?? o.name)) : undefined,
    );
    this.state.block.from += ` LEFT JOIN ${table.from} ON ${table.on}`;
    table.outputs.forEach((o, i) => {
      const name = stage.outputs[i]!.as ?? o.name;
      const kept = before[i];
      const sql = kept ? `coalesce(nullif(CAST(${kept.sql} AS VARCHAR), ''), ${o.sql})` : o.sql;
      this.define({ name, sql, type: 'string' });
      if (this.state.display !== null && !this.state.display.includes(name)) this.state.display.push(name);
    });
  }

  private pattern(stage: Extract<Stage, { kind: 'pattern' }>): void {
    const b = this.state.block;
    if (b.groupBy !== null || b.limit !== null || b.qualify !== null) this.wrap();
    const source = textSql(this.arg(stage.source, 'row'));
    const p = `${HIDDEN}pattern${++this.counter}`;
    this.define({ name: p, sql: patternSql(source), type: 'string' });
    this.wrap();
    const key = this.state.columns.find((c) => c.name === p)!.sql;
    this.state.block.groupBy = [key];
    this.state.block.orderBy = [{ sql: 'count(*)', descending: true }];
    this.state.columns = [
      { name: '@pattern', sql: key, type: 'string' },
      { name: '@sampleCount', sql: 'count(*)', type: 'number' },
      { name: '@ratio', sql: 'count(*) / sum(count(*)) OVER ()', type: 'number' },
    ];
    this.state.base = false;
    this.state.display = null;
  }

  private filter(where: Expr): void {
    const b = this.state.block;
    if (b.groupBy !== null || b.limit !== null || b.qualify !== null) this.wrap();
    const sql = this.expr(where, 'row');
    this.state.block.where.push(condition(sql));
    // Over the records, the condition also has its record form (else `selection` falls out of step).
    const record = this.state.base && this.state.block.selection ? this.recordForm(where, 'row', true) : null;
    if (record !== null) this.state.block.selection!.own.push(record);
  }

  private fields(items: Named[], select: boolean, replace: boolean): void {
    if (this.state.block.limit !== null && this.state.block.groupBy === null) this.wrap();
    const names: string[] = [];
    for (const item of items) {
      const compiled = this.expr(item.expr, 'row');
      const isPlainField = item.expr.kind === 'field' && item.expr.name === item.name;
      if (!isPlainField) {
        // Over the records only: after a stats no stats is eager (`eager`).
        const record = this.state.base ? this.recordForm(item.expr, 'row') : null;
        this.define({ ...compiled, name: item.name, ...(record === null ? {} : { record }) });
      }
      names.push(isPlainField ? this.lookup(item.name, item.span).name : item.name);
    }
    if (select)
      this.state.display =
        replace || this.state.display === null || this.parsedDisplays.has(this.state.display)
          ? names
          : [...this.state.display, ...names.filter((n) => !this.state.display!.includes(n))];
  }

  private parse(stage: Extract<Stage, { kind: 'parse' }>): void {
    if (this.bindRecordFields(stage)) return;
    if (this.state.block.limit !== null || this.state.block.groupBy !== null) this.wrap();
    let source = this.arg(stage.source, 'row');
    if (stage.multi) {
      // A record for each match (a text without one stays, its fields null, for `nodrop`).
      const matches = `regexp_extract_all(${textSql(source)}, ${sqlLiteral(stage.regex)})`;
      const match = `${HIDDEN}match${++this.counter}`;
      this.define({
        name: match,
        sql: `unnest(CASE WHEN len(${matches}) = 0 THEN [NULL] ELSE ${matches} END)`,
        type: 'string',
      });
      this.wrap();
      const column = this.state.columns.find((c) => c.name === match)!;
      source = { ...column, expr: stage.source };
    }
    const groups = `[${stage.names.map((_, i) => `'g${i + 1}'`).join(', ')}]`;
    // Extract once into a hidden struct column; the names read its parts.
    const hidden = `${HIDDEN}parse${++this.counter}`;
    this.define({
      name: hidden,
      sql: `regexp_extract(${textSql(source)}, ${sqlLiteral(stage.regex)}, ${groups})`,
      type: 'any',
    });
    this.wrap();
    const struct = this.state.columns.find((c) => c.name === hidden)!.sql;
    stage.names.forEach((n, i) =>
      this.define({ name: n.name, sql: `nullif(${struct}.g${i + 1}, '')`, type: 'string' }),
    );
    if (this.state.display !== null)
      this.state.display.push(...stage.names.map((n) => n.name).filter((n) => !this.state.display!.includes(n)));
  }

  /**
   * `parse @message "* * … *" as srcaddr, dstaddr, …` splits the whole record at its blanks and names every
   * part with a flow-log field: the way analysts read a custom-format flow log in CloudWatch, where fields
   * are not discovered. The workspace already holds each record's fields by name, whatever its format, so
   * the names are bound to those (a regex over the default-format line would find other parts there).
   */
  private bindRecordFields(stage: Extract<Stage, { kind: 'parse' }>): boolean {
    if (!this.state.base || stage.glob === undefined || !/^\*(?: \*)*$/.test(stage.glob.trim())) return false;
    if (stage.source.kind !== 'field' || baseField(stage.source.name)?.name !== '@message') return false;
    const fields = stage.names.map((n) => baseField(n.name));
    if (fields.some((f) => f?.column === undefined || f.name.startsWith('@'))) return false;
    stage.names.forEach((n, i) => {
      const f = fields[i]!;
      const { sql, dash } = this.recordField(f);
      this.define({ name: n.name, sql, type: f.type, column: f.column!, record: sql, ...(dash ? { dash } : {}) });
      this.bindStar(n, i, stage.names.length, FLOW_FIELDS.find((x) => x.column === f.column)?.aws ?? f.column!);
    });
    // The names describe the whole record: they replace the default columns (which would repeat them under
    // their Insights names) rather than follow them.
    const names = stage.names.map((n) => n.name);
    if (this.state.display === null) {
      this.state.display = ['@timestamp', ...names.filter((n) => n !== '@timestamp')];
      this.parsedDisplays.add(this.state.display);
    } else this.state.display = [...this.state.display, ...names.filter((n) => !this.state.display!.includes(n))];
    return true;
  }

  /** `offsetMs`: the records were read one offset earlier (`statsOffset`), so each bin moves forward by it. */
  private stats(aggregates: Named[], groupBy: Named[], span: SourceSpan, offsetMs?: number): void {
    const b = this.state.block;
    if (b.groupBy !== null || b.limit !== null || b.qualify !== null) this.wrap();
    // The records the first stats groups are the ones the query matched.
    this.matchedSql ??= this.render({ ...this.state.block, orderBy: [] }, [{ sql: 'count(*)' }]);
    this.state.block.orderBy = [];
    let keys = groupBy.map((g) => ({ named: g, value: this.expr(g.expr, 'row') }));
    const eager = offsetMs || this.context.eager === false ? null : this.eager(groupBy, aggregates);
    if (eager) {
      this.state.block = emptyBlock(eager.from);
      keys = keys.map((k, i) => ({ ...k, value: { ...k.value, sql: eager.keys[i]! } }));
    } else if (keys.some((k) => /\(SELECT\b/.test(k.value.sql)) && this.state.columns.length) {
      // DuckDB cannot group by a correlated subquery (a lookup's column: `lookup … from geo://location` then
      // `count by country_name`): computed one SELECT earlier, the key is a plain column.
      this.wrap();
      this.state.block.orderBy = [];
      keys = groupBy.map((g) => ({ named: g, value: this.expr(g.expr, 'row') }));
    }
    if (offsetMs)
      keys = keys.map((k) =>
        isBinCall(k.named.expr)
          ? { ...k, value: { ...k.value, sql: `(${k.value.sql} + ${intervalSql(offsetMs)})` } }
          : k,
      );
    const values = aggregates.map((a, i) => {
      const value = this.expr(a.expr, 'aggregate');
      return { named: a, value: eager ? { ...value, sql: eager.values[i]! } : value };
    });
    if (values.length === 0)
      throw new QueryProblem(
        'stats needs at least one aggregate function.',
        span,
        'for example: stats count(*) by srcAddr',
      );
    const columns: Column[] = [];
    for (const { named, value: compiled } of [...keys, ...values]) {
      // Grouped, a key is its own value only: `srcaddr` no longer has its record's `src_ip4` beside it.
      const { column: _stored, ...value } = compiled;
      const dup = columns.find((c) => this.sameName(c.name, named.name));
      if (dup)
        throw new QueryProblem(
          `Two result columns are named \`${named.name}\`.`,
          named.span,
          'give one of them another name with `as`',
        );
      columns.push({ ...value, name: named.name });
    }
    this.state.block.groupBy = keys.map((k) => k.value.sql);
    this.state.keys = groupBy.map((g) => g.name);
    // Time buckets (`bin()`, `timeslice`) come back in time order unless a later `sort` says otherwise:
    // a chart, the grid's first page and an export all read a time series from its start.
    const timeKey = keys.find((k) => k.value.type === 'time');
    if (timeKey) this.state.block.orderBy = [{ sql: timeKey.value.sql, descending: false }];
    this.state.columns = columns;
    this.state.base = false;
    this.state.display = null;
  }

  /** The first `stats` over the records, in its eager form where that applies (`eager-stats.ts`). */
  private eager(groupBy: Named[], aggregates: Named[]): ReturnType<typeof eagerStats> {
    const b = this.state.block;
    const joined = /\bJOIN\b/i.test(b.from);
    if (!this.state.base || joined || b.groupBy !== null || b.limit !== null || b.qualify !== null) return null;
    const keys = groupBy.map((g) => this.recordForm(g.expr, 'row'));
    const values = aggregates.map((a) => this.recordForm(a.expr, 'aggregate'));
    if (keys.some((k) => k === null) || values.some((v) => v === null)) return null;
    return eagerStats(
      keys as string[],
      values as string[],
      selectionOf(b),
      (select, groupBy) =>
        this.render(
          { ...b, groupBy, orderBy: [] },
          select.map((sql) => ({ sql })),
        ),
      (prefix) => `${prefix}${++this.counter}`,
    );
  }

  /** An expression as SQL over the records, or null where a field it reads is not known there. */
  private recordForm(e: Expr, mode: 'row' | 'aggregate', asCondition = false): string | null {
    this.recordScope = true;
    try {
      // A field redefined from itself doubles this text at each step (see `define`): past a bound, unknown.
      const compiled = this.expr(e, mode);
      const sql = asCondition ? condition(compiled) : compiled.sql;
      return sql.length > LONG_RECORD_SQL ? null : sql;
    } catch (err) {
      if (err === NO_RECORD_FORM) return null;
      throw err;
    } finally {
      this.recordScope = false;
    }
  }

  private sort(keys: Extract<Stage, { kind: 'sort' }>['keys']): void {
    if (this.state.block.limit !== null) this.wrap();
    this.sorted = true;
    this.state.block.orderBy = keys.flatMap((k) => this.sortKeys(k.expr, k.descending));
  }

  private dedup(keys: Expr[], keep: number): void {
    if (this.state.block.limit !== null || this.state.block.qualify !== null) this.wrap();
    const values = keys.map((k) => this.expr(k, 'row'));
    const partition = values.map((v) => v.sql).join(', ');
    // Both keep the latest records of each key when nothing was sorted: Sumo lists records newest first, and
    // Insights' dedup "uses the default descending sort order using @timestamp".
    this.newestFirst();
    const { orderBy } = this.state.block;
    const order = orderBy.length ? ` ORDER BY ${orderBy.map((k) => orderText(k)).join(', ')}` : '';
    const kept = `row_number() OVER (PARTITION BY ${partition}${order}) <= ${keep}`;
    // Insights: "Log events with null values for any of the specified fields are retained". A record's own
    // field is never null to it (a missing value is logged as '-'); a field no record has, or a parse that
    // did not match, is.
    const nullable = this.dialect === 'insights' ? values.filter((v) => !v.dash).map((v) => `${v.sql} IS NULL`) : [];
    this.state.block.qualify = nullable.length ? `(${kept} OR ${nullable.join(' OR ')})` : kept;
  }

  /**
   * Sumo's `dedup consecutive`: of each run of rows in a row (in the result's order, records newest first)
   * with the same values of `keys`, the first `keep`; the same values further on start a run of their own.
   * Each row is marked where a run starts, the marks summed into a run number, and rows numbered within it.
   */
  private dedupConsecutive(keys: Expr[], keep: number): void {
    this.newestFirst();
    this.wrap();
    // An aggregate not sorted has no order but the one its rows come in: numbered, so runs are read in it.
    if (!this.state.block.orderBy.length) {
      const row = `${HIDDEN}row${++this.counter}`;
      this.define({ name: row, sql: 'row_number() OVER ()', type: 'number' });
      this.wrap();
      this.state.block.orderBy = [{ sql: this.lookup(row, NO_SPAN).sql, descending: false }];
    }
    // The result's order, read again after each wrap (which renames its keys).
    const over = (window = '', frame = '') => {
      const order = this.state.block.orderBy.map((k) => orderText(k)).join(', ');
      return `OVER (${[window, `ORDER BY ${order}`, frame].filter(Boolean).join(' ')})`;
    };
    const values = keys.map((k) => this.expr(k, 'row').sql);
    const first = `row_number() ${over()} = 1`;
    const changed = values.map((v) => `lag(${v}) ${over()} IS DISTINCT FROM ${v}`);
    const starts = `${HIDDEN}runstart${++this.counter}`;
    this.define({
      name: starts,
      sql: `CASE WHEN ${[first, ...changed].join(' OR ')} THEN 1 ELSE 0 END`,
      type: 'number',
    });
    this.wrap();
    const run = `${HIDDEN}run${++this.counter}`;
    const start = this.lookup(starts, NO_SPAN).sql;
    this.define({ name: run, sql: `sum(${start}) ${over('', 'ROWS UNBOUNDED PRECEDING')}`, type: 'number' });
    this.wrap();
    const runSql = this.lookup(run, NO_SPAN).sql;
    this.state.block.qualify = `row_number() ${over(`PARTITION BY ${runSql}`)} <= ${keep}`;
    this.state.columns = this.state.columns.filter((c) => c.name !== starts && c.name !== run);
  }

  /**
   * How a `sort` key orders. Insights sorts text in its natural order (naturalOrder) and counts a missing
   * value, a record's logged `-`, as text before every number; Sumo sorts a field of the record by its text.
   */
  private sortKeys(e: Expr, descending: boolean): OrderKey[] {
    const key = this.arg(e, 'row');
    // To Sumo a field is the text it parsed or extracted: it sorts as text unless cast (`num(f)`), so a
    // port's `999` comes after `8080` descending, and a logged `-` before the digits.
    if (this.dialect === 'sumo') return [{ sql: key.dash ? textSql(key) : key.sql, descending }];
    if (key.type === 'string' || key.type === 'any')
      return this.naturalKeys(key).map(({ sql }) => ({ sql, descending }));
    return [{ sql: key.sql, descending, nullsFirst: !descending }];
  }

  /**
   * `naturalOrder`'s keys for a text: over the records the cheaper ones, with an address's stored integer
   * (`src_ip4`, `dst_ip4`); after a stats, with the runs of digits.
   */
  private naturalKeys(key: Arg): NaturalKey[] {
    const t = textSql(key);
    const stored = key.column === 'srcaddr' ? 'src_ip4' : key.column === 'dstaddr' ? 'dst_ip4' : null;
    const records = this.state.base;
    return naturalOrder(t, stored && records ? stored : ipv4IntegerSql(t), !records);
  }

  /**
   * Records come newest first until a stage sorts them: Sumo lists messages that way, and Insights reads
   * unsorted records "in the default descending sort order using @timestamp" (its dedup page). So a
   * `limit` without a sort keeps the latest records, and a list of them is shown latest first.
   */
  private newestFirst(): void {
    const b = this.state.block;
    if (!this.state.base || this.sorted || b.orderBy.length || b.groupBy !== null || b.limit !== null) return;
    b.orderBy = [{ sql: this.lookup('@timestamp', NO_SPAN).sql, descending: true }];
  }

  /**
   * `topk`: each row's place in its group by the ranking fields, largest first (numbers as numbers; a
   * record's `-` last), computed in its own SELECT so the rows past `n` can be left out. The rows come
   * in the groups' order, best first.
   */
  private topk(stage: Extract<Stage, { kind: 'topk' }>): void {
    this.wrap();
    this.sorted = true;
    const order = stage.keys.map((k) => orderText({ sql: this.lookup(k.name, k.span).sql, descending: true }));
    const groups = stage.by.map((b) => this.lookup(b.name, b.span).sql);
    const partition = groups.length ? `PARTITION BY ${groups.join(', ')} ` : '';
    this.define({ name: '_rank', sql: `row_number() OVER (${partition}ORDER BY ${order.join(', ')})`, type: 'number' });
    if (this.state.display !== null && !this.state.display.includes('_rank')) this.state.display.push('_rank');
    this.wrap();
    const rank = this.lookup('_rank', stage.span).sql;
    this.state.block.where.push(`${rank} <= ${stage.count}`);
    this.state.block.orderBy = [...stage.by, { name: '_rank', span: stage.span }].map((n) => ({
      sql: this.lookup(n.name, n.span).sql,
      descending: false,
    }));
  }

  /** The time column a series stage orders by: `_timeslice`, else the one time column of an aggregate. */
  private seriesTime(operator: string, span: SourceSpan): Column {
    const times = this.state.base ? [] : this.visible().filter((c) => c.type === 'time');
    const time =
      times.find((c) => c.name.toLowerCase() === '_timeslice') ?? (times.length === 1 ? times[0] : undefined);
    if (!time)
      throw new QueryProblem(
        `\`${operator}\` needs a time series: an aggregate by a time slice before it.`,
        span,
        `for example: timeslice 1m | count by _timeslice | ${operator} _count`,
      );
    return time;
  }

  private outlier(stage: Extract<Stage, { kind: 'outlier' }>): void {
    this.wrap();
    const time = this.seriesTime('outlier', stage.span);
    const value = this.lookup(stage.field.name, stage.field.span);
    const partition = stage.by.map((b) => this.lookup(b.name, b.span).sql);
    const f = value.name;
    const base = outlierBaseline(
      numeric({ ...value, expr: { kind: 'null', span: stage.span } }),
      partition,
      time.sql,
      stage.window,
    );
    this.define({ name: `${HIDDEN}mean`, sql: base.mean, type: 'number' });
    this.define({ name: `${f}_std`, sql: base.std, type: 'number', unlisted: true });
    this.wrap();
    const v = this.lookup(f, stage.field.span).sql;
    const mean = this.lookup(`${HIDDEN}mean`, stage.span).sql;
    const std = this.lookup(`${f}_std`, stage.span).sql;
    const lower = `(${mean} - ${stage.threshold} * ${std})`;
    const upper = `(${mean} + ${stage.threshold} * ${std})`;
    const slice = this.lookup(time.name, stage.span).sql;
    this.define({ name: `${f}_error`, sql: `(${v} - ${mean})`, type: 'number' });
    this.define({ name: `${f}_lower`, sql: lower, type: 'number' });
    this.define({ name: `${f}_upper`, sql: upper, type: 'number' });
    this.define({
      name: `${f}_indicator`,
      sql: outlierIndicator(v, lower, upper, stage.direction, slice),
      type: 'number',
    });
    this.wrap();
    const indicator = this.lookup(`${f}_indicator`, stage.span).sql;
    const groups = stage.by.map((b) => this.lookup(b.name, b.span).sql);
    const t = this.lookup(time.name, stage.span).sql;
    this.define({
      name: `${f}_violation`,
      sql: outlierViolation(indicator, groups, t, stage.consecutive),
      type: 'number',
    });
    this.state.columns = this.state.columns.filter((c) => c.name !== `${HIDDEN}mean`);
    // Windows are computed in their own SELECT, so a filter after them sees every point's answer.
    this.state.block.orderBy = [...groups, t].map((sql) => ({ sql, descending: false }));
    this.wrap();
  }

  /**
   * `accum`, `diff`, `smooth`, `rollingstd`, `total`: a window over the result in its order (a `sort`'s, a
   * time slice's), else records newest first as Sumo lists them, else the order of its first time column.
   * The window is computed in its own SELECT, so a later filter sees every row's value.
   */
  private running(stage: Extract<Stage, { kind: 'running' }>): void {
    this.wrap();
    const value = this.lookup(stage.field.name, stage.field.span);
    const number = numeric({ ...value, expr: { kind: 'null', span: stage.span } });
    // `diff`'s page: "any non-numerical values are removed from the search results", and the next row's diff
    // is from the last numeric row before it. The others' pages only say such a row is skipped, which their
    // aggregates (sum, avg) already do, so they keep it.
    if (stage.fn === 'diff') this.state.block.where.push(`${number} IS NOT NULL`);
    const partition = stage.by.map((b) => this.lookup(b.name, b.span).sql);
    let order = this.state.block.orderBy;
    if (!order.length) {
      const time = this.state.base
        ? { sql: this.lookup('@timestamp', stage.span).sql, descending: true }
        : (() => {
            const t = this.visible().find((c) => c.type === 'time');
            return t ? { sql: t.sql, descending: false } : null;
          })();
      order = time ? [time] : [];
    }
    this.define({
      name: runningColumn(stage),
      sql: runningSql(
        stage.fn,
        number,
        partition,
        order.map((k) => orderText(k)),
        stage.window,
      ),
      type: 'number',
    });
    this.state.block.orderBy = order;
    this.wrap();
  }

  private predict(stage: Extract<Stage, { kind: 'predict' }>): void {
    this.wrap();
    const time = this.seriesTime('predict', stage.span);
    const value = this.lookup(stage.field.name, stage.field.span);
    const groups = stage.by.map((b) => this.lookup(b.name, b.span));
    const series = this.render(this.state.block, [
      { sql: time.sql, alias: 't' },
      ...groups.map((g, i) => ({ sql: g.sql, alias: `g${i + 1}` })),
      { sql: numeric({ ...value, expr: { kind: 'null', span: stage.span } }), alias: 'v' },
    ]);
    const from = `${linearForecastSql(
      series,
      groups.map((g) => g.name),
      stage.stepMs,
      stage.forecast,
    )} AS _p${++this.counter}`;
    const f = value.name;
    this.state = {
      block: {
        ...emptyBlock(from),
        orderBy: [...groups.map((_, i) => `g${i + 1}`), 't'].map((sql) => ({ sql, descending: false })),
      },
      columns: [
        { name: time.name, sql: 't', type: 'time' },
        ...groups.map((g, i): Column => ({
          name: g.name,
          sql: `g${i + 1}`,
          type: g.type,
          ...(g.dash ? { dash: true } : {}),
        })),
        { name: f, sql: 'v', type: 'number' },
        { name: `${f}_predicted`, sql: 'predicted', type: 'number' },
        { name: `${f}_error`, sql: 'error', type: 'number' },
      ],
      base: false,
      display: null,
      keys: [time.name, ...groups.map((g) => g.name)],
    };
  }

  /**
   * `fillmissing`: the result so far, then a row for each combination of key values the generators
   * enumerate that it lacks (see `fill-missing.ts`). Appended rows have no value in the hidden order
   * columns of the result's order, so its order still holds (a time slice's brings them into place).
   */
  private fillMissing(stage: Extract<Stage, { kind: 'fillmissing' }>): void {
    if (this.state.base)
      throw new QueryProblem(
        '`fillmissing` adds the groups an aggregate lacks: put it after one.',
        stage.span,
        'for example: timeslice 15m | count by _timeslice | fillmissing timeslice',
      );
    this.wrap();
    const shown = this.displayColumns();
    const find = (n: { name: string; span: SourceSpan }): Column => {
      const c = shown.find((s) => this.sameName(s.name, n.name));
      if (!c)
        throw new QueryProblem(
          `\`${n.name}\` is not a field of the result.`,
          n.span,
          didYouMean(
            n.name,
            shown.map((s) => s.name),
          ) ?? `the fields are: ${shown.map((s) => s.name).join(', ')}`,
        );
      return c;
    };
    const result = `_r${++this.counter}`;
    let combinations = 1;
    const keys = stage.generators.map((g): { column: Column; key: FillKey } => {
      const column = find(g.field ?? { name: '_timeslice', span: g.span });
      if (g.kind === 'values') {
        combinations *= g.values === 'all' ? 1 : g.values.length;
        const values =
          g.values === 'all'
            ? 'all'
            : g.values.map((v) => {
                if (column.dash && v === '-') return 'NULL';
                const literal = keyLiteral(v, column.type);
                if (literal === null)
                  throw new QueryProblem(`\`${column.name}\` holds numbers: "${v}" is not one.`, g.span);
                return literal;
              });
        return { column, key: { kind: 'values', column: column.sql, values } };
      }
      if (column.type !== 'time')
        throw new QueryProblem(
          `\`${column.name}\` is not a time slice, so \`timeslice\` cannot fill it.`,
          g.span,
          'name the time slice field: fillmissing timeslice(1m) in _timeslice',
        );
      if (this.range?.from && this.range.to)
        combinations *= Math.ceil((instantMs(this.range.to) - instantMs(this.range.from)) / g.stepMs) + 1;
      return { column, key: this.sliceKey(column.sql, g.stepMs) };
    });
    if (combinations > FILL_MAX_COMBINATIONS)
      this.warnings.set('fillmissing', {
        message: `\`fillmissing\` enumerates about ${combinations.toLocaleString('en-US')} combinations; as in Sumo Logic, only the first ${FILL_MAX_COMBINATIONS.toLocaleString('en-US')} are filled.`,
        hint: 'use a longer time slice or fewer values',
        span: stage.span,
      });
    const keyColumns = keys.map((k) => k.column);
    const others = shown.filter((c) => !keyColumns.includes(c));
    for (const f of stage.fills) {
      const c = find(f.field);
      if (keyColumns.includes(c))
        throw new QueryProblem(`\`${c.name}\` is a key field: its values come from the generators.`, f.field.span);
    }
    const fillOf = (c: Column): string => {
      const given = stage.fills.find((f) => this.sameName(f.field.name, c.name));
      return given ? this.expr(given.value, 'row').sql : stage.empty ? 'NULL' : defaultFill(c.type);
    };
    const marker = `_f${++this.counter}`;
    const missing = missingRowsSql(
      result,
      keys.map((k) => k.key),
      stage.takeLast ? [] : others.map((c) => ({ column: c.sql, value: fillOf(c) })),
      marker,
    );
    const inner = this.state.block.from;
    this.state.block.selection = null;
    this.state.block.from = `(WITH ${result} AS (SELECT * FROM ${inner}) SELECT * FROM ${result} UNION ALL BY NAME ${missing}) AS _s${++this.counter}`;
    if (stage.takeLast) {
      const time = keys.find((k) => k.key.kind === 'timeslice')!.column.sql;
      const partition = keyColumns.filter((c) => c.sql !== time).map((c) => c.sql);
      this.state.columns = this.state.columns.map((c) =>
        others.some((o) => o.sql === c.sql) ? { ...c, sql: takeLastSql(c.sql, marker, partition, time, fillOf(c)) } : c,
      );
      this.wrap();
    }
  }

  /**
   * The time slices of the query's range in `column` (its end not included). A bound left open is the
   * records' first or last start (the services always have a range): a filtered result's first and last
   * slices are not where its gaps end.
   */
  private sliceKey(column: string, stepMs: number): FillKey {
    const { from, to } = this.bounds;
    return {
      kind: 'timeslice',
      column,
      stepMs,
      from: from ?? FIRST_RECORD_START,
      to: to ? `${to} - INTERVAL '1 millisecond'` : LAST_RECORD_START,
    };
  }

  /**
   * `fillmissing timeslice` after `transpose` (as Sumo's apps write it): the rows of the time slices the
   * transposed result lacks, every cell null, added when it is made.
   */
  private transposeFill(stage: Extract<Stage, { kind: 'fillmissing' }>, spec: TransposeSpec): FillKey {
    const [g] = stage.generators;
    if (stage.generators.length !== 1 || g?.kind !== 'timeslice' || stage.fills.length || stage.takeLast)
      throw new QueryProblem(
        'After `transpose`, `fillmissing` can only add the missing time slices (its cells stay empty).',
        stage.span,
        'fill before transpose: fillmissing timeslice, values all in field | transpose …',
      );
    const name = g.field?.name ?? '_timeslice';
    const row = spec.rows.find((r) => this.sameName(r, name));
    const column = this.displayColumns().find((c) => c.name === row);
    if (row === undefined || column?.type !== 'time')
      throw new QueryProblem(
        `\`${name}\` is not the time slice the transposed rows are made of.`,
        g.span,
        'transpose row _timeslice column field | fillmissing timeslice',
      );
    return this.sliceKey(sqlIdent(row), g.stepMs);
  }

  /**
   * `compare with timeshift …`: the stages before it run again, each copy on the time range shifted back,
   * and join the result on its keys (a time key shifted forward by the same amount).
   */
  private compare(stage: Extract<Stage, { kind: 'compare' }>, before: readonly Stage[]): void {
    if (this.state.base || this.state.keys.length === 0)
      throw new QueryProblem(
        '`compare` needs an aggregate before it, by the keys to compare on.',
        stage.span,
        'for example: timeslice 1h | count by _timeslice | compare with timeshift 1d',
      );
    const main = this.finish();
    const keys = main.columns.filter((c) => this.state.keys.some((k) => this.sameName(k, c.name)));
    // A time key lines each row up with the one a shift earlier, whatever the range. Without one, the copies
    // differ only by their time range, and a range without both ends, shifted, still holds all the query's
    // records (`count by src | compare with timeshift 1d` answered the same count twice).
    if (!keys.some((k) => k.type === 'time') && !(this.range?.from && this.range.to))
      throw new QueryProblem(
        '`compare` by keys other than a time slice compares the time range of the query with an earlier one: choose a time range with a start and an end.',
        stage.span,
        'in the command line: --from and --to',
      );
    const values = main.columns.filter((c) => !keys.includes(c));
    const m = `_m${++this.counter}`;
    let from = `(${main.sql}) AS ${m}`;
    const columns: Column[] = main.columns.map((c) => ({ ...c, sql: `${m}.${sqlIdent(c.name)}` }));
    for (const shift of stage.shifts) {
      const [, amount, unit] = /^(\d+(?:\.\d+)?)(\D+)$/.exec(shift.text) ?? [shift.text, shift.text, ''];
      const copies = Array.from({ length: shift.count }, (_, i) => {
        const ms = shift.ms * (i + 1);
        const copy = new Compiler(this.dialect, shiftRange(this.range, ms), this.context);
        for (const s of before) copy.stage(s);
        const alias = `_k${++this.counter}`;
        const on = keys.map((k) =>
          k.type === 'time'
            ? `${alias}.${sqlIdent(k.name)} + INTERVAL '${ms} milliseconds' = ${m}.${sqlIdent(k.name)}`
            : `${alias}.${sqlIdent(k.name)} IS NOT DISTINCT FROM ${m}.${sqlIdent(k.name)}`,
        );
        from += ` LEFT JOIN (${copy.finish().sql}) AS ${alias} ON ${on.join(' AND ')}`;
        return { alias, label: `${Number(amount) * (i + 1)}${unit}` };
      });
      for (const v of values) {
        if (shift.aggregate) {
          const cells = copies.map((c) => `${c.alias}.${sqlIdent(v.name)}`).join(', ');
          columns.push({
            name: `${v.name}_${shift.alias ?? shift.aggregate}`,
            sql: `list_aggregate([${cells}], '${shift.aggregate}')`,
            type: 'number',
          });
        } else
          for (const c of copies)
            columns.push({
              name: `${v.name}_${shift.alias && shift.count === 1 ? shift.alias : c.label}`,
              sql: `${c.alias}.${sqlIdent(v.name)}`,
              type: v.type,
            });
      }
    }
    const time = keys.find((k) => k.type === 'time');
    this.state = {
      block: {
        ...emptyBlock(from),
        orderBy: time ? [{ sql: `${m}.${sqlIdent(time.name)}`, descending: false }] : [],
      },
      columns,
      base: false,
      display: null,
      keys: keys.map((k) => k.name),
    };
  }

  /** `transpose row … column …`: which of the result's columns make rows, columns and cells. */
  private transposeSpec(stage: Extract<Stage, { kind: 'transpose' }>): TransposeSpec {
    const shown = this.displayColumns().map((c) => c.name);
    const find = (n: { name: string; span: SourceSpan }) => {
      const name = shown.find((s) => this.sameName(s, n.name));
      if (name === undefined)
        throw new QueryProblem(
          `\`${n.name}\` is not a field of the result.`,
          n.span,
          didYouMean(n.name, shown) ?? `the fields are: ${shown.join(', ')}`,
        );
      return name;
    };
    const rows = stage.rows.map(find);
    const columns = stage.columns.map(find);
    const values = shown.filter((s) => !rows.includes(s) && !columns.includes(s));
    if (values.length === 0)
      throw new QueryProblem(
        'Nothing is left to fill the cells: every field is a row or a column.',
        stage.span,
        'transpose after an aggregate: count by _timeslice, f | transpose row _timeslice column f',
      );
    return { rows, columns, values, ...(stage.outputs ? { outputs: stage.outputs.map((o) => o.name) } : {}) };
  }

  visible(): Column[] {
    return this.state.columns.filter((c) => !c.name.startsWith(HIDDEN) && !c.unlisted);
  }

  /**
   * Whether two field names are one field: in Sumo whatever their case (`Protocol` and `protocol`), in
   * Insights only as written.
   */
  private sameName(a: string, b: string): boolean {
    return this.dialect === 'sumo' ? a.toLowerCase() === b.toLowerCase() : a === b;
  }

  /**
   * Add a computed column, hiding any earlier one of the same name. A field's SQL is written out wherever the
   * field is used, so a field redefined from itself (Sumo's `if(protocol="6", "TCP", protocol) as protocol`,
   * five times over in the VPC app) doubles its text each time: past `LONG_COLUMN_SQL` characters the
   * column is computed in a SELECT of its own and later uses name it (twenty-two such lines made SQL text
   * too long for JavaScript; the VPC app's five were 32 copies of the first one, 2.5 times the query's time).
   */
  define(column: Column): void {
    // A name defined again no longer holds what the parse put in it.
    this.boundStars.delete(column.name.toLowerCase());
    this.state.columns = [...this.state.columns.filter((c) => !this.sameName(c.name, column.name)), column];
    if (column.sql.length > LONG_COLUMN_SQL) this.wrap();
  }

  lookup(name: string, span: SourceSpan): Column {
    this.readStar(name);
    // An unnamed aggregate's column is its call without blanks (`pct(bytes,95)`): written back with them in a
    // backquoted name (`pct(bytes, 95)`), it is the same column.
    const bare = (n: string) => n.toLowerCase().replace(/\s+/g, '');
    const own =
      this.state.columns.find((c) => c.name === name) ??
      this.state.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()) ??
      this.state.columns.find((c) => /[()]/.test(c.name) && bare(c.name) === bare(name));
    if (own) {
      if (!this.recordScope) return own;
      if (own.record === undefined) throw NO_RECORD_FORM;
      return { ...own, sql: own.record };
    }
    if (this.state.base) {
      const f = baseField(name);
      if (f?.name === '@message') return { name: f.name, sql: this.messageSql(), type: f.type };
      if (f) {
        const { sql, dash, absent } = this.recordField(f);
        if (absent) this.warnAbsent(name, absent, span);
        else this.warnUndiscovered(name, span);
        return {
          name: f.name,
          sql,
          type: f.type,
          ...(f.column ? { column: f.column } : {}),
          ...(dash ? { dash } : {}),
        };
      }
    }
    const unknown = this.state.base ? unknownFieldSql(name, this.context.recordFormats) : undefined;
    if (unknown) return { name, sql: unknown.sql, type: 'string' };
    const candidates = this.scopeNames();
    const hint =
      sourceMetadataHint(this.dialect, name) ??
      didYouMean(name, candidates) ??
      (this.state.base ? undefined : `after stats, the fields are: ${candidates.join(', ')}`);
    if (this.dialect === 'insights') {
      // As in CloudWatch, a field the records do not have is empty: the query runs, and says so.
      if (!this.warnings.has(name))
        this.warnings.set(name, {
          message: `No field \`${name}\` here: it is null in every record.`,
          ...(hint ? { hint } : {}),
          span,
        });
      return { name, sql: 'CAST(NULL AS VARCHAR)', type: 'any' };
    }
    throw new QueryProblem(`Unknown field \`${name}\`.`, span, hint);
  }

  /** `name` is the `place`-th of a whole-line parse's `stars` names and reads the field `reads` (AWS name). */
  private bindStar(name: { name: string; span: SourceSpan }, place: number, stars: number, reads: string): void {
    const star = { name: name.name, span: name.span, place, stars, reads };
    this.stars.push(star);
    this.boundStars.set(name.name.toLowerCase(), star);
  }

  private readStar(name: string): void {
    const star = this.boundStars.get(name.toLowerCase());
    if (star) this.readStars.add(star);
  }

  /**
   * Only the names the query reads or shows: one it never reads cannot change the answer (the Sumo app's
   * 14-star parse names `status`, which over a longer format holds the rest of the line, and rarely reads it).
   */
  private warnParsePositions(): void {
    const formats = this.context.recordFormats;
    if (!formats || this.readStars.size === 0) return;
    const read = this.stars.filter((s) => this.readStars.has(s));
    const warning = parsePositionWarning(read, formats, this.dialect === 'sumo' ? 'Sumo' : 'CloudWatch');
    if (warning) this.warnings.set('parse positions', warning);
  }

  /** Close the current SELECT and start a new one over it. */
  wrap(): void {
    const b = this.state.block;
    const grouped = b.groupBy !== null;
    const select: SelectItem[] = grouped ? [] : [{ sql: '*' }];
    const columns = this.state.columns.map((c) => {
      const alias = `_c${++this.counter}`;
      select.push({ sql: c.sql, alias });
      // Past a GROUP BY the stored columns are gone: a key is no longer `srcaddr` with its `src_ip4` beside it.
      if (grouped) {
        const { column: _stored, record: _record, ...rest } = c;
        return { ...rest, sql: alias };
      }
      return { ...c, sql: alias };
    });
    // Keep the order across the wrap: keys that are not columns already ride along as hidden ones.
    const order = b.orderBy.map((key) => {
      let item = select.find((s) => s.alias !== undefined && s.sql === key.sql);
      if (!item) {
        item = { sql: key.sql, alias: `_o${++this.counter}` };
        select.push(item);
      }
      return { ...key, sql: item.alias! };
    });
    const alias = `_s${++this.counter}`;
    // The rows stay the records selected, unless a column multiplies them (`unnest`).
    const selected = select.some((s) => /\bunnest\s*\(/i.test(s.sql)) ? null : selectionOf(b);
    this.state.block = {
      ...emptyBlock(`(${this.render(b, select)}) AS ${alias}`),
      orderBy: order,
      selection: selected && { outer: selected, own: [] },
    };
    this.state.columns = columns;
  }

  render(b: Block, select: SelectItem[]): string {
    let sql = `SELECT ${select.map((s) => (s.alias === undefined ? s.sql : `${s.sql} AS ${s.alias}`)).join(', ')} FROM ${b.from}`;
    if (b.where.length) sql += ` WHERE ${b.where.map((w) => (b.where.length > 1 ? `(${w})` : w)).join(' AND ')}`;
    if (b.groupBy !== null && b.groupBy.length) sql += ` GROUP BY ${b.groupBy.map(notPositional).join(', ')}`;
    if (b.qualify !== null) sql += ` QUALIFY ${b.qualify}`;
    // A key that is also a selected expression is ordered by its name, so DuckDB computes it once.
    const named = (k: OrderKey) =>
      select.find((s) => s.alias !== undefined && s.sql === k.sql)?.alias ?? notPositional(k.sql);
    if (b.orderBy.length) sql += ` ORDER BY ${b.orderBy.map((k) => orderText(k, named(k))).join(', ')}`;
    if (b.limit !== null) sql += ` LIMIT ${b.limit}`;
    return sql;
  }

  displayColumns(): Column[] {
    const s = this.state;
    if (s.display !== null)
      return s.display.map((n) => this.lookup(n, NO_SPAN)).map((c, i) => ({ ...c, name: s.display![i]! }));
    if (!s.base) return this.visible();
    // A field a stage made under a shown field's name (Sumo's `parse … as accountID, Action`, one field
    // whatever its case) is shown once, in that field's place and under the name the query gave it.
    const visible = this.visible();
    const defaults = DEFAULT_DISPLAY.map(
      (n) => visible.find((c) => this.sameName(c.name, n)) ?? { ...this.lookup(n, NO_SPAN), name: n },
    );
    return [...defaults, ...visible.filter((c) => !DEFAULT_DISPLAY.some((n) => this.sameName(c.name, n)))];
  }

  /**
   * Compile an expression. `mode`: 'row' for per-record (or per-group, after stats) expressions;
   * 'aggregate' for a stats item, where fields must sit inside an aggregate; 'inside' within an aggregate.
   */
  private expr(e: Expr, mode: 'row' | 'aggregate' | 'inside'): Compiled {
    switch (e.kind) {
      case 'field': {
        if (mode === 'aggregate') {
          throw new QueryProblem(
            `\`${e.name}\` must be inside an aggregate function here.`,
            e.span,
            `for example sum(${e.name}), or put it after \`by\``,
          );
        }
        const { name: _name, ...c } = this.lookup(e.name, e.span);
        return c;
      }
      case 'string':
        return { sql: sqlLiteral(e.value), type: 'string' };
      case 'number':
        // DuckDB reads 1.5 as a DECIMAL, which would travel as text; Insights numbers are doubles.
        return { sql: /[.eE]/.test(e.text) ? `CAST(${e.text} AS DOUBLE)` : e.text, type: 'number' };
      case 'boolean':
        return { sql: e.value ? 'TRUE' : 'FALSE', type: 'boolean' };
      case 'null':
        return { sql: 'NULL', type: 'any' };
      case 'duration':
        // Sumo's time suffixes are numbers of milliseconds ("1.5s would be returned as 1,500"), compared with
        // and taken from `_messageTime`; Insights' are spans of time.
        if (this.dialect === 'sumo' && e.months === undefined)
          return { sql: Number.isInteger(e.ms) ? String(e.ms) : `CAST(${e.ms} AS DOUBLE)`, type: 'number' };
        return { sql: durationSql(e), type: 'any' };
      case 'call':
        return this.call(e, mode);
      case 'not': {
        // A test on a missing value is false, as in Insights, so its negation is true; but a function whose
        // NULL drops the record (dropsInvalid) drops it negated too.
        const operand = condition(this.expr(e.operand, mode));
        const op = e.operand;
        if (op.kind === 'call' && lookupFunction(op.name, this.dialect, op.args.length)?.dropsInvalid)
          return { sql: `(NOT ${operand})`, type: 'boolean' };
        return { sql: this.equalityLists.negation(operand) ?? `(NOT coalesce(${operand}, FALSE))`, type: 'boolean' };
      }
      case 'negate':
        return { sql: `(- ${numeric(this.arg(e.operand, mode))})`, type: 'number' };
      case 'binary':
        return this.binary(e, mode);
      case 'in': {
        const operand = this.arg(e.operand, mode);
        const items = e.list.map((item) => this.comparable(operand, this.arg(item, mode))[1]);
        const lhs =
          e.list.length && e.list.every((i) => i.kind !== 'number')
            ? operand.sql
            : this.comparable(operand, { sql: '0', type: 'number', expr: e.operand })[0];
        const sql = `(${lhs} ${e.negated ? 'NOT IN' : 'IN'} (${items.join(', ')}))`;
        if (!operand.dash || !e.list.every(isLiteral)) return { sql, type: 'boolean' };
        const dashInList = e.list.some((i) => literalEquals('-', i));
        return { sql: orWhenDash(operand.sql, sql, dashInList !== e.negated), type: 'boolean' };
      }
      case 'like': {
        const fast = this.messageContains(e);
        if (fast !== null) return { sql: e.negated ? `(NOT ${fast})` : fast, type: 'boolean' };
        const operand = textSql(this.arg(e.operand, mode));
        const pattern = this.arg(e.pattern, mode);
        let sql: string;
        if (e.mode === 'substring')
          sql = e.caseInsensitive
            ? `contains(lower(${operand}), lower(${textSql(pattern)}))`
            : `contains(${operand}, ${textSql(pattern)})`;
        else {
          const likePattern =
            e.mode !== 'glob'
              ? textSql(pattern)
              : e.pattern.kind === 'string'
                ? sqlLiteral(globToLike(e.pattern.value))
                : globToLikeSql(textSql(pattern));
          sql = `${operand} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${likePattern} ESCAPE '\\'`;
        }
        return { sql: e.negated ? `(NOT coalesce(${sql}, FALSE))` : `(${sql})`, type: 'boolean' };
      }
      case 'subquery': {
        const inner = new Compiler(this.dialect, this.range, this.context).compile(e.plan);
        for (const w of inner.warnings) this.warnings.set(w.message, w);
        const operand = textSql(this.arg(e.operand, mode));
        // Without the NULLs, which would make every `NOT IN` unknown.
        const column = sqlIdent(inner.columns[0]!);
        const values = `SELECT CAST(${column} AS VARCHAR) FROM (${inner.sql}) AS _q${++this.counter} WHERE ${column} IS NOT NULL`;
        return { sql: `(${operand} ${e.negated ? 'NOT IN' : 'IN'} (${values}))`, type: 'boolean' };
      }
      case 'regex': {
        const operand = textSql(this.arg(e.operand, mode));
        const sql = `regexp_matches(${operand}, ${sqlLiteral(re2Pattern(e.pattern))}${e.caseInsensitive ? ", 'i'" : ''})`;
        return { sql: e.negated ? `(NOT coalesce(${sql}, FALSE))` : sql, type: 'boolean' };
      }
    }
  }

  /** A substring test on the record line (`@message like "REJECT"`, Sumo keywords) done field by field. */
  private messageContains(e: Extract<Expr, { kind: 'like' }>): string | null {
    if (e.mode !== 'substring' || e.pattern.kind !== 'string' || e.operand.kind !== 'field') return null;
    const c = this.lookup(e.operand.name, e.operand.span);
    if (c.sql !== this.messageSql()) return null;
    const customFormats = (this.context.importLayouts ?? []).length > 0;
    return messageContainsSql(e.pattern.value, e.caseInsensitive ?? false, customFormats, this.context.lineFields);
  }

  /** A record's field as the dialect reads it, from which imports' formats have it (see `fieldAsLogged`). */
  private recordField(f: BaseField): LoggedField {
    return fieldAsLogged(f, this.context.recordFormats);
  }

  /** A flow-log field named otherwise than CloudWatch discovers it (`dstport`) is found here, not there. */
  private warnUndiscovered(name: string, span: SourceSpan): void {
    const discovered = this.dialect === 'insights' ? discoveredNameFor(name) : undefined;
    if (discovered === undefined || this.warnings.has(name)) return;
    this.warnings.set(name, {
      message: `CloudWatch names this field \`${discovered}\`: there \`${name}\` is a field no record has (names keep their case).`,
      hint: `write \`${discovered}\` to run the same query in CloudWatch`,
      span,
    });
  }

  /** Insights runs a query over a field no record has, as CloudWatch does, and says so. */
  private warnAbsent(name: string, aws: string, span: SourceSpan): void {
    if (this.dialect !== 'insights' || this.warnings.has(name)) return;
    this.warnings.set(name, { message: `No field \`${name}\` here: the records' formats have no ${aws}.`, span });
  }

  private messageSql(): string {
    const line = this.context.lineFields;
    return line ? columnsLineSql(line) : messageSql(this.context.importLayouts);
  }

  private arg(e: Expr, mode: 'row' | 'aggregate' | 'inside'): Arg {
    return { ...this.expr(e, mode), expr: e };
  }

  /** The two sides of a comparison, converted so DuckDB compares like with like. */
  private comparable(a: Arg, b: Arg): [string, string] {
    // A number and a text that is not one (`dest_port != ""`) compare as the texts the dialect sees.
    if (isNonNumericText(a) && b.type === 'number') return [a.sql, textSql(b)];
    if (isNonNumericText(b) && a.type === 'number') return [textSql(a), b.sql];
    const convert = (x: Arg, other: Arg): string => {
      if (other.type === 'time' && x.type === 'string') return `CAST(${x.sql} AS TIMESTAMP)`;
      if (other.type === 'time' && x.type === 'number') return `epoch_ms(CAST(${x.sql} AS BIGINT))`;
      if (other.type === 'number' && (x.type === 'string' || x.type === 'any') && x.expr.kind !== 'null')
        return numeric(x);
      return x.sql;
    };
    return [convert(a, b), convert(b, a)];
  }

  private binary(
    e: Extract<Expr, { kind: 'binary' }>,
    mode: 'row' | 'aggregate' | 'inside',
  ): { sql: string; type: ValueType } {
    const left = this.arg(e.left, mode);
    const right = this.arg(e.right, mode);
    switch (e.op) {
      case 'and':
      case 'or': {
        const [l, r] = [condition(left), condition(right)];
        const merged = this.equalityLists.merged(e.op, l, r);
        return { sql: merged ?? `(${l} ${e.op.toUpperCase()} ${r})`, type: 'boolean' };
      }
      case '=':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const op = e.op === '!=' ? '<>' : e.op;
        const [l, r] = this.comparable(left, right);
        const plain = `(${l} ${op} ${r})`;
        const sql = dashComparison(op, left, right, plain);
        // A field compared with a constant as written: the makings of an IN list (equality-lists.ts).
        if (isLiteral(e.right) && !isLiteral(e.left)) {
          const lists = this.equalityLists;
          if (op === '=' && sql === plain) return { sql: lists.equality(l, r, e.right.kind), type: 'boolean' };
          if (op === '<>' && sql === plain) return { sql: lists.inequality(l, r, e.right.kind, null), type: 'boolean' };
          if (op === '<>' && sql === orWhenDash(left.sql, plain, true))
            return { sql: lists.inequality(l, r, e.right.kind, left.sql), type: 'boolean' };
        }
        return { sql, type: 'boolean' };
      }
      default: {
        const op = e.op === '^' ? '**' : e.op;
        // CloudWatch and Sumo compute in doubles and never overflow; DuckDB's BIGINT `*` fails past 9.2e18. A
        // HUGEINT zero makes integer sums, differences and products exact up to 1.7e38 (shown as integers, as
        // they were), and leaves a DOUBLE a DOUBLE.
        const l = op === '+' || op === '-' || op === '*' ? `(${numeric(left)} + CAST(0 AS HUGEINT))` : numeric(left);
        return { sql: `(${l} ${op} ${numeric(right)})`, type: 'number' };
      }
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>, mode: 'row' | 'aggregate' | 'inside'): Compiled {
    // After stats, `sort count(*)` names the column `count(*)` made.
    if (mode === 'row' && !this.state.base) {
      const written = this.state.columns.find((c) => c.name.replace(/\s+/g, '') === callText(e));
      if (written) return { sql: written.sql, type: written.type };
    }
    const f = lookupFunction(e.name, this.dialect, e.star ? undefined : e.args.length);
    if (!f) {
      const known = functionsOf(this.dialect).map((x) => x.name);
      const language = this.dialect === 'insights' ? 'CloudWatch Logs Insights' : 'Sumo Logic';
      throw new QueryProblem(
        `Unknown function \`${e.name}\`: neither ${language} nor Flowscope's enrichment has a function of that name.`,
        e.nameSpan,
        didYouMean(e.name, known),
      );
    }
    if (f.kind === 'aggregate' && mode !== 'aggregate') {
      const why =
        mode === 'inside'
          ? 'Aggregate functions cannot be nested.'
          : `\`${f.name}\` is an aggregate function: use it in stats.`;
      throw new QueryProblem(
        why,
        e.nameSpan,
        mode === 'inside' ? undefined : `for example: stats ${f.name}(...) by srcAddr`,
      );
    }
    if (e.star && !f.star) throw new QueryProblem(`\`${f.name}(*)\` is not allowed.`, e.span, `write ${f.name}(field)`);
    if (!e.star && (e.args.length < f.minArgs || e.args.length > f.maxArgs)) {
      const count =
        f.minArgs === f.maxArgs
          ? `${f.minArgs}`
          : `${f.minArgs} ${f.maxArgs === f.minArgs + 1 ? 'or' : 'to'} ${f.maxArgs}`;
      throw new QueryProblem(
        `\`${f.name}\` takes ${count} argument${f.maxArgs === 1 && f.minArgs === 1 ? '' : 's'}, not ${e.args.length}.`,
        e.span,
        f.signature,
      );
    }
    const inner = f.kind === 'aggregate' ? 'inside' : mode;
    const args = e.args.map((a) => this.arg(a, inner));
    const ctx: FunctionContext = {
      literal: sqlLiteral,
      problem: (message, span, hint) => new QueryProblem(message, span, hint),
      timestamp: (at) => {
        const c = this.state.base ? baseField('@timestamp')! : this.state.columns.find((x) => x.type === 'time');
        if (!c)
          throw new QueryProblem(
            `\`${f.name}\` needs the record time, which is gone after stats.`,
            at,
            'group by bin(...) in the first stats instead',
          );
        return c.sql;
      },
      call: e,
      range: this.bounds,
      // Sumo sorts a field by its text (`sortKeys`).
      sortKey: (arg, descending) =>
        this.dialect === 'sumo' ? textSql(arg) : naturalOrderRow(textSql(arg), this.naturalKeys(arg), descending),
      warn: (message, span, hint) => {
        if (!this.warnings.has(message)) this.warnings.set(message, { message, span, ...(hint ? { hint } : {}) });
      },
    };
    const type = typeof f.returns === 'function' ? f.returns(args) : f.returns;
    const dash = f.keepsDash !== undefined && f.keepsDash(args) && args.some((a) => a.dash);
    return { sql: f.compile(args, ctx), type, ...(dash ? { dash } : {}) };
  }
}

/** The name a SQL expression is when it is only a column name (`"bytes"`, `start_time`), else null. */
function bareName(sql: string): string | null {
  const m = /^(?:"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_]*))$/.exec(sql);
  return m ? (m[1]?.replace(/""/g, '"') ?? m[2]!) : null;
}

/** A call as written without blanks, e.g. `count(*)`, `sum(bytes)`. */
function callText(e: Expr): string {
  switch (e.kind) {
    case 'call':
      return `${e.name}(${e.star ? '*' : e.args.map(callText).join(',')})`;
    case 'field':
      return e.name;
    case 'number':
      return e.text;
    case 'string':
      return JSON.stringify(e.value);
    case 'duration':
      return e.text;
    default:
      return '?';
  }
}

/**
 * A GROUP BY or ORDER BY key that is a whole number (`5 as x | count by x`, Sumo's `1m`) as a value: DuckDB
 * reads a bare one as the place of a selected column.
 */
function notPositional(sql: string): string {
  return /^\d+$/.test(sql) ? `CAST(${sql} AS BIGINT)` : sql;
}

function isNonNumericText(x: Arg): boolean {
  return x.expr.kind === 'string' && (x.expr.value.trim() === '' || Number.isNaN(Number(x.expr.value)));
}

function isLiteral(e: Expr): boolean {
  return e.kind === 'string' || e.kind === 'number' || e.kind === 'boolean' || e.kind === 'null';
}

/** Whether the text `value` equals the literal `e` as the dialects compare them. */
function literalEquals(value: string, e: Expr): boolean {
  return e.kind === 'string' ? e.value === value : e.kind === 'number' ? Number(value) === e.value : false;
}

/** `sql`, and also true where `column` holds `-` (SQL NULL) when the test holds for `-`. */
function orWhenDash(column: string, sql: string, holdsForDash: boolean): string {
  return holdsForDash ? `(${column} IS NULL OR ${sql})` : sql;
}

/** Whether `'-' op literal` holds (`dashOnLeft`) or `literal op '-'`; `-` is text and never a number. */
function dashCompares(op: string, literal: Expr, dashOnLeft: boolean): boolean {
  if (literal.kind !== 'string' && literal.kind !== 'number') return false;
  if (op === '=') return literalEquals('-', literal);
  if (op === '<>') return !literalEquals('-', literal);
  if (literal.kind === 'number' || !Number.isNaN(Number(literal.value))) return false;
  const [a, b] = dashOnLeft ? ['-', literal.value] : [literal.value, '-'];
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/**
 * A comparison as the dialect sees the record: a side that is a field the log wrote as `-` (stored NULL)
 * compares as the text `-`. `sql` is the comparison of the stored values.
 */
function dashComparison(op: string, left: Arg, right: Arg, sql: string): string {
  if (!left.dash && !right.dash) return sql;
  // Two values as logged: numbers compare as numbers (`srcPort < dstPort`), a `-` as text.
  if (left.dash && right.dash)
    return `(CASE WHEN ${left.sql} IS NULL OR ${right.sql} IS NULL THEN ${textSql(left)} ${op} ${textSql(right)} ELSE ${sql} END)`;
  const [dash, other] = left.dash ? [left, right] : [right, left];
  if (other.expr.kind === 'string' && other.expr.value === '-' && (op === '=' || op === '<>'))
    return `(${dash.sql} IS ${op === '=' ? '' : 'NOT '}NULL)`;
  if (isLiteral(other.expr)) return orWhenDash(dash.sql, sql, dashCompares(op, other.expr, left.dash === true));
  const whenDash = left.dash ? `('-' ${op} ${textSql(other)})` : `(${textSql(other)} ${op} '-')`;
  return `(CASE WHEN ${dash.sql} IS NULL THEN ${whenDash} ELSE ${sql} END)`;
}

/**
 * Insights' `stats … by bin() offset <d>`: how far back the records are read (their time range moves back,
 * the bins forward, so each bin shows the one a period earlier). The stats it ends must be the query's first,
 * which reads the records.
 */
export function statsOffset(plan: Plan): number | undefined {
  const stats = plan.stages.filter((s) => s.kind === 'stats');
  const shifted = stats.find((s) => s.offsetMs !== undefined);
  if (shifted === undefined) return undefined;
  if (shifted !== stats[0] || plan.stages.some((s) => s.kind === 'diff'))
    throw new QueryProblem(
      '`offset` moves the time range the records are read from, so it belongs on the first `stats`, in a query without `diff`.',
      shifted.span,
      'for example: stats count(*) by bin(5m) offset 1h',
    );
  return shifted.offsetMs;
}

/** The time range moved back by `ms` (an open end stays open). */
export function shiftRange(range: TimeBounds | null | undefined, ms: number): TimeBounds | null {
  if (!range) return null;
  const back = (iso: string | null | undefined) => (iso ? new Date(instantMs(iso) - ms).toISOString() : null);
  return { from: back(range.from), to: back(range.to), ...(range.where ? { where: range.where } : {}) };
}

/** A Sumo-style glob (`*` any text) as a LIKE pattern. */
function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** `globToLike` in SQL, for a pattern a field holds (Sumo's `host matches pattern_field`). */
function globToLikeSql(glob: string): string {
  return `replace(replace(replace(replace(${glob}, '\\', '\\\\'), '%', '\\%'), '_', '\\_'), '*', '%')`;
}

/** The range `diff` compares with: the one before, of the same length, or a day, week or month earlier. */
function previousRange(
  range: TimeBounds | null | undefined,
  period: Extract<Stage, { kind: 'diff' }>['period'],
  span: SourceSpan,
): TimeBounds {
  if (!range?.from || !range.to)
    throw new QueryProblem(
      '`diff` compares the time range of the query with an earlier one: choose a time range with a start and an end.',
      span,
      'in the command line: --from and --to',
    );
  const from = new Date(instantMs(range.from));
  const to = new Date(instantMs(range.to));
  const shift = (d: Date): string => {
    const x = new Date(d);
    if (typeof period === 'number') x.setTime(d.getTime() - period);
    else if (period === 'previous') x.setTime(d.getTime() - (to.getTime() - from.getTime()));
    else if (period === 'day') x.setUTCDate(x.getUTCDate() - 1);
    else if (period === 'week') x.setUTCDate(x.getUTCDate() - 7);
    else x.setUTCMonth(x.getUTCMonth() - 1);
    return x.toISOString();
  };
  return { ...range, from: shift(from), to: shift(to) };
}

/** Compile a plan; errors come back as a QueryProblem. */
export function compilePlan(plan: Plan, range?: TimeBounds | null, context: CompileContext = {}): CompiledQuery {
  return new Compiler(plan.dialect, range, context).compile(plan);
}

/**
 * Sumo's source metadata (`count by _sourceCategory`) is what its collectors give a source: the workspace's
 * records have none, and a scope term on it is kept as a no-op. Said so, with what does name a record's origin.
 */
function sourceMetadataHint(dialect: PipeDialect, name: string): string | undefined {
  if (dialect !== 'sumo' || !SCOPE_METADATA.some((m) => m.toLowerCase() === name.toLowerCase())) return undefined;
  return `\`${name}\` is metadata Sumo's collectors give a source, which the workspace's records have none of (in the scope it is passed over); \`@log\` names the file, S3 object or log group each record came from`;
}
