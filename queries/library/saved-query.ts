/**
 * The saved-query file format, `*.flowquery.json`: one human-readable, diff-friendly file per query, the
 * same for the built-in library (`queries/library/*.flowquery.json`) and for the files users save and
 * share. Strict: unknown keys are errors, so a shared file carries nothing Flowscope does not understand.
 * `flowquery.schema.json` is generated from this module (`npm run gen:library-schemas`) and a test keeps
 * the two equal. Pure: no Node, DuckDB or Electron.
 */
import { z } from 'zod';
import { Dialect } from '../language/types';
import { IsoTimeText } from '../catalog/iso-time-schema';
import { SPAN_EXPECTED, SPAN_PATTERN } from './span';

/** A column of the query's result, by the name the result gives it. */
const ColumnName = z.string().trim().min(1).max(200);

const CHART_TYPES = ['table', 'line', 'area', 'bar', 'pie', 'sankey', 'heatmap', 'map', 'number', 'boxplot'] as const;

/**
 * Flowscope's own small chart description, never a chart library's options:
 *  - line, area, bar: `x` the category or time column, `y` one or more value columns, `series` an optional
 *    column whose values split the data into one series each; `pivoted`: the columns other than `x` are
 *    the series (a transposed result, one column per source address), `series` and `y` their names;
 *  - pie: `x` the slice labels, `y` the value;
 *  - sankey: `x` the source column, `series` the target column, `y` the flow value;
 *  - heatmap: `x` and `series` the two axes, `y` the cell value;
 *  - map: `x` a column of ISO country codes (geoCountry, Sumo's country_code), `y` the value each country shows;
 *  - number: `y` one or more values of a one-row result, each shown as a big number;
 *  - boxplot: `x` the time or category column, `y` five columns: the minimum, 25th, 50th and 75th
 *    percentiles and the maximum (Sumo's `min(f), pct(f,25), pct(f,50), pct(f,75), max(f) by _timeslice`);
 *  - table: nothing else needed.
 */
export const ChartSpec = z
  .strictObject({
    type: z.enum(CHART_TYPES),
    x: ColumnName.optional(),
    y: z.union([ColumnName, z.array(ColumnName).min(1).max(16)]).optional(),
    series: ColumnName.optional(),
    /**
     * A pivoted result (Sumo's `transpose`): every column but `x` is a series, its cells the values; `series`
     * and `y` then name what the columns and the cells are (the transpose's column and value fields).
     */
    pivoted: z.literal(true).optional(),
  })
  .superRefine((c, ctx) => {
    const needs: Record<(typeof CHART_TYPES)[number], ('x' | 'y' | 'series')[]> = {
      table: [],
      line: ['x', 'y'],
      area: ['x', 'y'],
      bar: ['x', 'y'],
      pie: ['x', 'y'],
      sankey: ['x', 'y', 'series'],
      heatmap: ['x', 'y', 'series'],
      map: ['x', 'y'],
      number: ['y'],
      boxplot: ['x', 'y'],
    };
    if (c.pivoted && c.type !== 'line' && c.type !== 'area' && c.type !== 'bar')
      ctx.addIssue({
        code: 'custom',
        path: ['pivoted'],
        message: 'only line, area and bar charts draw a pivoted result',
      });
    for (const key of needs[c.type]) {
      if (c[key] === undefined && !(c.pivoted && key === 'y'))
        ctx.addIssue({ code: 'custom', path: [key], message: `a ${c.type} chart needs "${key}"` });
    }
    if (c.type === 'boxplot' && c.y !== undefined && (!Array.isArray(c.y) || c.y.length !== 5))
      ctx.addIssue({
        code: 'custom',
        path: ['y'],
        message: 'a boxplot chart needs five "y" columns: minimum, 25th, 50th and 75th percentiles, maximum',
      });
  });
export type ChartSpec = z.infer<typeof ChartSpec>;

/** The time range a saved query opens with: the last N minutes/hours/days/weeks, or fixed UTC times. */
export const SavedTimeRange = z.union([
  z.strictObject({
    last: z.string().regex(SPAN_PATTERN, { message: `expected ${SPAN_EXPECTED}` }),
  }),
  z.strictObject({ from: IsoTimeText, to: IsoTimeText }),
]);
export type SavedTimeRange = z.infer<typeof SavedTimeRange>;

/**
 * A name shown in lists and titles (a saved query's, a dashboard's, a panel's): one line of text. Control
 * characters (NUL, a new line, a tab) and the Unicode controls that turn text's direction (U+202A–U+202E,
 * U+2066–U+2069, which could show a shared file's name as another) are refused.
 */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- refusing control characters is this pattern's purpose
  .regex(/^[^\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/, {
    message: 'a name cannot hold control characters (NUL, a new line, a tab) or text-direction controls',
  });

export const SavedQuery = z.strictObject({
  $schema: z.string().max(500).optional(),
  version: z.literal(1),
  name: DisplayName,
  description: z.string().max(5000).default(''),
  dialect: Dialect,
  query: z.string().min(1).max(100_000),
  timeRange: SavedTimeRange.optional(),
  chart: ChartSpec.optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(32).default([]),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

export { spanMs } from './span';
