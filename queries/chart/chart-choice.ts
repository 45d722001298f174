/**
 * Which chart fits a result, from its shape alone: a time column and measures make a time series (bars
 * for counts and bytes per bucket, lines for other measures, stacked areas when a key splits them into
 * series; a minimum, quartiles and maximum make a box plot); one key and measures make a top-N bar chart (or a pie); a source and a destination key with a
 * measure make a Sankey of flows; two other keys a heat map; one row of measures is a big number. Records
 * (many keys, or times that fall on no bucket grid) show as a table first.
 * The answer is a saved-query `chart` spec, so a chosen chart saves as is and a saved one is checked here
 * against the result it meets.
 */
import type { ChartSpec } from '../library/saved-query';
import { columnKind, isMeasure, type Column } from './column-kind';
import { boxPlotColumns, forecastColumns, outlierColumns } from './series-overlays';

export type { ChartSpec } from '../library/saved-query';
/** A cell of a result row; only its sign is read here. */
type CellValue = unknown;

export interface ChartChoice {
  /** The chart to show first. */
  spec: ChartSpec;
  /** Every chart this result can be drawn as, the first one first; each with the columns it uses. */
  options: ChartSpec[];
  /** The result's measures (numbers that are not keys or times), which a chart of one measure leaves out. */
  measures: string[];
}

/** Aggregates group by a few keys; a result with more key columns than this is taken for raw records. */
const MAX_KEYS_OF_AGGREGATE = 2;

/** A time key with more measures than this is taken for a pivoted result: its columns are series. */
const PIVOT_MIN_COLUMNS = 10;
/** The most measures one chart spec lists (`y`). */
const MAX_LISTED_MEASURES = 16;

/** Pies stop being readable beyond this many slices. */
const PIE_MAX_SLICES = 12;

const SOURCE_NAME = /src|source/i;
/** A key that names countries by ISO code: geoCountry(...) results, Sumo's country_code. */
const COUNTRY_NAME = /country_?code|^cc$|country$/i;
const DESTINATION_NAME = /dst|dest/i;

interface Shape {
  time: Column[];
  measures: Column[];
  keys: Column[];
}

function shapeOf(columns: readonly Column[]): Shape {
  const shape: Shape = { time: [], measures: [], keys: [] };
  for (const column of columns) {
    if (columnKind(column) === 'time') shape.time.push(column);
    else if (isMeasure(column)) shape.measures.push(column);
    else shape.keys.push(column);
  }
  return shape;
}

/** Counts and bytes per time bucket add up: bars show them better than a line through the noise. */
const COUNT_NAME = /count|records|flows|events|hits|^n$/i;
function isCountLike(column: Column): boolean {
  return columnKind(column) === 'bytes' || COUNT_NAME.test(column.name);
}

function yOf(measures: Column[]): string | string[] {
  return measures.length === 1 ? measures[0]!.name : measures.map((m) => m.name);
}

function nonNegative(rows: readonly (readonly CellValue[])[], index: number): boolean {
  return rows.every((row) => {
    const v = row[index];
    return v === null || v === undefined || Number(v) >= 0;
  });
}

/** Whether a column's values are two-letter ISO codes (or empty), as geoCountry answers. */
function isCountryCodes(rows: readonly (readonly CellValue[])[], index: number): boolean {
  let codes = 0;
  for (const row of rows) {
    const v = row[index];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' || !/^[A-Z]{2}$/.test(v)) return false;
    codes++;
  }
  return codes > 0;
}

/**
 * The grid a time column's values must all fall on to be taken for time buckets. bin(), timeslice and
 * date_trunc buckets are whole minutes or round parts of one; a record's time (or a min/max of times) is
 * any second, so five records all on it are a chance of one in 10^5.
 */
const BUCKET_GRID_MS = 10_000;

/** Whether a time column holds buckets, by its values (a time that is not ISO text is not judged). */
function isBucketed(rows: readonly (readonly CellValue[])[], index: number): boolean {
  return rows.every((row) => {
    const v = row[index];
    if (typeof v !== 'string') return true;
    const ms = Date.parse(v);
    return Number.isNaN(ms) || ms % BUCKET_GRID_MS === 0;
  });
}

/**
 * The chart a result opens as, and those on offer. `records`: the query listed records (a pipe query without
 * stats, as the compiler knows): a table first, whatever the shape of its columns (two addresses and bytes
 * would otherwise open as a Sankey of five records).
 */
export function chooseChart(
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
  records = false,
): ChartChoice {
  const { measures } = shapeOf(columns);
  const chosen = chooseByShape(columns, rows, records);
  // A chart of one measure of several (a series or a key splits it; the Sankey's width is one) is offered
  // for each of the others too: the first alone left the others undrawn, with no way to draw them.
  const first = chosen.options.find((o) => o.type !== 'table');
  const others =
    first && typeof first.y === 'string' && measures.length > 1
      ? measures.filter((m) => m.name !== first.y).map((m): ChartSpec => ({ ...first, y: m.name }))
      : [];
  const options = [...chosen.options];
  if (others.length)
    options.splice(options.indexOf(first!) + 1, 0, ...others.filter((o) => !options.some((p) => sameSpec(o, p))));
  return { ...chosen, options, measures: measures.map((m) => m.name) };
}

/** Whether two specs draw the same chart. */
function sameSpec(a: ChartSpec, b: ChartSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function chooseByShape(
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
  records: boolean,
): Omit<ChartChoice, 'measures'> {
  const table: ChartSpec = { type: 'table' };
  const { time, measures, keys } = shapeOf(columns);
  if (measures.length === 0) return { spec: table, options: [table] };
  const y = yOf(measures);
  const first = measures[0]!.name;
  const bucketed = time.length === 1 && isBucketed(rows, columns.indexOf(time[0]!));
  // One row of measures (its times a min or max, not a bucket) is a summary: its numbers, not a chart.
  if (rows.length === 1 && keys.length === 0 && !bucketed && !records) {
    const number: ChartSpec = { type: 'number', y };
    return { spec: number, options: [number, table] };
  }
  // Many keys, or times that are no buckets, mean records, not an aggregate: drawn as a time series they
  // would be joined and stacked with zeros between them. Charts stay on offer, but the table shows first.
  const tableFirst = records || keys.length > MAX_KEYS_OF_AGGREGATE || (time.length > 0 && !bucketed);
  const pick = (ordered: ChartSpec[]): Omit<ChartChoice, 'measures'> =>
    tableFirst ? { spec: table, options: [table, ...ordered] } : { spec: ordered[0]!, options: [...ordered, table] };

  if (time.length > 0) {
    const x = time[0]!.name;
    const series = keys[0]?.name;
    const split = series ? { series } : {};
    const line: ChartSpec = { type: 'line', x, y: series ? first : y, ...split };
    const area: ChartSpec = { type: 'area', x, y: series ? first : y, ...split };
    const bar: ChartSpec = { type: 'bar', x, y: series ? first : y, ...split };
    if (series) return pick([area, line, bar]);
    // A pivoted result (Sumo's transpose: a column per source address) of more columns than a legend
    // holds: its columns are the series, stacked, the largest by total and Other (Sumo's stacked columns).
    if (keys.length === 0 && measures.length > PIVOT_MIN_COLUMNS) {
      const pivoted: ChartSpec[] = [
        { type: 'bar', x, pivoted: true },
        { type: 'area', x, pivoted: true },
      ];
      return pick(measures.length <= MAX_LISTED_MEASURES ? [...pivoted, line, area, bar] : pivoted);
    }
    // Sumo's outlier and predict: the measure with its band and outliers, or with its forecast.
    const names = measures.map((m) => m.name);
    const outlier = outlierColumns(names);
    const forecast = forecastColumns(names);
    const overlay: ChartSpec | null = outlier
      ? { type: 'line', x, y: [outlier.value, outlier.lower, outlier.upper, outlier.indicator] }
      : forecast
        ? { type: 'line', x, y: [forecast.value, forecast.predicted] }
        : null;
    if (overlay) return pick([overlay, line, area, bar]);
    // Sumo's "Packets Box Plot": min, quartiles and max per time slice, a box and whiskers each.
    const box = boxPlotColumns(names);
    if (box) return pick([{ type: 'boxplot', x, y: box }, line, area, bar]);
    return pick(measures.length === 1 && isCountLike(measures[0]!) ? [bar, line, area] : [line, area, bar]);
  }

  if (keys.length === 0) return { spec: table, options: [table] };
  const key = keys[0]!.name;
  const country = keys.find((k) => COUNTRY_NAME.test(k.name) && isCountryCodes(rows, columns.indexOf(k)));
  if (country) {
    const map: ChartSpec = { type: 'map', x: country.name, y: first };
    const bars: ChartSpec = { type: 'bar', x: country.name, y };
    return { spec: map, options: [map, bars, table] };
  }
  const box = keys.length === 1 ? boxPlotColumns(measures.map((m) => m.name)) : null;
  if (box)
    return pick([
      { type: 'boxplot', x: key, y: box },
      { type: 'bar', x: key, y },
    ]);
  // Bars of one measure first: a count beside bytes reads as two charts, not as one.
  const bar: ChartSpec = { type: 'bar', x: key, y: first };
  const bars: ChartSpec[] = measures.length > 1 ? [bar, { type: 'bar', x: key, y }] : [bar];
  const pie: ChartSpec = { type: 'pie', x: key, y: first };
  const pieFits =
    rows.length > 0 &&
    rows.length <= PIE_MAX_SLICES &&
    nonNegative(
      rows,
      columns.findIndex((c) => c.name === first),
    );

  if (keys.length >= 2) {
    const [a, b] = [keys[0]!.name, keys[1]!.name];
    const flowPair = SOURCE_NAME.test(a) && DESTINATION_NAME.test(b);
    const sankey: ChartSpec = { type: 'sankey', x: a, series: b, y: first };
    const heatmap: ChartSpec = { type: 'heatmap', x: a, series: b, y: first };
    const stacked: ChartSpec = { type: 'bar', x: a, y: first, series: b };
    return pick(flowPair ? [sankey, heatmap, stacked] : [heatmap, stacked, sankey]);
  }

  return pick(pieFits ? [...bars, pie] : bars);
}

/**
 * Whether a spec can be drawn from these columns: every column it names is there. A saved chart that
 * no longer fits its query's result falls back to the chosen one instead of drawing nothing.
 */
export function specFits(spec: ChartSpec, columns: readonly Column[]): boolean {
  const names = new Set(columns.map((c) => c.name));
  // A pivoted result's series and values are its columns: `series` and `y` only name them.
  if (spec.pivoted) return spec.x !== undefined && names.has(spec.x) && names.size > 1;
  const ys = spec.y === undefined ? [] : Array.isArray(spec.y) ? spec.y : [spec.y];
  return [spec.x, spec.series, ...ys].every((name) => name === undefined || names.has(name));
}

/** The spec to draw: the wanted one when it fits, else the one chosen from the shape. */
export function resolveChart(
  wanted: ChartSpec | null | undefined,
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
): ChartSpec {
  return wanted && specFits(wanted, columns) ? wanted : chooseChart(columns, rows).spec;
}

/** Time-series charts are the ones whose horizontal axis can be brushed to narrow the time range. */
export function isTimeSeries(spec: ChartSpec, columns: readonly Column[]): boolean {
  if (spec.x === undefined) return false;
  if (spec.type !== 'line' && spec.type !== 'area' && spec.type !== 'bar' && spec.type !== 'boxplot') return false;
  const x = columns.find((c) => c.name === spec.x);
  return x !== undefined && columnKind(x) === 'time';
}

/** Whether two specs draw the same chart, whatever order their keys were written in. */
export function sameChart(a: ChartSpec, b: ChartSpec): boolean {
  const ys = (s: ChartSpec) => (s.y === undefined ? [] : Array.isArray(s.y) ? s.y : [s.y]).join('\u0000');
  return a.type === b.type && a.x === b.x && a.series === b.series && ys(a) === ys(b) && !a.pivoted === !b.pivoted;
}
