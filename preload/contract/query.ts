import { z } from 'zod';
import { DashboardFilters } from '../../queries/library/dashboard-filters';
import { CompletionOption, Dialect, QueryDiagnostic } from '../../queries/language/types';
import { ChartSpec } from '../../queries/library/saved-query';
import { QUERY_MAX_CHARS, QUERY_TOO_LONG } from './query-text';
import { CellValue, Column, TimeRange } from './wire';

/** The dialects, diagnostics and completion options are the query languages' own shapes. */
export { CompletionOption, Dialect, QueryDiagnostic };

const QueryText = z.string().max(QUERY_MAX_CHARS, QUERY_TOO_LONG);

export const SortKey = z.object({ column: z.string(), descending: z.boolean() });
export type SortKey = z.infer<typeof SortKey>;

export const ResultPage = z.object({
  resultId: z.string(),
  columns: z.array(Column),
  rows: z.array(z.array(CellValue)),
  offset: z.number().int(),
  rowCount: z.number(),
});
export type ResultPage = z.infer<typeof ResultPage>;

/** What a chart's data leaves out of its result, so the chart can say so (`queries/chart/chart-data.ts`). */
export const ChartReduction = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('top'),
    what: z.enum(['categories', 'series', 'links', 'rows', 'columns']),
    shown: z.number().int(),
    of: z.number().int(),
    /** The rest is drawn as one "Other" slice or series. */
    other: z.boolean(),
  }),
  z.object({
    kind: z.enum(['rebinned', 'downsampled']),
    points: z.number().int(),
    bucketMs: z.number().int(),
    /** Measures that do not add up (an average, a maximum): each re-binned bucket holds the highest of them. */
    highest: z.array(z.string()).optional(),
  }),
  /** Rows a map cannot place (no country: private or unknown addresses): how many, their measure, of the whole. */
  z.object({ kind: z.literal('unplaced'), rows: z.number().int(), value: z.number(), of: z.number() }),
  /** A box plot of more time slices than it draws: the latest `shown` of `of`. */
  z.object({ kind: z.literal('latest'), shown: z.number().int(), of: z.number().int() }),
  /** Rows whose measure is Infinity or NaN (a division by zero), which no chart can draw. */
  z.object({ kind: z.literal('not-finite'), rows: z.number().int() }),
  /** A time series' rows without a time, which have no place on its axis. */
  z.object({ kind: z.literal('no-time'), rows: z.number().int() }),
  /** A pie's rows whose measure is below zero, which no slice can show. */
  z.object({ kind: z.literal('negative'), rows: z.number().int() }),
  /** A heat map's or Sankey's rows drawn in the cell of another with the same keys: added up, or the highest. */
  z.object({ kind: z.literal('merged'), rows: z.number().int(), highest: z.boolean() }),
]);
export type ChartReduction = z.infer<typeof ChartReduction>;

/** A chart's data, made by the engine from the whole result in the size the chart draws. */
export const ChartData = z.object({
  spec: ChartSpec,
  columns: z.array(Column),
  rows: z.array(z.array(CellValue)),
  reductions: z.array(ChartReduction),
});
export type ChartData = z.infer<typeof ChartData>;

/** The chart a caller wants: a spec (null: chosen from the result's shape) and its width in pixels. */
export const ChartRequest = z.object({ spec: ChartSpec.nullable(), width: z.number().int().min(16).max(20_000) });

/**
 * Chosen by the caller of a follow-up on a result (a page, chart data, counts, the histogram, the fields),
 * so that it can be stopped with `query.cancel` when the analyst has moved on (a new run, another range).
 */
const FollowUpId = z.string().max(64).optional();

export const queryChannels = {
  'query.run': {
    input: z.object({
      query: QueryText,
      dialect: Dialect.optional(),
      timeRange: TimeRange.optional(),
      /** Dashboard filters, applied to the records like the time range (every dialect). */
      filters: DashboardFilters.optional(),
      /** Chosen by the caller so that it can cancel the query while it runs. */
      queryId: z.string().max(64).optional(),
      /** Interrupt the query after this long (default: the engine's, 5 minutes). */
      timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
      pageSize: z.number().int().min(0).max(10_000).default(200),
    }),
    output: ResultPage.extend({
      dialect: Dialect,
      /** Why the text was read in this dialect, when detection says so (Athena SQL rather than DuckDB SQL). */
      note: z.string().optional(),
      elapsedMs: z.number(),
      sql: z.string(),
      /** What the query did that the analyst may not expect (Insights: a field the records lack is null; SQL: `main.flows` reads past the time range). */
      warnings: z.array(QueryDiagnostic).optional(),
      /**
       * Set only when Insights' implicit limit cut the answer: a list of records without stats or `limit`,
       * of which more matched than the 10,000 CloudWatch Logs Insights returns; the rows stop at this many.
       */
      cappedAt: z.number().int().optional(),
      /** Set when the answer is a list of records (a pipe query without stats): it opens as a table. */
      records: z.literal(true).optional(),
    }),
  },
  'query.page': {
    input: z.object({
      resultId: z.string(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(10_000),
      sort: z.array(SortKey).max(8).optional(),
      queryId: FollowUpId,
    }),
    output: ResultPage,
  },
  /** The data of a chart of a kept result (`query.run`'s `resultId`), from all of its rows. */
  'query.chart': {
    input: z.object({
      resultId: z.string().max(64),
      spec: ChartSpec,
      width: ChartRequest.shape.width,
      queryId: FollowUpId,
    }),
    output: ChartData,
  },
  /**
   * How many records a kept result's query matched (those its first stats grouped, or those it listed
   * before a limit; null when that is not known, as for SQL) and how many it scanned (the time range and
   * filters; every record for SQL that names `main.flows`; null for SQL that reads no records, `SELECT 1`):
   * asked after the answer shows, so counting never delays it.
   */
  'query.stats': {
    input: z.object({ resultId: z.string().max(64), queryId: FollowUpId }),
    output: z.object({ matched: z.number().nullable(), scanned: z.number().nullable() }),
  },
  /**
   * The histogram above a list of records (a pipe query without stats; null for anything else): every
   * record the query matched counted per round time bucket over its time range (else the matched records'
   * span), ACCEPT, REJECT and other records apart, in about as many bars as `width` pixels hold
   * (`queries/chart/record-histogram.ts`). Buckets without records are left out; `undated` counts records
   * without a start time, so the bars and it add up to the records matched.
   */
  'query.histogram': {
    input: z.object({ resultId: z.string().max(64), width: ChartRequest.shape.width, queryId: FollowUpId }),
    output: z
      .object({
        bucketMs: z.number(),
        from: z.string(),
        to: z.string(),
        buckets: z.array(z.object({ at: z.string(), accept: z.number(), reject: z.number(), other: z.number() })),
        undated: z.number(),
      })
      .nullable(),
  },
  /**
   * The field sidebar of a kept result: each field that names something (not times or measures) with its
   * most frequent values, their counts and its number of distinct values (`queries/chart/field-summary.ts`).
   */
  'query.fields': {
    input: z.object({ resultId: z.string().max(64), queryId: FollowUpId }),
    output: z.object({
      fields: z.array(
        z.object({
          name: z.string(),
          distinct: z.number(),
          values: z.array(z.object({ value: CellValue, count: z.number() })),
        }),
      ),
    }),
  },
  'query.compile': {
    input: z.object({
      query: QueryText,
      dialect: Dialect.optional(),
      timeRange: TimeRange.optional(),
      filters: DashboardFilters.optional(),
    }),
    output: z.object({
      dialect: Dialect,
      note: z.string().optional(),
      sql: z.string().nullable(),
      diagnostics: z.array(QueryDiagnostic),
      warnings: z.array(QueryDiagnostic).optional(),
    }),
  },
  'query.complete': {
    input: z.object({ query: QueryText, cursor: z.number().int().min(0), dialect: Dialect.optional() }),
    output: z.object({ from: z.number().int(), to: z.number().int(), options: z.array(CompletionOption) }),
  },
  /** Stops a query, or a follow-up on a result, by the id its caller chose; false when none runs under it. */
  'query.cancel': { input: z.object({ queryId: z.string().max(64) }), output: z.object({ cancelled: z.boolean() }) },
} as const;
