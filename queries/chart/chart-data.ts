/**
 * The data of a chart, in the size the chart needs, made by DuckDB from a whole kept result: a chart
 * never draws a first page as if it were the answer. Two statements over the result's table: a probe
 * (how many distinct x values, series, links; the time span), then the data:
 *  - a time series with more points than the chart has room for is re-binned into wider buckets of a
 *    round size (stacked areas and bars: the values of a bucket add up) or, for lines, downsampled to
 *    the minimum and the maximum of each bucket, so no peak and no dip is lost;
 *  - categories (bars, pie slices), series, Sankey links and heat-map rows are the largest N by the
 *    first measure; pies and series fold the rest into "Other";
 * and each reduction is reported, so the chart can say what was left out ("top 20 of 1,214").
 * Pure: it writes SQL; the engine runs it.
 */
import { sqlIdent } from '../catalog/sql-quote';
import { epochBucketSql } from '../catalog/time-buckets';
import { GRID_COLUMNS } from '../library/dashboard';
import type { ChartSpec } from '../library/saved-query';
import { isTimeSeries } from './chart-choice';
import type { Column } from './column-kind';

export const OTHER = 'Other';
export const NONE = '(none)';
/** Series beyond this many are folded into "Other", so a legend stays readable. */
export const MAX_SERIES = 10;
/** Bars (or points of a category line) a chart shows: the largest by the first measure. */
export const MAX_CATEGORIES = 20;
/** The column of a result row's place in the result, for chart data that keeps the result's order. */
const ROW = '"__flowscope_row"';
export const MAX_SLICES = 10;
export const MAX_LINKS = 15;
/**
 * Boxes a time box plot draws: every time slice up to this many (a day of minutes is 1,440, three are 4,320),
 * else the latest. Quartiles of slices cannot be added up into wider ones, so a box plot is never re-binned.
 */
export const MAX_BOXES = 10_000;
/** Rows and columns of a heat map. */
export const MAX_HEAT = 25;

/** A full-width dashboard panel's chart width, for the data it asks for (`panelChartWidth`). */
const DASHBOARD_WIDTH = 1200;

/**
 * The width a dashboard panel asks its chart's data for: its share of a full-width dashboard, from its
 * layout, not from the screen, so one panel has one cache entry, warmed before the dashboard opens.
 */
export function panelChartWidth(layout: { w: number }): number {
  return Math.round((DASHBOARD_WIDTH * layout.w) / GRID_COLUMNS);
}

/** Bucket widths a re-binned time series may get, so its buckets read as "5 minutes", not "4.3 minutes". */
const ROUND_BUCKETS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
].map((s) => s * 1000);

export type ChartReduction =
  | {
      kind: 'top';
      what: 'categories' | 'series' | 'links' | 'rows' | 'columns';
      shown: number;
      of: number;
      other: boolean;
    }
  | {
      kind: 'rebinned' | 'downsampled';
      points: number;
      bucketMs: number;
      /** Measures that do not add up (an average, a maximum): a re-binned bucket holds the highest of them. */
      highest?: string[];
    }
  | { kind: 'unplaced'; rows: number; value: number; of: number }
  | { kind: 'latest'; shown: number; of: number }
  | { kind: 'not-finite'; rows: number }
  | { kind: 'no-time'; rows: number }
  | { kind: 'negative'; rows: number }
  /** Rows drawn in the cell or link of another with the same two keys: their measure added up, or its `highest`. */
  | { kind: 'merged'; rows: number; highest: boolean };

/** What the probe statement answers, by column name. */
export interface ChartProbe {
  xs: number;
  series: number;
  loMs: number | null;
  hiMs: number | null;
  /** A map's rows without a place (`unplaced_rows`), their measure and the whole measure. */
  unplacedRows?: number | null;
  unplacedValue?: number | null;
  wholeValue?: number | null;
  /** Rows with a measure that is Infinity or NaN (`not_finite_rows`), which no chart can draw. */
  notFiniteRows?: number | null;
  /** A time series' rows without a time (`no_time_rows`), which have no place on its axis. */
  noTimeRows?: number | null;
  /** A pie's rows whose measure is below zero (`negative_rows`), which no slice can show. */
  negativeRows?: number | null;
  /** A heat map's or Sankey's rows beyond one per pair of keys (`merged_rows`), drawn in a cell with others. */
  mergedRows?: number | null;
}

export interface ChartPlan {
  /**
   * One row: `xs`, `series`, `lo_ms`, `hi_ms` (numbers or null), `not_finite_rows`; a map's also `unplaced_rows`,
   * `unplaced_value`, `whole_value`.
   */
  probe: string;
  /** The data statement (its columns: x, the series if any, then the measures, named as in the spec). */
  data(probe: ChartProbe): { sql: string; reductions: ChartReduction[] };
}

const q = sqlIdent;
const label = (column: string) => `coalesce(CAST(${q(column)} AS VARCHAR), '${NONE}')`;
/**
 * How many categories or series a column makes: NULL is one, drawn as "(none)" (a bare `count(DISTINCT)`
 * leaves it out, and the chart then got one more than it was told, which the drawing cut unannounced).
 */
const distinct = (column: string) => `count(DISTINCT ${label(column)})`;
const asNumber = (column: string) => `TRY_CAST(${q(column)} AS DOUBLE)`;
/** A measure as the chart draws it: a number, or NULL (nothing drawn) where it is none or not finite (1/0). */
const measure = (column: string) => `CASE WHEN isfinite(${asNumber(column)}) THEN ${asNumber(column)} END`;
/** What a pivoted result's columns and cells are called when its spec does not say. */
export const PIVOT_SERIES = 'column';
export const PIVOT_VALUE = 'value';

/** The spec a pivoted result's data is drawn with: its columns as one `series` column, its cells as `y`. */
export function unpivotedSpec(spec: ChartSpec): ChartSpec {
  if (!spec.pivoted) return spec;
  const { pivoted: _, ...rest } = spec;
  const y = Array.isArray(spec.y) ? spec.y[0] : spec.y;
  return { ...rest, series: spec.series ?? PIVOT_SERIES, y: y ?? PIVOT_VALUE };
}

/** The measures a spec draws, in order. */
export const ysOf = (spec: ChartSpec): string[] =>
  spec.y === undefined ? [] : Array.isArray(spec.y) ? spec.y : [spec.y];

/** The smallest round bucket that puts the span into at most `buckets` buckets. */
export function roundBucketMs(spanMs: number, buckets: number): number {
  const wanted = spanMs / Math.max(1, buckets);
  return ROUND_BUCKETS_MS.find((b) => b >= wanted) ?? Math.ceil(wanted / 86_400_000) * 86_400_000;
}

/**
 * How many buckets a time chart `width` pixels wide draws well: a line one value per pixel (two per
 * bucket, its minimum and maximum), an area one per two pixels, a bar one per three.
 */
function bucketsFor(type: ChartSpec['type'], width: number): number {
  const perBucket = type === 'bar' ? 3 : 2;
  return Math.max(8, Math.floor(width / perBucket));
}

/**
 * The plan of a chart's data from a result table, or null when the spec draws nothing (a table). A measure
 * that is Infinity or NaN (a division by zero) is drawn as nothing, and the chart says how many rows that left out.
 */
export function planChart(
  table: string,
  columns: readonly Column[],
  wanted: ChartSpec,
  width: number,
): ChartPlan | null {
  let spec = wanted;
  if (wanted.pivoted && wanted.x !== undefined) {
    // A pivoted result read back into rows of (x, column name, cell), its empty cells left out (UNPIVOT's
    // default), then drawn as any series chart: the largest MAX_SERIES by total and Other.
    spec = unpivotedSpec(wanted);
    const [series, y] = [spec.series!, ysOf(spec)[0]!];
    const xColumn = columns.find((c) => c.name === wanted.x);
    const cells = columns.find((c) => c.name !== wanted.x);
    if (!xColumn || !cells) return null;
    table =
      `(SELECT ${q(wanted.x)}, _name AS ${q(series)}, _cell AS ${q(y)} FROM ` +
      `(UNPIVOT ${table} ON COLUMNS(* EXCLUDE (${q(wanted.x)})) INTO NAME _name VALUE _cell)) AS _pivoted`;
    columns = [xColumn, { name: series, type: 'VARCHAR' }, { ...cells, name: y }];
  }
  // A kept result is a table in the query's order, whose rowid is that order; a pivot's rows have none.
  const plan = planDrawing(table, columns, spec, width, !wanted.pivoted);
  const ys = ysOf(spec);
  if (!plan || spec.type === 'number') return plan;
  const notFinite = ys.map((y) => `NOT isfinite(${asNumber(y)})`).join(' OR ');
  return {
    probe: `SELECT p.*, (SELECT count(*) FROM ${table} WHERE ${notFinite}) AS not_finite_rows FROM (${plan.probe}) AS p`,
    data(probe) {
      const drawn = plan.data(probe);
      const rows = probe.notFiniteRows ?? 0;
      return rows > 0 ? { ...drawn, reductions: [...drawn.reductions, { kind: 'not-finite', rows }] } : drawn;
    },
  };
}

function planDrawing(
  table: string,
  columns: readonly Column[],
  spec: ChartSpec,
  width: number,
  hasRowOrder: boolean,
): ChartPlan | null {
  const ys = ysOf(spec);
  if (spec.type === 'number' && ys.length > 0) {
    return {
      probe: 'SELECT 0 AS xs, 0 AS series, NULL AS lo_ms, NULL AS hi_ms',
      data: () => ({ sql: `SELECT ${ys.map(q).join(', ')} FROM ${table} LIMIT 1`, reductions: [] }),
    };
  }
  if (spec.type === 'table' || spec.x === undefined || ys.length === 0) return null;
  const x = spec.x;
  const series = spec.series;
  const yList = ys.map((y) => `${measure(y)} AS ${q(y)}`).join(', ');
  // A measure the query says does not add up (an average, a maximum, a distinct count) is never summed where
  // rows meet (a wider time bucket, the series or slices folded into Other): 30 one-minute maxima of 84 MB drew
  // as one bar of 2.5 GB, and a pie's Other of 1,020 averages dwarfed every slice. It takes the highest.
  const highest = ys.filter((y) => columns.find((c) => c.name === y)?.addsUp === false);
  const combined = (y: string) => `${highest.includes(y) ? 'max' : 'sum'}(${q(y)})`;
  const sums = ys.map((y) => `${combined(y)} AS ${q(y)}`).join(', ');
  const first = q(ys[0]!);
  // What ranks categories, series and cells: the first measure combined as where they meet.
  const total = combined(ys[0]!);

  if (spec.type === 'boxplot') {
    // One box per x value, every one drawn (its five values as the result has them, none re-binned): a time
    // axis the latest MAX_BOXES, categories the MAX_CATEGORIES with the largest maximum.
    const time = isTimeSeries(spec, columns);
    const xExpr = time ? `CAST(${q(x)} AS TIMESTAMP)` : label(x);
    const max = time ? MAX_BOXES : MAX_CATEGORIES;
    const last = q(ys[ys.length - 1]!);
    return {
      probe: `SELECT ${distinct(x)} AS xs, 0 AS series, NULL AS lo_ms, NULL AS hi_ms FROM ${table}`,
      data(probe) {
        const src = `SELECT ${xExpr} AS ${q(x)}, ${yList} FROM ${table}`;
        if (probe.xs <= max) return { sql: `SELECT * FROM (${src}) ORDER BY 1`, reductions: [] };
        const kept = time
          ? `SELECT * FROM (${src}) ORDER BY 1 DESC LIMIT ${max}`
          : `SELECT * FROM (${src}) ORDER BY ${last} DESC NULLS LAST, 1 LIMIT ${max}`;
        const reduction: ChartReduction = time
          ? { kind: 'latest', shown: max, of: probe.xs }
          : { kind: 'top', what: 'categories', shown: max, of: probe.xs, other: false };
        return {
          sql: `SELECT * FROM (${kept}) ORDER BY ${time ? '1' : `${last} DESC NULLS LAST, 1`}`,
          reductions: [reduction],
        };
      },
    };
  }

  if ((spec.type === 'line' || spec.type === 'area' || spec.type === 'bar') && isTimeSeries(spec, columns)) {
    const time = `CAST(${q(x)} AS TIMESTAMP)`;
    return {
      probe:
        `SELECT count(DISTINCT ${q(x)}) AS xs, ${series ? distinct(series) : '0'} AS series, ` +
        `epoch_ms(min(${time})) AS lo_ms, epoch_ms(max(${time})) AS hi_ms, ` +
        `count(*) FILTER (WHERE ${q(x)} IS NULL) AS no_time_rows FROM ${table}`,
      data(probe) {
        const reductions: ChartReduction[] = probe.noTimeRows ? [{ kind: 'no-time', rows: probe.noTimeRows }] : [];
        // A row without a time has no place on the axis: ECharts drew it at the epoch, 1970, stretching the
        // axis over 56 years. It is left out and counted (`no_time_rows`), and the chart says so.
        const src = `SELECT ${time} AS ${q(x)}, ${series ? `${label(series)} AS ${q(series)}, ` : ''}${yList} FROM ${table} WHERE ${q(x)} IS NOT NULL`;
        let ctes = `WITH src AS (${src})`;
        let seriesExpr = '';
        if (series) {
          seriesExpr = q(series);
          if (probe.series > MAX_SERIES) {
            ctes += `, top_series AS (SELECT ${q(series)} AS s FROM src GROUP BY 1 ORDER BY ${total} DESC NULLS LAST, 1 LIMIT ${MAX_SERIES})`;
            seriesExpr = `CASE WHEN ${q(series)} IN (SELECT s FROM top_series) THEN ${q(series)} ELSE '${OTHER}' END`;
            reductions.push({ kind: 'top', what: 'series', shown: MAX_SERIES, of: probe.series, other: true });
          }
        }
        const keys = `${q(x)}${series ? `, ${seriesExpr} AS ${q(series)}` : ''}`;
        // Rows with the same time (and series) add up, as stacked charts and folded series need.
        ctes += `, pts AS (SELECT ${keys}, ${sums} FROM src GROUP BY ALL)`;
        const buckets = bucketsFor(spec.type, width);
        const span = (probe.hiMs ?? 0) - (probe.loMs ?? 0);
        const reduce = probe.xs > (spec.type === 'line' ? 2 * buckets : buckets) && span > 0;
        const outKeys = `${q(x)}${series ? `, ${q(series)}` : ''}`;
        if (!reduce)
          return { sql: `${ctes} SELECT ${outKeys}, ${ys.map(q).join(', ')} FROM pts ORDER BY ALL`, reductions };
        const bucketMs = roundBucketMs(span, buckets);
        // From the epoch, as the query's own bins (`bin`, `timeslice`), so a re-binned bar holds whole ones.
        const bucket = epochBucketSql(`to_milliseconds(${bucketMs})`, q(x));
        const rest = series ? `, ${q(series)}` : '';
        if (spec.type === 'line') {
          reductions.push({ kind: 'downsampled', points: probe.xs, bucketMs });
          const half = `to_milliseconds(${Math.floor(bucketMs / 2)})`;
          const byBucket = `SELECT ${bucket} AS ${q(x)}${rest}, ${ys.map((y) => `min(${q(y)}) AS "min ${y}", max(${q(y)}) AS "max ${y}"`).join(', ')} FROM pts GROUP BY ALL`;
          const mins = ys.map((y) => `"min ${y}" AS ${q(y)}`).join(', ');
          const maxes = ys.map((y) => `"max ${y}" AS ${q(y)}`).join(', ');
          return {
            sql:
              `${ctes}, b AS (${byBucket}) SELECT ${outKeys}, ${mins} FROM b ` +
              `UNION ALL SELECT ${q(x)} + ${half} AS ${q(x)}${rest}, ${maxes} FROM b ORDER BY ALL`,
            reductions,
          };
        }
        reductions.push({ kind: 'rebinned', points: probe.xs, bucketMs, ...(highest.length ? { highest } : {}) });
        return {
          sql: `${ctes} SELECT ${bucket} AS ${q(x)}${rest}, ${sums} FROM pts GROUP BY ALL ORDER BY ALL`,
          reductions,
        };
      },
    };
  }

  if (spec.type === 'line' || spec.type === 'area' || spec.type === 'bar' || spec.type === 'pie') {
    const pie = spec.type === 'pie';
    // A pie's slices are shares of one whole: a negative value has no slice, and counted into the whole it
    // made the others' shares wrong (an outside tester's -5 beside 10 read "b 200%", "a -100%"). Such rows are
    // left out of a pie and counted (`negative_rows`); bars draw them below the axis.
    const negative = `${measure(ys[0]!)} < 0`;
    const kept = pie ? ` WHERE NOT coalesce(${negative}, false)` : '';
    return {
      probe:
        `SELECT ${distinct(x)} AS xs, ${series && !pie ? distinct(series) : '0'} AS series, NULL AS lo_ms, NULL AS hi_ms` +
        `${pie ? `, count(*) FILTER (WHERE ${negative}) AS negative_rows` : ''} FROM ${table}`,
      data(probe) {
        const reductions: ChartReduction[] =
          pie && probe.negativeRows ? [{ kind: 'negative', rows: probe.negativeRows }] : [];
        const withSeries = series !== undefined && !pie;
        // Each category's first row in the result: equal totals keep the result's order (a `top 10` whose last
        // four are 8 each drew as 102, 11, 140, 71 where the table read 140, 71, 11, 102), not the labels'.
        const row = hasRowOrder ? `, rowid AS ${ROW}` : `, 0 AS ${ROW}`;
        const src = `SELECT ${label(x)} AS ${q(x)}, ${withSeries ? `${label(series)} AS ${q(series)}, ` : ''}${yList}${row} FROM ${table}${kept}`;
        const max = pie ? MAX_SLICES : MAX_CATEGORIES;
        let ctes = `WITH src AS (${src}), totals AS (SELECT ${q(x)} AS k, ${total} AS t, min(${ROW}) AS r FROM src GROUP BY 1)`;
        let xExpr = q(x);
        let where = '';
        if (probe.xs > max) {
          ctes += `, top_x AS (SELECT k FROM totals ORDER BY t DESC NULLS LAST, r, k LIMIT ${pie ? max - 1 : max})`;
          // A pie's slices are parts of one whole: the rest is a slice. Bars are compared with each other:
          // one bar of all the rest would dwarf them, so the note says what was left out instead.
          if (pie) xExpr = `CASE WHEN ${q(x)} IN (SELECT k FROM top_x) THEN ${q(x)} ELSE '${OTHER}' END`;
          else where = ` WHERE ${q(x)} IN (SELECT k FROM top_x)`;
          reductions.push({ kind: 'top', what: 'categories', shown: pie ? max - 1 : max, of: probe.xs, other: pie });
        }
        let seriesExpr = withSeries ? q(series) : '';
        if (withSeries && probe.series > MAX_SERIES) {
          ctes += `, top_series AS (SELECT ${q(series)} AS s FROM src GROUP BY 1 ORDER BY ${total} DESC NULLS LAST, 1 LIMIT ${MAX_SERIES})`;
          seriesExpr = `CASE WHEN ${q(series)} IN (SELECT s FROM top_series) THEN ${q(series)} ELSE '${OTHER}' END`;
          reductions.push({ kind: 'top', what: 'series', shown: MAX_SERIES, of: probe.series, other: true });
        }
        const keys = `${xExpr} AS ${q(x)}${withSeries ? `, ${seriesExpr} AS ${q(series)}` : ''}`;
        // Largest category first, Other last.
        return {
          sql:
            `${ctes} SELECT g.* FROM (SELECT ${keys}, ${sums} FROM src${where} GROUP BY ALL) AS g ` +
            `LEFT JOIN totals ON totals.k = g.${q(x)} ` +
            `ORDER BY (g.${q(x)} = '${OTHER}'), totals.t DESC NULLS LAST, totals.r, g.${q(x)}` +
            (withSeries ? `, g.${q(series)}` : ''),
          reductions,
        };
      },
    };
  }

  if (spec.type === 'map') {
    // One value per country: at most the ~250 ISO codes. Rows without one (private or unknown addresses, often
    // most of the records) have no place on a map: the probe measures them, so the chart says what they hold.
    const src = `SELECT ${q(x)}, ${measure(ys[0]!)} AS ${first} FROM ${table} WHERE ${q(x)} IS NOT NULL`;
    const unplaced = `${q(x)} IS NULL`;
    return {
      probe:
        `SELECT count(DISTINCT ${q(x)}) AS xs, 0 AS series, NULL AS lo_ms, NULL AS hi_ms, ` +
        `count(*) FILTER (WHERE ${unplaced}) AS unplaced_rows, ` +
        `sum(${measure(ys[0]!)}) FILTER (WHERE ${unplaced}) AS unplaced_value, sum(${measure(ys[0]!)}) AS whole_value FROM ${table}`,
      data: (probe) => ({
        sql: `SELECT CAST(${q(x)} AS VARCHAR) AS ${q(x)}, ${total} AS ${first} FROM (${src}) GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1`,
        reductions: probe.unplacedRows
          ? [
              {
                kind: 'unplaced',
                rows: probe.unplacedRows,
                value: probe.unplacedValue ?? 0,
                of: probe.wholeValue ?? 0,
              },
            ]
          : [],
      }),
    };
  }

  if ((spec.type === 'sankey' || spec.type === 'heatmap') && series !== undefined) {
    const src = `SELECT ${label(x)} AS ${q(x)}, ${label(series)} AS ${q(series)}, ${measure(ys[0]!)} AS ${first} FROM ${table}`;
    const cells = `SELECT ${q(x)}, ${q(series)}, ${total} AS ${first} FROM src GROUP BY ALL`;
    // Rows with the same two keys (a result also grouped by a third) are one cell or link: the chart says so.
    const pairs = `count(DISTINCT (${label(x)}, ${label(series)}))`;
    const merged = (probe: ChartProbe): ChartReduction[] =>
      probe.mergedRows ? [{ kind: 'merged', rows: probe.mergedRows, highest: highest.includes(ys[0]!) }] : [];
    if (spec.type === 'sankey') {
      return {
        probe: `SELECT ${pairs} AS xs, 0 AS series, NULL AS lo_ms, NULL AS hi_ms, count(*) - ${pairs} AS merged_rows FROM ${table}`,
        data(probe) {
          const reductions: ChartReduction[] = merged(probe);
          if (probe.xs > MAX_LINKS)
            reductions.push({ kind: 'top', what: 'links', shown: MAX_LINKS, of: probe.xs, other: false });
          return {
            sql: `WITH src AS (${src}) ${cells} ORDER BY ${first} DESC NULLS LAST, 1, 2 LIMIT ${MAX_LINKS}`,
            reductions,
          };
        },
      };
    }
    return {
      probe:
        `SELECT ${distinct(x)} AS xs, ${distinct(series)} AS series, NULL AS lo_ms, NULL AS hi_ms, ` +
        `count(*) - ${pairs} AS merged_rows FROM ${table}`,
      data(probe) {
        const reductions: ChartReduction[] = merged(probe);
        if (probe.xs > MAX_HEAT)
          reductions.push({ kind: 'top', what: 'columns', shown: MAX_HEAT, of: probe.xs, other: false });
        if (probe.series > MAX_HEAT)
          reductions.push({ kind: 'top', what: 'rows', shown: MAX_HEAT, of: probe.series, other: false });
        const top = (column: string) =>
          `SELECT ${q(column)} FROM src GROUP BY 1 ORDER BY ${total} DESC NULLS LAST, 1 LIMIT ${MAX_HEAT}`;
        return {
          sql:
            `WITH src AS (${src}) ${cells} HAVING ${q(x)} IN (${top(x)}) AND ${q(series)} IN (${top(series)}) ` +
            `ORDER BY ${first} DESC NULLS LAST, 1, 2`,
          reductions,
        };
      },
    };
  }
  return null;
}
