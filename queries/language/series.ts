/**
 * SQL for the stages that read a result as time series (Sumo's `outlier`, `predict`, `compare`) and for
 * `transpose`, whose columns are the values the result holds. The compiler decides which columns take
 * part; these functions only write the SQL, as DuckDB window functions, series and joins.
 */
import { sqlIdent, sqlString } from '../catalog/sql-quote';
import type { RunningFunction } from './plan';
import { missingRowsSql, type FillKey } from './fill-missing';

/** `OVER (PARTITION BY … ORDER BY t ROWS …)` for a series per group. */
function seriesWindow(partition: readonly string[], time: string, rows: string): string {
  return `OVER (${partition.length ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${time} ROWS ${rows})`;
}

export interface OutlierSql {
  mean: string;
  std: string;
}

/** The mean and (sample) standard deviation of the `window` points before each point. */
export function outlierBaseline(value: string, partition: readonly string[], time: string, window: number): OutlierSql {
  const over = seriesWindow(partition, time, `BETWEEN ${window} PRECEDING AND 1 PRECEDING`);
  return { mean: `avg(${value}) ${over}`, std: `stddev_samp(${value}) ${over}` };
}

/**
 * 1 where the value is outside the band in a direction that counts, else 0. The query's most recent time
 * slice (`time`, over every group) is never an outlier: "Because the most recent time bucket in a query may
 * have incomplete data, it is ignored by outlier" (Sumo's outlier page), so an alert fires a slice later.
 */
export function outlierIndicator(
  value: string,
  lower: string,
  upper: string,
  direction: '+-' | '+' | '-',
  time: string,
): string {
  const tests = [
    ...(direction.includes('+') ? [`${value} > ${upper}`] : []),
    ...(direction.includes('-') ? [`${value} < ${lower}`] : []),
  ];
  return `(CASE WHEN ${time} = max(${time}) OVER () THEN 0 WHEN ${tests.join(' OR ')} THEN 1 ELSE 0 END)`;
}

/** 1 where this point and the `consecutive - 1` before it are all outliers. */
export function outlierViolation(
  indicator: string,
  partition: readonly string[],
  time: string,
  consecutive: number,
): string {
  const over = seriesWindow(partition, time, `BETWEEN ${consecutive - 1} PRECEDING AND CURRENT ROW`);
  return `(CASE WHEN sum(${indicator}) ${over} >= ${consecutive} THEN 1 ELSE 0 END)`;
}

/** Sumo interpolates at most this many points of a series before it forecasts. */
const MAX_POINTS = 20_000;

/**
 * The relation of a linear forecast: `series` is a query with columns `t` (time), `v` (value) and the
 * group columns `g1…`; the answer has `t`, the groups, `v` (0 for a missing slice, NULL for a forecast
 * one), `predicted` and `error` (predicted minus actual), `forecast` slices after each group's last.
 */
export function linearForecastSql(series: string, groups: readonly string[], stepMs: number, forecast: number): string {
  const g = groups.map((_, i) => `g${i + 1}`);
  const step = `INTERVAL '${stepMs} milliseconds'`;
  const keys = g.length ? `${g.join(', ')}, ` : '';
  const sameGroup = g.map((c) => ` AND s.${c} IS NOT DISTINCT FROM p.${c}`).join('');
  const over = `OVER (${g.length ? `PARTITION BY ${g.join(', ')}` : ''})`;
  return (
    `(WITH series AS (${series}), ` +
    `span AS (SELECT ${keys}min(t) AS lo, max(t) AS hi FROM series${g.length ? ` GROUP BY ${g.join(', ')}` : ''}), ` +
    `grid AS (SELECT ${keys}lo, hi, unnest(generate_series(lo, least(hi, lo + ${MAX_POINTS} * ${step}) + ${forecast} * ${step}, ${step})) AS t FROM span), ` +
    `points AS (SELECT p.t, ${g.map((c) => `p.${c}, `).join('')}CASE WHEN p.t <= p.hi THEN coalesce(s.v, 0) END AS v, ` +
    `(epoch_ms(p.t) - epoch_ms(p.lo)) / ${stepMs} AS x FROM grid AS p LEFT JOIN series AS s ON s.t = p.t${sameGroup}), ` +
    `fitted AS (SELECT *, coalesce(regr_intercept(v, x) ${over}, avg(v) ${over}) + coalesce(regr_slope(v, x) ${over}, 0) * x AS predicted FROM points) ` +
    `SELECT t, ${keys}v, predicted, predicted - v AS error FROM fitted)`
  );
}

/** What `transpose` needs of the result it reshapes, by the result's column names. */
export interface TransposeSpec {
  /** The columns whose values make the rows. */
  rows: string[];
  /** The columns whose values name the new columns. */
  columns: string[];
  /** The columns whose values fill the cells (one: the new columns are named by value; several: `<value>_<name>`). */
  values: string[];
  /** `transpose … as a, b, *`: the new columns to show, in this order (`*` for the rest). */
  outputs?: string[];
  /** `| fillmissing timeslice` after it: the time slices of a row column to add where the result lacks them. */
  fill?: FillKey;
}

/** Transpose makes at most this many columns, as Sumo does. */
const TRANSPOSE_MAX_COLUMNS = 300;

/** The text that names a row's new column: its column values joined by `_`, a missing one as `-`. */
function columnKey(spec: TransposeSpec): string {
  const parts = spec.columns.map((c) => `coalesce(CAST(${sqlIdent(c)} AS VARCHAR), '-')`);
  return parts.length === 1 ? parts[0]! : `concat_ws('_', ${parts.join(', ')})`;
}

/**
 * The distinct values that will name columns, alphabetical, from the kept result `table`, each with the total
 * of its first value column (`k`, `t`; NULL where the values are no numbers), by which they are shown.
 */
export function transposeValuesSql(spec: TransposeSpec, table: string): string {
  const value = spec.values[0] ? `TRY_CAST(${sqlIdent(spec.values[0])} AS DOUBLE)` : 'NULL';
  return `SELECT ${columnKey(spec)} AS k, sum(${value}) AS t FROM ${table} GROUP BY 1 ORDER BY k`;
}

/**
 * The order of the new columns: the values Sumo keeps (the first 300, alphabetical) biggest total first (a
 * tie, or values that are no numbers, alphabetical), then the rest as they came. In string order the
 * columns a reader sees first were sparse sources, every cell blank, and the busiest far to the right.
 */
export function transposeKeyOrder(values: readonly { key: string; total: number | null }[]): string[] {
  const kept = values.slice(0, TRANSPOSE_MAX_COLUMNS).map((v, i) => ({ ...v, i }));
  kept.sort((a, b) => (b.total ?? -Infinity) - (a.total ?? -Infinity) || a.i - b.i);
  return [...kept, ...values.slice(TRANSPOSE_MAX_COLUMNS)].map((v) => v.key);
}

/** The names of the new columns for these values, in order, and the cells each takes. */
function transposeColumns(
  spec: TransposeSpec,
  keys: readonly string[],
): { name: string; key: string; value: string }[] {
  let chosen = [...keys];
  if (spec.outputs) {
    const named = spec.outputs.filter((o) => o !== '*');
    chosen = [...named, ...(spec.outputs.includes('*') ? keys.filter((k) => !named.includes(k)) : [])];
  }
  return chosen
    .slice(0, TRANSPOSE_MAX_COLUMNS)
    .flatMap((key) =>
      spec.values.map((value) => ({ name: spec.values.length === 1 ? key : `${key}_${value}`, key, value })),
    );
}

/**
 * The transposed result from the kept result `table` (with its rows in order), given the values that
 * name columns: one row per row key, in the order it first comes, and a cell per new column (the first
 * value in order, NULL where there is none).
 */
export function transposeSql(spec: TransposeSpec, table: string, keys: readonly string[]): string {
  const rows = spec.rows.map(sqlIdent);
  const columns = transposeColumns(spec, keys);
  const numbered = `SELECT *, ${columnKey(spec)} AS _key, row_number() OVER () AS _ord FROM ${table}`;
  let transposed: string;
  if (columns.length === 0) {
    transposed = `SELECT ${rows.join(', ')} FROM (${numbered}) GROUP BY ${rows.length ? rows.join(', ') : '()'} ORDER BY min(_ord)`;
  } else {
    // One PIVOT: a row per row key (each, even one whose values were all cut) with a cell per new column, the
    // first value in order. One `arg_min(…) FILTER (WHERE _key = …)` per column read every row once per
    // column: 212 source addresses over 4,320 minutes took 21 s, the PIVOT 1.7 s.
    const using = spec.values
      .map((v) => `arg_min(${sqlIdent(v)}, _ord)${spec.values.length === 1 ? '' : ` AS ${sqlIdent(v)}`}`)
      .join(', ');
    const rowOrd = `min(_ord) OVER (${rows.length ? `PARTITION BY ${rows.join(', ')}` : ''}) AS _row_ord`;
    const source = `SELECT ${[...rows, '_key', ...spec.values.map(sqlIdent), '_ord', rowOrd].join(', ')} FROM (${numbered})`;
    const keysIn = [...new Set(columns.map((c) => c.key))].map(sqlString).join(', ');
    const pivot = `PIVOT (${source}) ON _key IN (${keysIn}) USING ${using} GROUP BY ${[...rows, '_row_ord'].join(', ')}`;
    transposed = `SELECT ${[...rows, ...columns.map((c) => sqlIdent(c.name))].join(', ')} FROM (${pivot}) ORDER BY _row_ord`;
  }
  if (!spec.fill) return transposed;
  // The rows of missing time slices go where their time puts them.
  return (
    `WITH _t AS (${transposed}) SELECT * FROM (SELECT * FROM _t UNION ALL BY NAME ${missingRowsSql('_t', [spec.fill], [])}) ` +
    `ORDER BY ${rows.join(', ')}`
  );
}

/**
 * Sumo's running operators as one window function over the result in `order` (SQL ORDER BY items), per
 * `partition`: `accum` sums the rows so far, `diff` subtracts the row before, `smooth` and `rollingstd` take
 * the mean and sample standard deviation of the last `window` rows, `total` sums the whole partition,
 * `backshift` takes the value `window` rows before.
 */
export function runningSql(
  fn: RunningFunction,
  value: string,
  partition: string[],
  order: string[],
  window: number,
): string {
  const over = (frame: string, ordered = true) =>
    `OVER (${[
      partition.length ? `PARTITION BY ${partition.join(', ')}` : '',
      ordered && order.length ? `ORDER BY ${order.join(', ')}` : '',
      frame,
    ]
      .filter(Boolean)
      .join(' ')})`;
  const last = `ROWS BETWEEN ${window - 1} PRECEDING AND CURRENT ROW`;
  switch (fn) {
    case 'accum':
      return `sum(${value}) ${over('ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW')}`;
    case 'diff':
      return `(${value} - lag(${value}) ${over('')})`;
    case 'smooth':
      return `avg(${value}) ${over(last)}`;
    case 'rollingstd':
      return `stddev_samp(${value}) ${over(last)}`;
    case 'total':
      return `sum(${value}) ${over('', false)}`;
    case 'backshift':
      return `lag(${value}, ${window}) ${over('')}`;
  }
}
