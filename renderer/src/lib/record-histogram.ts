/**
 * The histogram above a list of records (`query.histogram`, counted in the engine) as a chart the
 * workbench's ChartView draws: stacked bars of ACCEPT, REJECT and Other records per time bucket, in the
 * app's fixed colours, and what a click or a drag on it narrows the time range to.
 */
import type { Column, Output } from '../../../preload/contract';
import type { ChartSpec } from '../../../queries/chart/chart-choice';
import { OTHER } from '../../../queries/chart/chart-data';
import type { ChartClick } from './chart-pick';

export type RecordHistogram = NonNullable<Output<'query.histogram'>>;

const COLUMNS: Column[] = [
  { name: 'time', type: 'TIMESTAMP', kind: 'time' },
  { name: 'action', type: 'VARCHAR', kind: 'action' },
  { name: 'records', type: 'BIGINT', kind: 'number' },
];

export const HISTOGRAM_SPEC: ChartSpec = { type: 'bar', x: 'time', series: 'action', y: 'records' };

/** The buckets as rows of time, action and count (Other: records without one, NODATA and SKIPDATA). */
export function histogramChart(h: RecordHistogram): { columns: Column[]; rows: [string, string, number][] } {
  const rows: [string, string, number][] = [];
  for (const b of h.buckets) {
    if (b.accept) rows.push([b.at, 'ACCEPT', b.accept]);
    if (b.reject) rows.push([b.at, 'REJECT', b.reject]);
    if (b.other) rows.push([b.at, OTHER, b.other]);
  }
  return { columns: COLUMNS, rows };
}

/** Every record the bars stand for (and those without a time): what "records matched" says. */
export function histogramTotal(h: RecordHistogram): number {
  return h.buckets.reduce((n, b) => n + b.accept + b.reject + b.other, 0) + h.undated;
}

/** The bucket a click on a bar points at, as the time range [start, end) in milliseconds; null off a bar. */
export function histogramPick(h: RecordHistogram, click: ChartClick): [number, number] | null {
  const x = Array.isArray(click.value) ? click.value[0] : click.name;
  const at = typeof x === 'number' ? x : Date.parse(String(x));
  if (!Number.isFinite(at)) return null;
  const start = Math.floor(at / h.bucketMs) * h.bucketMs;
  return [start, start + h.bucketMs];
}
