/**
 * The engine's query channels: compile a query (any dialect) with `queries/language`, run the SQL through
 * the workspace's query runner, page through kept results, complete at a cursor, cancel by id.
 * A query that does not compile fails with `query_error` (or `query_refused` for SQL that is not one
 * read-only query), the first diagnostic in the message and all of them in `detail.diagnostics`.
 */
import type { ExportFormat, Output, ParsedInput, QueryDiagnostic, SortKey, TimeRange } from '../../../preload/contract';
import { planChart, unpivotedSpec } from '../../../queries/chart/chart-data';
import { resultAddsUp, resultMeanings } from '../../../queries/chart/result-meaning';
import { fieldValuesSql, MAX_FIELDS, summarised } from '../../../queries/chart/field-summary';
import {
  histogramBars,
  histogramBucketMs,
  histogramSpanSql,
  histogramSql,
} from '../../../queries/chart/record-histogram';
import { duckdbErrorDiagnostic } from '../../../queries/language/sql/duckdb-error';
import { athenaRuntimeMessage, athenaRuntimePlace } from '../../../queries/language/athena/runtime-errors';
import { regexProblem } from '../../../queries/language/re2';
import { complete } from '../../../queries/language/complete';
import { compileQuery, type CompileContext } from '../../../queries/language';
import { timeRangeSql } from '../../../queries/language/compile';
import { isoTimeMs } from '../../../queries/catalog/iso-time';
import type { LookupTableSummary } from '../workspace/lookup-tables';
import { withFilters } from '../../../queries/library/dashboard-filters';
import { FlowscopeError } from '../errors';
import type { Workspace } from '../workspace';
import { RemoteService, type RemoteOptions } from '../remote';
import { workspaceFormats, type WorkspaceFormats } from './import-layouts';
import { KeptUntilWrite } from '../workspace/kept-until-write';
import type { AddressDataOptions } from '../workspace/address-data';
import { QueryRunner, type FollowUp, type ResultPurpose } from '../workspace/query-runner';

/** How long a query may run before it is interrupted, unless the engine or the call says otherwise. */
const DEFAULT_QUERY_TIMEOUT_MS = 5 * 60_000;

export function describeDiagnostic(d: QueryDiagnostic): string {
  return `line ${d.span.line}, column ${d.span.column}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}

/**
 * DuckDB quotes the statement it ran under its message ("LINE 1: ..." and a caret); for a compiled or
 * time-bound query that is not the text the user wrote, so that part is left out.
 */
function isQueryError(err: unknown): boolean {
  return err instanceof FlowscopeError && err.code === 'query_error';
}

function withoutRewrittenText(err: unknown): unknown {
  if (!(err instanceof FlowscopeError) || err.code !== 'query_error') return err;
  return new FlowscopeError(err.code, err.message.replace(/\s*\n+\s*LINE \d+:[\s\S]*$/, ''), err.detail);
}

/** A failure of a translated Athena query, with Trino's message where DuckDB's differs, at its place in `text` where one is found. */
function inTrinoWords(err: unknown, text: string): unknown {
  if (!isQueryError(err)) return err;
  const e = err as FlowscopeError;
  const message = athenaRuntimeMessage(e.message);
  const span = athenaRuntimePlace(e.message, text);
  if (!span) return new FlowscopeError(e.code, message, e.detail);
  const located: QueryDiagnostic = { message, span };
  return new FlowscopeError(e.code, describeDiagnostic(located), { diagnostics: [located] });
}

/** Results whose counting SQL is kept for `query.stats` (more than the runner keeps results). */
const KEEP_COUNTS = 64;

/** What `query.stats` and `query.histogram` count for a result: SQL the compiler wrote, and the time range. */
interface Counts {
  matched: string | null;
  /** Null: the query reads no records (`SELECT 1`), so it scanned none of the workspace's. */
  scanned: string | null;
  /** The matched records' times and actions, for a list of records. */
  records: string | null;
  range: TimeRange | null;
}

function whereOf(conditions: string[]): string {
  return conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
}

export class QueryService {
  private readonly runner: QueryRunner;
  /** Queries sent to Athena or CloudWatch; their answers are kept by the same runner. */
  readonly remote: RemoteService;
  /** For each recent result, the SQL of its records matched and scanned. */
  private readonly counts = new Map<string, Counts>();

  constructor(
    workspace: Workspace,
    private readonly timeoutMs = DEFAULT_QUERY_TIMEOUT_MS,
    addressData: AddressDataOptions,
    remote: RemoteOptions = {},
  ) {
    this.runner = new QueryRunner(workspace, addressData);
    this.remote = new RemoteService(this.runner, remote);
    this.formats = new KeptUntilWrite(workspace, () => workspaceFormats(workspace));
  }

  async run(input: ParsedInput<'query.run'>, purpose: ResultPurpose = 'query'): Promise<Output<'query.run'>> {
    const started = performance.now();
    const compiled = compileQuery(input.query, {
      dialect: input.dialect,
      timeRange: withFilters(input.timeRange, input.filters),
      context: await this.contextFor(input.queryId),
    });
    const first = compiled.diagnostics[0];
    if (compiled.sql === null || first) {
      const diagnostic = first ?? {
        message: 'The query did not compile.',
        span: { offset: 0, line: 1, column: 1, length: 0 },
      };
      const note = compiled.note ? `. ${compiled.note}` : '';
      throw new FlowscopeError(
        compiled.refused ? 'query_refused' : 'query_error',
        describeDiagnostic(diagnostic) + note,
        {
          diagnostics: compiled.diagnostics,
        },
      );
    }
    const page = await this.runner
      .run({
        sql: compiled.sql,
        ...(compiled.transpose ? { transpose: compiled.transpose } : {}),
        ...(input.queryId !== undefined ? { queryId: input.queryId } : {}),
        timeoutMs: input.timeoutMs ?? this.timeoutMs,
        pageSize: input.pageSize,
        purpose,
        kindOf: resultMeanings(input.query, compiled.dialect, compiled.plan),
        addsUp: resultAddsUp(input.query, compiled.dialect, compiled.plan),
        cap: compiled.cap ?? null,
      })
      .catch(async (err: unknown) => {
        const regex = isQueryError(err) ? regexProblem((err as FlowscopeError).message, input.query) : null;
        if (regex) {
          const { diagnostic } = regex;
          if (!diagnostic) throw new FlowscopeError('query_error', regex.message);
          throw new FlowscopeError('query_error', describeDiagnostic(diagnostic), { diagnostics: [diagnostic] });
        }
        const located = compiled.dialect === 'sql' && isQueryError(err) ? await this.sqlDiagnostic(input.query) : null;
        if (located) throw new FlowscopeError('query_error', describeDiagnostic(located), { diagnostics: [located] });
        const shown = compiled.sql === input.query ? err : withoutRewrittenText(err);
        throw compiled.dialect === 'athena' ? inTrinoWords(shown, input.query) : shown;
      });
    this.remember(page.resultId, {
      matched: compiled.matchedSql ?? null,
      scanned:
        compiled.reads === 'none'
          ? null
          : `SELECT count(*) FROM main.flows${compiled.reads === 'all' ? '' : whereOf(timeRangeSql(withFilters(input.timeRange, input.filters)))}`,
      records: compiled.recordsSql ?? null,
      range: input.timeRange ?? null,
    });
    return {
      ...page,
      dialect: compiled.dialect,
      ...(compiled.note ? { note: compiled.note } : {}),
      sql: compiled.sql,
      elapsedMs: performance.now() - started,
      ...(compiled.warnings?.length ? { warnings: compiled.warnings } : {}),
      ...(compiled.recordsSql ? { records: true as const } : {}),
    };
  }

  /**
   * The counts remembered when a kept result's query ran; null for a result a remote engine answered (kept
   * without them). A result no longer kept fails `not_found`, in the runner's words, which the renderer takes
   * as "run it again": another kind of missing must not read as that.
   */
  private countsOf(resultId: string): Counts | null {
    const counts = this.counts.get(resultId);
    if (counts) return counts;
    this.runner.requireKept(resultId);
    return null;
  }

  /** Records matched and scanned by a kept result's query: the counts remembered when it ran. */
  stats(input: ParsedInput<'query.stats'>): Promise<Output<'query.stats'>> {
    return this.runner.followUp(input.queryId, async (work) => {
      const counts = this.countsOf(input.resultId);
      if (!counts)
        throw new FlowscopeError('bad_request', 'A remote engine answered this result: it has no local counts.');
      const [matched, scanned] = await Promise.all([
        counts.matched === null ? null : this.runner.count(counts.matched, work),
        counts.scanned === null ? null : this.runner.count(counts.scanned, work),
      ]);
      return { matched, scanned };
    });
  }

  /**
   * The histogram above a list of records: the matched records per round time bucket over the query's
   * range (its open ends closed by the records' own span), two statements of `record-histogram.ts`.
   */
  histogram(input: ParsedInput<'query.histogram'>): Promise<Output<'query.histogram'>> {
    return this.runner.followUp(input.queryId, (work) => this.countHistogram(input, work));
  }

  private async countHistogram(
    input: ParsedInput<'query.histogram'>,
    work: FollowUp,
  ): Promise<Output<'query.histogram'>> {
    const counts = this.countsOf(input.resultId);
    if (counts?.records == null) return null;
    // Read as the query read them: without an offset a time is UTC (Date.parse would take it as local time).
    let fromMs = counts.range?.from ? isoTimeMs(counts.range.from) : null;
    let toMs = counts.range?.to ? isoTimeMs(counts.range.to) : null;
    if (fromMs === null || toMs === null) {
      const [lo, hi] = (await this.runner.readOwn(histogramSpanSql(counts.records), work))[0] ?? [];
      fromMs ??= lo === null || lo === undefined ? Date.now() : Number(lo);
      toMs ??= hi === null || hi === undefined ? fromMs : Number(hi) + 1;
    }
    const bucketMs = histogramBucketMs(fromMs, toMs, histogramBars(input.width));
    const rows = await this.runner.readOwn(histogramSql(counts.records, bucketMs), work);
    const buckets = rows
      .filter(([at]) => at !== null)
      .map(([at, accept, reject, other]) => ({
        at: new Date(Number(at)).toISOString(),
        accept: Number(accept),
        reject: Number(reject),
        other: Number(other),
      }));
    const undatedRow = rows.find(([at]) => at === null);
    const undated = undatedRow ? undatedRow.slice(1).reduce<number>((n, v) => n + Number(v), 0) : 0;
    return {
      bucketMs,
      from: new Date(Math.floor(fromMs / bucketMs) * bucketMs).toISOString(),
      to: new Date(toMs).toISOString(),
      buckets,
      undated,
    };
  }

  /** The field sidebar: each named field's top values in a kept result, one small statement per field. */
  fields(input: ParsedInput<'query.fields'>): Promise<Output<'query.fields'>> {
    return this.runner.followUp(input.queryId, async (work) => {
      const { table, columns } = this.runner.describe(input.resultId);
      const fields: Output<'query.fields'>['fields'] = [];
      for (const column of columns.filter(summarised).slice(0, MAX_FIELDS)) {
        const { rows } = await this.runner.read(input.resultId, fieldValuesSql(table, column.name), work);
        fields.push({
          name: column.name,
          distinct: Number(rows[0]?.[2] ?? 0),
          values: rows.map(([value, count]) => ({ value: value ?? null, count: Number(count) })),
        });
      }
      return { fields };
    });
  }

  private remember(resultId: string, counts: Counts): void {
    this.counts.set(resultId, counts);
    if (this.counts.size > KEEP_COUNTS) this.counts.delete(this.counts.keys().next().value!);
  }

  /** What the compiler needs to know of the workspace: its imported lookup tables and its records' formats. */
  private async context(): Promise<CompileContext> {
    const { layouts, records } = await this.formats.get();
    return { lookupTables: this.runner.lookupTables.list(), importLayouts: layouts, recordFormats: records };
  }

  /**
   * The imports' formats, read again only after a write to the workspace: a read of the ledger takes a
   * connection of its own, which cost every query up to a second on a busy machine.
   */
  private readonly formats: KeptUntilWrite<WorkspaceFormats>;

  /**
   * The context for a query about to run: a cancel that comes while it is looked up (the runner does not know
   * the query yet) stops the query before it runs.
   */
  private async contextFor(queryId: string | undefined): Promise<CompileContext> {
    const pending = { cancelled: false };
    if (queryId) this.compiling.set(queryId, pending);
    try {
      const context = await this.context();
      if (pending.cancelled) throw new FlowscopeError('cancelled', 'The query was cancelled.');
      return context;
    } finally {
      if (queryId && this.compiling.get(queryId) === pending) this.compiling.delete(queryId);
    }
  }

  /** Queries whose compile context is being looked up, by id. */
  private readonly compiling = new Map<string, { cancelled: boolean }>();

  /** Imports (or replaces) a lookup table from a CSV file, named after the file unless `name`; `threat` is the threat list. */
  importLookupTable(name: string | undefined, path: string): Promise<LookupTableSummary> {
    return this.runner.lookupTables.import(name, path);
  }

  lookupTables(): LookupTableSummary[] {
    return this.runner.lookupTables.describe();
  }

  page(input: ParsedInput<'query.page'>): Promise<Output<'query.page'>> {
    return this.runner.followUp(input.queryId, (work) =>
      this.runner.page(input.resultId, input.offset, input.limit, input.sort, work),
    );
  }

  /** A chart's data from every row of a kept result: two statements of `queries/chart/chart-data.ts`. */
  chart(input: ParsedInput<'query.chart'>): Promise<Output<'query.chart'>> {
    return this.runner.followUp(input.queryId, (work) => this.chartData(input, work));
  }

  private async chartData(input: ParsedInput<'query.chart'>, work: FollowUp): Promise<Output<'query.chart'>> {
    const { table, columns } = this.runner.describe(input.resultId);
    const plan = planChart(table, columns, input.spec, input.width);
    if (!plan) return { spec: input.spec, columns: [], rows: [], reductions: [] };
    const probe = await this.runner.read(input.resultId, plan.probe, work);
    const row = probe.rows[0] ?? [];
    const read = (name: string) => {
      const v = row[probe.columns.findIndex((c) => c.name === name)];
      return v === null || v === undefined ? null : Number(v);
    };
    const data = plan.data({
      xs: read('xs') ?? 0,
      series: read('series') ?? 0,
      loMs: read('lo_ms'),
      hiMs: read('hi_ms'),
      unplacedRows: read('unplaced_rows'),
      unplacedValue: read('unplaced_value'),
      wholeValue: read('whole_value'),
      notFiniteRows: read('not_finite_rows'),
      noTimeRows: read('no_time_rows'),
      negativeRows: read('negative_rows'),
      mergedRows: read('merged_rows'),
    });
    const answer = await this.runner.read(input.resultId, data.sql, work);
    // The chart's columns mean what the result's columns of the same names mean.
    const kinds = new Map(columns.map((c) => [c.name, c.kind]));
    // A pivoted result's cells mean what its columns do (a count per source address).
    const drawn = unpivotedSpec(input.spec);
    const cells = columns.find((c) => c.name !== input.spec.x)?.kind;
    if (input.spec.pivoted && typeof drawn.y === 'string' && cells && !kinds.has(drawn.y)) kinds.set(drawn.y, cells);
    // A measure that does not add up says so to the chart too (a pie of averages shows no shares).
    const notAdding = new Set(columns.filter((c) => c.addsUp === false).map((c) => c.name));
    const described = answer.columns.map((c) => {
      const kind = kinds.get(c.name);
      return { ...c, ...(kind ? { kind } : {}), ...(notAdding.has(c.name) ? { addsUp: false as const } : {}) };
    });
    return { spec: input.spec, columns: described, rows: answer.rows, reductions: data.reductions };
  }

  /** Where DuckDB finds an error in SQL as the analyst wrote it, or null when it prepares (or says no position). */
  private async sqlDiagnostic(text: string): Promise<QueryDiagnostic | null> {
    const message = await this.runner.prepareError(text);
    return message === null ? null : duckdbErrorDiagnostic(message, text);
  }

  /** The query's errors with their positions; for SQL, DuckDB's own (parse and bind, nothing runs) as well. */
  async compile(input: ParsedInput<'query.compile'>): Promise<Output<'query.compile'>> {
    const c = compileQuery(input.query, {
      dialect: input.dialect,
      timeRange: withFilters(input.timeRange, input.filters),
      context: await this.context(),
    });
    if (c.dialect === 'sql' && c.sql !== null && c.diagnostics.length === 0) {
      const located = await this.sqlDiagnostic(input.query);
      if (located) c.diagnostics = [located];
    }
    return {
      dialect: c.dialect,
      ...(c.note ? { note: c.note } : {}),
      sql: c.sql,
      diagnostics: c.diagnostics,
      ...(c.warnings?.length ? { warnings: c.warnings } : {}),
    };
  }

  async complete(input: ParsedInput<'query.complete'>): Promise<Output<'query.complete'>> {
    return complete(input.query, input.cursor, input.dialect);
  }

  /**
   * Export: a kept result written whole by DuckDB (see main/engine/library/export-result.ts), stopped by
   * `query.cancel` with `queryId` like a query.
   */
  copyResult(
    resultId: string,
    path: string,
    options: string,
    format: ExportFormat,
    sort?: readonly SortKey[],
    queryId?: string,
  ): Promise<number> {
    return this.runner.followUp(queryId, (work) => this.runner.copyResult(resultId, path, options, format, sort, work));
  }

  async cancel(input: ParsedInput<'query.cancel'>): Promise<Output<'query.cancel'>> {
    const compiling = this.compiling.get(input.queryId);
    if (compiling) compiling.cancelled = true;
    return { cancelled: !!compiling || this.runner.cancel(input.queryId) || this.remote.cancel(input.queryId) };
  }

  /** Interrupt running queries and drop kept results (before the workspace closes or is rewritten). */
  close(): void {
    this.remote.close();
    this.runner.close();
  }

  /** Every connection closed after `close` (interrupted statements ended first). */
  closed(): Promise<unknown> {
    return this.runner.closed();
  }

  /** `close` for good (the engine closes): no query starts on the workspace after it. Answers `closed()`. */
  shutDown(): Promise<unknown> {
    this.remote.close();
    return this.runner.shutDown();
  }
}
