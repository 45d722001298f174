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
import { BASE_FIELDS, DEFAULT_DISPLAY, baseField, messageContainsSql, quoteIdent, type ValueType } from './field-names';
import { functionsOf, lookupFunction, type Arg, type FunctionContext, type PipeDialect } from './functions';
import { numeric, text as textSql } from './builtin-functions';
import type { Expr, Named, Plan, SourceSpan, Stage } from './plan';
import type { QueryDiagnostic } from './types';
import { QueryProblem, didYouMean } from './source';
import { lookupTableSql, type LookupTableInfo } from './imported-tables';
import { patternSql } from './insights/pattern';

export interface TimeBounds {
  from?: string | null;
  to?: string | null;
  /** One more condition on the records, as SQL built from validated values (dashboard filters: `queries/library/dashboard-filters.ts`). */
  where?: string | null;
}

export interface CompiledQuery {
  sql: string;
  params: (string | number | boolean)[];
  /** The result's column names, in order. */
  columns: string[];
  /** What the query did that the analyst may not expect (a field the records do not have reads as null). */
  warnings: QueryDiagnostic[];
  /**
   * A count of the records the query matched: those its first `stats` groups, or, without stats, those it
   * lists before a limit (so "10,000 of 13,915 records" can be said). Null when that is not one count.
   */
  matchedSql: string | null;
}

/** What the compiler knows of the workspace beyond the flow-log fields. */
export interface CompileContext {
  /** The lookup tables the analyst imported (Insights `lookup`). */
  lookupTables?: readonly LookupTableInfo[];
}

/** A column in scope: what the user calls it, and SQL for it in the current SELECT. */
interface Column {
  name: string;
  sql: string;
  type: ValueType;
  /** The stored column, for base fields. */
  column?: string;
}

export const INSIGHTS_MAX_RECORDS = 10_000;

/** Columns the compiler keeps for itself start with this; no name a user can write does. */
const HIDDEN = '\u0000';

interface OrderKey {
  sql: string;
  descending: boolean;
}

/** An item of a SELECT list: an expression and the name it gets (none for `*`). */
interface SelectItem {
  sql: string;
  alias?: string;
}

function orderText(k: OrderKey, sql = k.sql): string {
  return `${sql} ${k.descending ? 'DESC' : 'ASC'} NULLS LAST`;
}

interface Block {
  from: string;
  where: string[];
  groupBy: string[] | null;
  qualify: string | null;
  orderBy: OrderKey[];
  limit: number | null;
}

interface State {
  block: Block;
  /** Columns made by stages; with `base`, the flow-log fields are in scope behind them. */
  columns: Column[];
  base: boolean;
  /** Names the result shows; null: the default for the scope. */
  display: string[] | null;
}

/** SQL text for a literal value, escaped. */
export function sqlLiteral(value: string | number | boolean): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}

/** `2026-01-02T03:04:05Z` (or without offset, meaning UTC) as a DuckDB TIMESTAMP literal. */
export function timestampLiteral(iso: string): string {
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms))
    throw new QueryProblem(`\`${iso}\` is not an ISO 8601 time.`, { offset: 0, line: 1, column: 1, length: 0 });
  return `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

/** The time-range condition on `start_time`, or none. */
export function timeRangeSql(range: TimeBounds | undefined | null): string[] {
  const out: string[] = [];
  if (range?.from) out.push(`start_time >= ${timestampLiteral(range.from)}`);
  if (range?.to) out.push(`start_time < ${timestampLiteral(range.to)}`);
  if (range?.where) out.push(`(${range.where})`);
  return out;
}

function emptyBlock(from: string): Block {
  return { from, where: [], groupBy: null, qualify: null, orderBy: [], limit: null };
}

export class Compiler {
  private counter = 0;
  private state: State;
  private readonly warnings = new Map<string, QueryDiagnostic>();
  private matchedSql: string | null = null;

  constructor(
    private readonly dialect: PipeDialect,
    private readonly range?: TimeBounds | null,
    private readonly context: CompileContext = {},
  ) {
    this.state = {
      block: { ...emptyBlock('main.flows'), where: timeRangeSql(range) },
      columns: [],
      base: true,
      display: null,
    };
  }

  compile(plan: Plan): CompiledQuery {
    const diff = plan.stages.findIndex((s) => s.kind === 'diff');
    if (diff >= 0) this.diff(plan, diff);
    for (const stage of plan.stages.slice(diff + 1)) this.stage(stage);
    // Like CloudWatch, a query of records (no stats, no limit) answers at most 10,000 of them.
    const aggregated = (s: Stage) =>
      s.kind === 'stats' || s.kind === 'limit' || s.kind === 'pattern' || s.kind === 'diff';
    if (plan.dialect === 'insights' && !plan.stages.some(aggregated)) {
      if (this.state.block.limit !== null || this.state.block.groupBy !== null) this.wrap();
      this.state.block.limit = INSIGHTS_MAX_RECORDS;
    }
    const display = this.displayColumns();
    const select = display.map((c) => ({ sql: c.sql, alias: quoteIdent(c.name) }));
    const final = this.state.block;
    const listed =
      this.matchedSql === null && final.groupBy === null
        ? `SELECT count(*) FROM (${this.render({ ...final, orderBy: [], limit: null }, select)})`
        : null;
    return {
      sql: this.render(final, select),
      params: [],
      columns: display.map((c) => c.name),
      warnings: [...this.warnings.values()],
      matchedSql: this.matchedSql ?? listed,
    };
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
        return this.fields(stage.items, stage.select, stage.replace ?? false);
      case 'parse':
        return this.parse(stage);
      case 'stats':
        return this.stats(stage.aggregates, stage.groupBy, stage.span);
      case 'sort':
        return this.sort(stage.keys);
      case 'limit':
        this.state.block.limit =
          this.state.block.limit === null ? stage.count : Math.min(this.state.block.limit, stage.count);
        return;
      case 'dedup':
        return this.dedup(stage.keys);
      case 'unnest':
        return this.unnest(stage);
      case 'lookup':
        return this.lookupStage(stage);
      case 'pattern':
        return this.pattern(stage);
      case 'diff':
        throw new QueryProblem('`diff` can be used once per query.', stage.span);
    }
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
        columns.map((x) => ({ sql: x.sql, alias: quoteIdent(x.name) })),
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
      sql: quoteIdent(name),
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
    const table = lookupTableSql(this.context.lookupTables ?? [], stage.table, keys, stage.outputs, ++this.counter);
    this.wrap();
    this.state.block.from += ` LEFT JOIN ${table.from} ON ${table.on}`;
    for (const o of table.outputs) {
      this.define({ name: o.name, sql: o.sql, type: 'string' });
      if (this.state.display !== null && !this.state.display.includes(o.name)) this.state.display.push(o.name);
    }
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
    this.state.block.where.push(sql.sql);
  }

  private fields(items: Named[], select: boolean, replace: boolean): void {
    if (this.state.block.limit !== null && this.state.block.groupBy === null) this.wrap();
    const names: string[] = [];
    for (const item of items) {
      const compiled = this.expr(item.expr, 'row');
      const isPlainField = item.expr.kind === 'field' && item.expr.name === item.name;
      if (!isPlainField)
        this.define({
          name: item.name,
          sql: compiled.sql,
          type: compiled.type,
          ...(compiled.column ? { column: compiled.column } : {}),
        });
      names.push(isPlainField ? this.lookup(item.name, item.span).name : item.name);
    }
    if (select)
      this.state.display =
        replace || this.state.display === null
          ? names
          : [...this.state.display, ...names.filter((n) => !this.state.display!.includes(n))];
  }

  private parse(stage: Extract<Stage, { kind: 'parse' }>): void {
    if (this.bindRecordFields(stage)) return;
    if (this.state.block.limit !== null || this.state.block.groupBy !== null) this.wrap();
    const source = this.arg(stage.source, 'row');
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
      this.define({ name: n.name, sql: f.sql, type: f.type, column: f.column! });
    });
    // The names describe the whole record: they replace the default columns (which would repeat them under
    // their Insights names) rather than follow them.
    const names = stage.names.map((n) => n.name);
    this.state.display =
      this.state.display === null
        ? ['@timestamp', ...names.filter((n) => n !== '@timestamp')]
        : [...this.state.display, ...names.filter((n) => !this.state.display!.includes(n))];
    return true;
  }

  private stats(aggregates: Named[], groupBy: Named[], span: SourceSpan): void {
    const b = this.state.block;
    if (b.groupBy !== null || b.limit !== null || b.qualify !== null) this.wrap();
    // The records the first stats groups are the ones the query matched.
    this.matchedSql ??= this.render({ ...this.state.block, orderBy: [] }, [{ sql: 'count(*)' }]);
    this.state.block.orderBy = [];
    const keys = groupBy.map((g) => ({ named: g, value: this.expr(g.expr, 'row') }));
    const values = aggregates.map((a) => ({ named: a, value: this.expr(a.expr, 'aggregate') }));
    if (values.length === 0)
      throw new QueryProblem(
        'stats needs at least one aggregate function.',
        span,
        'for example: stats count(*) by srcAddr',
      );
    const columns: Column[] = [];
    for (const { named, value } of [...keys, ...values]) {
      const dup = columns.find((c) => c.name === named.name);
      if (dup)
        throw new QueryProblem(
          `Two result columns are named \`${named.name}\`.`,
          named.span,
          'give one of them another name with `as`',
        );
      columns.push({ name: named.name, sql: value.sql, type: value.type });
    }
    this.state.block.groupBy = keys.map((k) => k.value.sql);
    // Time buckets (`bin()`, `timeslice`) come back in time order unless a later `sort` says otherwise:
    // a chart, the grid's first page and an export all read a time series from its start.
    const timeKey = keys.find((k) => k.value.type === 'time');
    if (timeKey) this.state.block.orderBy = [{ sql: timeKey.value.sql, descending: false }];
    this.state.columns = columns;
    this.state.base = false;
    this.state.display = null;
  }

  private sort(keys: Extract<Stage, { kind: 'sort' }>['keys']): void {
    if (this.state.block.limit !== null) this.wrap();
    this.state.block.orderBy = keys.map((k) => ({ sql: this.expr(k.expr, 'row').sql, descending: k.descending }));
  }

  private dedup(keys: Expr[]): void {
    if (this.state.block.limit !== null || this.state.block.qualify !== null) this.wrap();
    const partition = keys.map((k) => this.expr(k, 'row').sql).join(', ');
    const order = this.state.block.orderBy.length
      ? ` ORDER BY ${this.state.block.orderBy.map((k) => orderText(k)).join(', ')}`
      : '';
    this.state.block.qualify = `row_number() OVER (PARTITION BY ${partition}${order}) = 1`;
  }

  private visible(): Column[] {
    return this.state.columns.filter((c) => !c.name.startsWith(HIDDEN));
  }

  /** Add a computed column, hiding any earlier one of the same name. */
  private define(column: Column): void {
    this.state.columns = [...this.state.columns.filter((c) => c.name !== column.name), column];
  }

  private lookup(name: string, span: SourceSpan): Column {
    const own =
      this.state.columns.find((c) => c.name === name) ??
      this.state.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (own) return own;
    if (this.state.base) {
      const f = baseField(name);
      if (f) return { name: f.name, sql: f.sql, type: f.type, ...(f.column ? { column: f.column } : {}) };
    }
    const candidates = this.scopeNames();
    const hint =
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

  /** Close the current SELECT and start a new one over it. */
  private wrap(): void {
    const b = this.state.block;
    const grouped = b.groupBy !== null;
    const select: SelectItem[] = grouped ? [] : [{ sql: '*' }];
    const columns = this.state.columns.map((c) => {
      const alias = `_c${++this.counter}`;
      select.push({ sql: c.sql, alias });
      return { ...c, sql: alias };
    });
    // Keep the order across the wrap: keys that are not columns already ride along as hidden ones.
    const order = b.orderBy.map((key) => {
      let item = select.find((s) => s.alias !== undefined && s.sql === key.sql);
      if (!item) {
        item = { sql: key.sql, alias: `_o${++this.counter}` };
        select.push(item);
      }
      return { sql: item.alias!, descending: key.descending };
    });
    const alias = `_s${++this.counter}`;
    this.state.block = { ...emptyBlock(`(${this.render(b, select)}) AS ${alias}`), orderBy: order };
    this.state.columns = columns;
  }

  private render(b: Block, select: SelectItem[]): string {
    let sql = `SELECT ${select.map((s) => (s.alias === undefined ? s.sql : `${s.sql} AS ${s.alias}`)).join(', ')} FROM ${b.from}`;
    if (b.where.length) sql += ` WHERE ${b.where.map((w) => (b.where.length > 1 ? `(${w})` : w)).join(' AND ')}`;
    if (b.groupBy !== null && b.groupBy.length) sql += ` GROUP BY ${b.groupBy.join(', ')}`;
    if (b.qualify !== null) sql += ` QUALIFY ${b.qualify}`;
    // A key that is also a selected expression is ordered by its name, so DuckDB computes it once.
    const named = (k: OrderKey) => select.find((s) => s.alias !== undefined && s.sql === k.sql)?.alias ?? k.sql;
    if (b.orderBy.length) sql += ` ORDER BY ${b.orderBy.map((k) => orderText(k, named(k))).join(', ')}`;
    if (b.limit !== null) sql += ` LIMIT ${b.limit}`;
    return sql;
  }

  private displayColumns(): Column[] {
    const s = this.state;
    if (s.display !== null)
      return s.display
        .map((n) => this.lookup(n, { offset: 0, line: 1, column: 1, length: 0 }))
        .map((c, i) => ({ ...c, name: s.display![i]! }));
    if (!s.base) return this.visible();
    const defaults = DEFAULT_DISPLAY.map((n) => ({
      ...this.lookup(n, { offset: 0, line: 1, column: 1, length: 0 }),
      name: n,
    }));
    return [...defaults, ...this.visible().filter((c) => !DEFAULT_DISPLAY.includes(c.name))];
  }

  /**
   * Compile an expression. `mode`: 'row' for per-record (or per-group, after stats) expressions;
   * 'aggregate' for a stats item, where fields must sit inside an aggregate; 'inside' within an aggregate.
   */
  private expr(e: Expr, mode: 'row' | 'aggregate' | 'inside'): { sql: string; type: ValueType; column?: string } {
    switch (e.kind) {
      case 'field': {
        if (mode === 'aggregate') {
          throw new QueryProblem(
            `\`${e.name}\` must be inside an aggregate function here.`,
            e.span,
            `for example sum(${e.name}), or put it after \`by\``,
          );
        }
        const c = this.lookup(e.name, e.span);
        return { sql: c.sql, type: c.type, ...(c.column ? { column: c.column } : {}) };
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
        return { sql: `INTERVAL '${e.ms} milliseconds'`, type: 'any' };
      case 'call':
        return this.call(e, mode);
      case 'not':
        // A test on a missing value is false, as in Insights, so its negation is true.
        return { sql: `(NOT coalesce(${this.expr(e.operand, mode).sql}, FALSE))`, type: 'boolean' };
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
        return { sql: `(${lhs} ${e.negated ? 'NOT IN' : 'IN'} (${items.join(', ')}))`, type: 'boolean' };
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
            e.mode === 'glob' && e.pattern.kind === 'string'
              ? sqlLiteral(globToLike(e.pattern.value))
              : textSql(pattern);
          sql = `${operand} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${likePattern} ESCAPE '\\'`;
        }
        return { sql: e.negated ? `(NOT coalesce(${sql}, FALSE))` : `(${sql})`, type: 'boolean' };
      }
      case 'regex': {
        const operand = textSql(this.arg(e.operand, mode));
        const sql = `regexp_matches(${operand}, ${sqlLiteral(e.pattern)}${e.caseInsensitive ? ", 'i'" : ''})`;
        return { sql: e.negated ? `(NOT coalesce(${sql}, FALSE))` : sql, type: 'boolean' };
      }
    }
  }

  /** A substring test on the record line (`@message like "REJECT"`, Sumo keywords) done field by field. */
  private messageContains(e: Extract<Expr, { kind: 'like' }>): string | null {
    if (e.mode !== 'substring' || e.pattern.kind !== 'string' || e.operand.kind !== 'field') return null;
    const c = this.lookup(e.operand.name, e.operand.span);
    if (c.sql !== baseField('@message')!.sql) return null;
    return messageContainsSql(e.pattern.value, e.caseInsensitive ?? false);
  }

  private arg(e: Expr, mode: 'row' | 'aggregate' | 'inside'): Arg {
    const c = this.expr(e, mode);
    return { sql: c.sql, type: c.type, expr: e, ...(c.column ? { column: c.column } : {}) };
  }

  /** The two sides of a comparison, converted so DuckDB compares like with like. */
  private comparable(a: Arg, b: Arg): [string, string] {
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
      case 'or':
        return { sql: `(${left.sql} ${e.op.toUpperCase()} ${right.sql})`, type: 'boolean' };
      case '=':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const [l, r] = this.comparable(left, right);
        return { sql: `(${l} ${e.op === '!=' ? '<>' : e.op} ${r})`, type: 'boolean' };
      }
      default: {
        const op = e.op === '^' ? '**' : e.op;
        return { sql: `(${numeric(left)} ${op} ${numeric(right)})`, type: 'number' };
      }
    }
  }

  private call(
    e: Extract<Expr, { kind: 'call' }>,
    mode: 'row' | 'aggregate' | 'inside',
  ): { sql: string; type: ValueType } {
    // After stats, `sort count(*)` names the column `count(*)` made.
    if (mode === 'row' && !this.state.base) {
      const written = this.state.columns.find((c) => c.name.replace(/\s+/g, '') === callText(e));
      if (written) return { sql: written.sql, type: written.type };
    }
    const f = lookupFunction(e.name, this.dialect);
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
    };
    const type = typeof f.returns === 'function' ? f.returns(args) : f.returns;
    return { sql: f.compile(args, ctx), type };
  }
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

/** A Sumo-style glob (`*` any text) as a LIKE pattern. */
export function globToLike(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
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
  const from = new Date(timestampLiteral(range.from).slice(11, -1).replace(' ', 'T') + 'Z');
  const to = new Date(timestampLiteral(range.to).slice(11, -1).replace(' ', 'T') + 'Z');
  const shift = (d: Date): string => {
    const x = new Date(d);
    if (period === 'previous') x.setTime(d.getTime() - (to.getTime() - from.getTime()));
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
