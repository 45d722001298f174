/**
 * What a chart shows, as text for a screen reader (the chart's accessible description): its measures, what they
 * are by, how many rows, and the first rows' values as the grid writes them. A canvas says nothing by itself,
 * and a dashboard panel has no grid beside it.
 */
import type { CellValue, Column } from '../../../preload/contract';
import type { ChartSpec } from '../../../queries/library/saved-query';
import { cellFormatters, type TimeZoneChoice } from './cell-format';

/** Rows read out; the rest are counted (the workbench's grid, or the panel's Open, has them all). */
export const DESCRIBED_ROWS = 10;

export function chartDescription(
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
  spec: ChartSpec,
  zone: TimeZoneChoice,
): string {
  const at = (name: string | undefined) => (name === undefined ? -1 : columns.findIndex((c) => c.name === name));
  const keys = [spec.x, spec.series].map(at).filter((i) => i >= 0);
  // A pivoted result's series are its columns other than x.
  const measures = spec.pivoted
    ? columns.map((_, i) => i).filter((i) => i !== at(spec.x))
    : [spec.y ?? []]
        .flat()
        .map(at)
        .filter((i) => i >= 0);
  if (measures.length === 0) return '';
  const names = (indexes: number[], joiner: string) => indexes.map((i) => columns[i]!.name).join(joiner);
  const formatters = cellFormatters(columns, zone, rows.slice(0, DESCRIBED_ROWS));
  const text = (row: readonly CellValue[], i: number) => {
    const cell = formatters[i]!(row, i);
    return cell.note ? `${cell.text} ${cell.note}` : cell.text;
  };
  const read = rows.slice(0, DESCRIBED_ROWS).map((row) => {
    const key = keys.map((i) => text(row, i)).join(', ');
    const values =
      measures.length === 1
        ? text(row, measures[0]!)
        : measures.map((i) => `${columns[i]!.name} ${text(row, i)}`).join(', ');
    return key ? `${key}: ${values}` : values;
  });
  const count = rows.length === 1 ? '1 row' : `${rows.length.toLocaleString('en-US')} rows`;
  const shown = rows.length > DESCRIBED_ROWS ? `; the first ${DESCRIBED_ROWS}` : '';
  const by = keys.length > 0 ? ` by ${names(keys, ' and ')}` : '';
  return `${names(measures, ', ')}${by}, ${count}${shown}${read.length ? `: ${read.join('; ')}` : ''}.`;
}
