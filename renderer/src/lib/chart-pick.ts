/**
 * What a click on a chart points at: the key values of the result rows behind a bar, a slice, a Sankey
 * link or node, a heat-map cell or a country, so the drill-down (`drill-down.ts`) opens the raw records
 * behind it, as a click on an aggregate row of the grid does.
 *
 * Charts draw labels (text), so a key is read back with its result column's type: a port is the number 22,
 * "(none)" is a null key. "Other" stands for many keys and is not a pick. A point of a time series is a
 * pick only when its bucket's width is known (a `bin(5m)` column, or the engine's re-binning).
 */
import type { CellValue, ChartData, Column } from '../../../preload/contract';
import type { ChartSpec } from '../../../queries/chart/chart-choice';
import { isTimeSeries } from '../../../queries/chart/chart-choice';
import { NONE, OTHER } from '../../../queries/chart/chart-data';
import { isNumericType } from '../../../queries/chart/column-kind';
import { bucketMs } from './drill-down';

/** Key columns of the result and their values at the clicked point; `bucketMs` the width of a time point. */
export interface ChartPick {
  columns: readonly Column[];
  row: readonly CellValue[];
  bucketMs?: number;
}

/** The part of an ECharts click event a pick reads (`chart-option.ts` puts `keys` on Sankey and heat-map items). */
export interface ChartClick {
  seriesType?: string;
  dataType?: string;
  name?: string;
  seriesName?: string;
  value?: unknown;
  data?: unknown;
}

/** A chart label read back as its column's value; undefined for "Other", which is no one value. */
function keyValue(column: Column, text: string): CellValue | undefined {
  if (text === OTHER) return undefined;
  if (text === NONE) return null;
  if (isNumericType(column.type)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  return text;
}

function keysOf(data: unknown): string[] | null {
  const keys = (data as { keys?: unknown } | null | undefined)?.keys;
  return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? keys : null;
}

/**
 * The pick of a click on a chart of `columns` (the result's columns) drawn by `spec`, or null when the
 * click points at no one group (Other, a measure's legend, an axis). `reductions`: what the engine did to
 * the chart's data; a re-binned time series has buckets of its own width.
 */
export function chartPick(
  columns: readonly Column[],
  spec: ChartSpec,
  click: ChartClick,
  reductions: ChartData['reductions'] = [],
): ChartPick | null {
  const x = columns.find((c) => c.name === spec.x);
  const series = columns.find((c) => c.name === spec.series);
  if (!x) return null;
  const picked: { column: Column; text: string }[] = [];

  switch (spec.type) {
    case 'line':
    case 'area':
    case 'bar': {
      let bucket: number | undefined;
      if (isTimeSeries(spec, columns)) {
        const at = Array.isArray(click.value) ? Number(click.value[0]) : NaN;
        // A downsampled line keeps points of the result itself, so their own width holds.
        const rebinned = reductions.find((r) => r.kind === 'rebinned');
        bucket = (rebinned?.kind === 'rebinned' ? rebinned.bucketMs : null) ?? bucketMs(x.name) ?? undefined;
        if (!Number.isFinite(at) || bucket === undefined) return null;
        picked.push({ column: x, text: new Date(at).toISOString() });
      } else if (typeof click.name === 'string') picked.push({ column: x, text: click.name });
      else return null;
      if (series && typeof click.seriesName === 'string') picked.push({ column: series, text: click.seriesName });
      return finish(picked, bucket);
    }
    case 'pie':
    case 'map':
      if (typeof click.name !== 'string') return null;
      return finish([{ column: x, text: click.name }]);
    case 'sankey':
    case 'heatmap': {
      const keys = keysOf(click.data);
      if (!keys || !series) return null;
      // A Sankey node is one end: a source (x) or a destination (series).
      if (keys.length === 1) {
        const side = (click.data as { side?: string }).side === 'target' ? series : x;
        return finish([{ column: side, text: keys[0]! }]);
      }
      return finish([
        { column: x, text: keys[0]! },
        { column: series, text: keys[1]! },
      ]);
    }
    default:
      return null;
  }
}

function finish(picked: { column: Column; text: string }[], bucket?: number): ChartPick | null {
  const row: CellValue[] = [];
  for (const { column, text } of picked) {
    const value = keyValue(column, text);
    if (value === undefined) return null;
    row.push(value);
  }
  return { columns: picked.map((p) => p.column), row, ...(bucket !== undefined ? { bucketMs: bucket } : {}) };
}
