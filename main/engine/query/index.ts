/**
 * The engine's query channels: compile a query (any dialect) with `queries/language`, run the SQL through
 * the workspace's query runner, page through kept results, complete at a cursor, cancel by id.
 * A query that does not compile fails with `query_error` (or `query_refused` for SQL that is not one
 * read-only query), the first diagnostic in the message and all of them in `detail.diagnostics`.
 */
import type { Output, ParsedInput, QueryDiagnostic } from '../../../preload/contract';
import { planChart } from '../../../queries/chart/chart-data';
import { complete } from '../../../queries/language/complete';
import { compileQuery, type CompileContext } from '../../../queries/language';
import type { LookupTableInfo } from '../../../queries/language/imported-tables';
import { withFilters } from '../../../queries/library/dashboard-filters';
import { FlowscopeError } from '../errors';
import type { Workspace } from '../workspace';
import type { AddressDataOptions } from '../workspace/address-data';
import { QueryRunner, type ResultPurpose } from '../workspace/query-runner';

/** How long a query may run before it is interrupted, unless the engine or the call says otherwise. */
export const DEFAULT_QUERY_TIMEOUT_MS = 5 * 60_000;

export function describeDiagnostic(d: QueryDiagnostic): string {
  return `line ${d.span.line}, column ${d.span.column}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}

/**
 * DuckDB quotes the statement it ran under its message ("LINE 1: ..." and a caret); for a compiled or
 * time-bound query that is not the text the user wrote, so that part is left out.
 */
function withoutRewrittenText(err: unknown): unknown {
  if (!(err instanceof FlowscopeError) || err.code !== 'query_error') return err;
  return new FlowscopeError(err.code, err.message.replace(/\s*\n+\s*LINE \d+:[\s\S]*$/, ''), err.detail);
}

export class QueryService {
  private readonly runner: QueryRunner;

  constructor(
    workspace: Workspace,
    private readonly timeoutMs = DEFAULT_QUERY_TIMEOUT_MS,
    addressData: AddressDataOptions,
  ) {
    this.runner = new QueryRunner(workspace, addressData);
  }

  async run(input: ParsedInput<'query.run'>, purpose: ResultPurpose = 'query'): Promise<Output<'query.run'>> {
    const started = performance.now();
    const compiled = compileQuery(input.query, {
      dialect: input.dialect,
      timeRange: withFilters(input.timeRange, input.filters),
      context: this.context(),
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
        ...(input.queryId !== undefined ? { queryId: input.queryId } : {}),
        timeoutMs: input.timeoutMs ?? this.timeoutMs,
        pageSize: input.pageSize,
        purpose,
      })
      .catch((err: unknown) => {
        throw compiled.sql === input.query ? err : withoutRewrittenText(err);
      });
    return {
      ...page,
      dialect: compiled.dialect,
      ...(compiled.note ? { note: compiled.note } : {}),
      sql: compiled.sql,
      elapsedMs: performance.now() - started,
      ...(compiled.warnings?.length ? { warnings: compiled.warnings } : {}),
    };
  }

  /** What the compiler needs to know of the workspace: its imported lookup tables. */
  private context(): CompileContext {
    return { lookupTables: this.runner.lookupTables.list() };
  }

  /** Imports (or replaces) a lookup table from a CSV file; `threat` is the threat list. */
  importLookupTable(name: string, path: string): Promise<LookupTableInfo> {
    return this.runner.lookupTables.import(name, path);
  }

  lookupTables(): LookupTableInfo[] {
    return this.runner.lookupTables.list();
  }

  page(input: ParsedInput<'query.page'>): Promise<Output<'query.page'>> {
    return this.runner.page(input.resultId, input.offset, input.limit, input.sort);
  }

  /** A chart's data from every row of a kept result: two statements of `queries/chart/chart-data.ts`. */
  async chart(input: ParsedInput<'query.chart'>): Promise<Output<'query.chart'>> {
    const { table, columns } = this.runner.describe(input.resultId);
    const plan = planChart(table, columns, input.spec, input.width);
    if (!plan) return { spec: input.spec, columns: [], rows: [], reductions: [] };
    const probe = await this.runner.read(input.resultId, plan.probe);
    const [xs, series, lo, hi] = (probe.rows[0] ?? []).map((v) => (v === null ? null : Number(v)));
    const data = plan.data({ xs: xs ?? 0, series: series ?? 0, loMs: lo ?? null, hiMs: hi ?? null });
    const answer = await this.runner.read(input.resultId, data.sql);
    return { spec: input.spec, ...answer, reductions: data.reductions };
  }

  async compile(input: ParsedInput<'query.compile'>): Promise<Output<'query.compile'>> {
    const c = compileQuery(input.query, {
      dialect: input.dialect,
      timeRange: withFilters(input.timeRange, input.filters),
      context: this.context(),
    });
    return {
      dialect: c.dialect,
      ...(c.note ? { note: c.note } : {}),
      sql: c.sql,
      params: c.params,
      diagnostics: c.diagnostics,
      ...(c.warnings?.length ? { warnings: c.warnings } : {}),
    };
  }

  async complete(input: ParsedInput<'query.complete'>): Promise<Output<'query.complete'>> {
    return complete(input.query, input.cursor, input.dialect);
  }

  /** Export: a kept result written whole by DuckDB (see main/engine/library/export-result.ts). */
  copyResult(resultId: string, path: string, options: string): Promise<number> {
    return this.runner.copyResult(resultId, path, options);
  }

  async cancel(input: ParsedInput<'query.cancel'>): Promise<Output<'query.cancel'>> {
    return { cancelled: this.runner.cancel(input.queryId) };
  }

  /** Interrupt running queries and drop kept results (before the workspace closes or is rewritten). */
  close(): void {
    this.runner.close();
  }

  /** Every connection closed after `close` (interrupted statements ended first). */
  closed(): Promise<unknown> {
    return this.runner.closed();
  }
}
