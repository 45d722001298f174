/**
 * A chart spec and its data (made by the engine from the whole result: `queries/chart/chart-data.ts`),
 * turned into the option object ECharts draws. Pure, so what a chart shows is tested without a browser.
 *
 * - Values read by the one formatting rule (`cell-format.ts`): bytes in kB/MB/GB on axes and in
 *   tooltips, ports with their service ("22 ssh"), counts with separators.
 * - Colours come from the design tokens (`chart-palette.ts`); ACCEPT and REJECT keep their two colours in
 *   every chart, and "Other" is grey.
 * - Line, area and bar tooltips follow the whole axis: every series' value at the pointed time or category.
 * - Measures that differ by orders of magnitude get a second axis, so the small one is not a flat line.
 * Tooltips are plain text drawn by ECharts as rich text, never HTML, so nothing in the data becomes markup.
 */
import type { CellValue, Column } from '../../../preload/contract';
import type { ChartSpec } from '../../../queries/chart/chart-choice';
import { isTimeSeries } from '../../../queries/chart/chart-choice';
import {
  MAX_CATEGORIES,
  MAX_HEAT,
  MAX_LINKS,
  MAX_SERIES,
  NONE,
  OTHER,
  unpivotedSpec,
} from '../../../queries/chart/chart-data';
import { columnKind } from '../../../queries/chart/column-kind';
import {
  formatBytes,
  formatCellFor,
  formatNumber,
  formatTime,
  formatValue,
  zoneName,
  type TimeZoneChoice,
} from './cell-format';
import { seriesOverlay, type Points } from './chart-overlays';
import { charsIn, LABEL_CHAR_PX, longest, shortLabels } from './short-labels';

/** The world map's ECharts name and the property of its features that holds ISO codes (`world-map.ts`). */
export const WORLD_MAP = 'world';
export const CODE_PROPERTY = 'code';

/** The colours a chart draws with (read from the design tokens in the app; any set in tests). */
export interface ChartPalette {
  text: string;
  muted: string;
  axis: string;
  grid: string;
  surface: string;
  /** Series and categories, in order. */
  colors: string[];
  other: string;
  accept: string;
  reject: string;
  /** A heat map's scale: low, middle, high. */
  heat: [string, string, string];
}

export interface ChartInput {
  columns: readonly Column[];
  rows: readonly (readonly CellValue[])[];
  spec: ChartSpec;
  palette: ChartPalette;
  zone?: TimeZoneChoice;
  /** The chart's size in pixels, when known: bars lie down only where their labels have room. */
  size?: { width: number; height: number };
  /** A strip of a chart (the records histogram): no legend, which its caption stands in for, tight margins, few values on its axis. */
  compact?: boolean;
}

/** Room above and below a Sankey's nodes, and between two nodes of a column (its `nodeGap`). */
const SANKEY_MARGIN_PX = 8;
const SANKEY_GAP_PX = 6;
/** A node lower than this, beside another as low, would print its label over its neighbour's. */
const SANKEY_LABEL_PX = 8;

/**
 * A Sankey's nodes, each labelled only where its height has room for it. ECharts scales every node by one
 * factor, that of the column whose nodes fill its height first; beside one flow a thousand times the others
 * (an exfiltration among ordinary talkers) the others are nodes a pixel high whose labels print over each
 * other. Those keep their node and their tooltip, and lose the label; with the chart's height unknown, every
 * node keeps its label.
 */
function labelledNodes<N extends { name: string; side: 'source' | 'target' }>(
  nodes: readonly N[],
  links: readonly { source: string; target: string; value: number }[],
  height: number | undefined,
): (N & { label?: { show: boolean } })[] {
  if (height === undefined) return [...nodes];
  const value = new Map<string, number>();
  for (const l of links) for (const name of [l.source, l.target]) value.set(name, (value.get(name) ?? 0) + l.value);
  const room = height - 2 * SANKEY_MARGIN_PX;
  const scale = Math.min(
    ...(['source', 'target'] as const).map((side) => {
      const column = nodes.filter((n) => n.side === side);
      const total = column.reduce((sum, n) => sum + (value.get(n.name) ?? 0), 0);
      return total > 0 ? (room - (column.length - 1) * SANKEY_GAP_PX) / total : Infinity;
    }),
  );
  return nodes.map((n) => ({ ...n, label: { show: (value.get(n.name) ?? 0) * scale >= SANKEY_LABEL_PX } }));
}

/** Height a lying bar needs for its label to be read, and what axes and margins take. */
const BAR_ROW_PX = 18;
const AXES_PX = 40;

/**
 * How many intervals a standing value axis asks ECharts for (its `splitNumber`, 5 by default): one per
 * VALUE_TICK_PX of the chart's height after AXES_PX and a legend, so that a short chart (130 px at
 * 1280×720) draws two or three values rather than six to eight in 65 px.
 */
const VALUE_TICK_PX = 36;
const valueTicksFor = (height: number): number =>
  Math.max(2, Math.min(5, Math.floor((height - AXES_PX - 40) / VALUE_TICK_PX)));

/**
 * How many intervals a time axis asks ECharts for: one per TIME_TICK_PX of the chart's width after the value
 * axis's labels, so that every label has room and none is hidden for overlapping another. Hiding is where
 * the dates went: ECharts (6.1, its layout by `outerBounds`) hid the day labels of a narrow chart first and
 * kept its hours, so a 400-pixel panel read "12:00 06:00 18:00 06:00 18:00".
 */
const TIME_TICK_PX = 80;
const VALUE_LABELS_PX = 70;
const timeTicksFor = (width: number): number => Math.max(2, Math.floor((width - VALUE_LABELS_PX) / TIME_TICK_PX));

/** What the world map leaves under itself for its colour scale: the bar, its handles and the values above it. */
export const MAP_SCALE_PX = 64;

/** A lying bar's label, and any label of a heat map's axes: room in pixels. */
const LYING_LABEL_PX = 160;
/** The least room for a row label of the heat map: closer ones print on top of each other. */
const HEAT_ROW_LABEL_PX = 16;
/** What a heat map's height keeps for other than its rows: margins, slanted column labels, the colour scale. */
const HEAT_FRAME_PX = 140;

/**
 * Of how many rows of a heat map one is labelled, so the labels have room: 25 rows in the 130 pixels a
 * chart keeps at 1280×720 print on top of each other. Every cell keeps its row in its tooltip.
 */
function heatRowsPerLabel(rows: number, height: number | undefined): number {
  if (height === undefined) return 1;
  const rowPx = Math.max(1, height - HEAT_FRAME_PX) / Math.max(1, rows);
  return Math.max(1, Math.ceil(HEAT_ROW_LABEL_PX / rowPx));
}
/**
 * Standing bars whose labels, shortened to their bar's width, would keep fewer characters than this slant
 * their labels, which then have `SLANTED_LABEL_PX` each: "26…:29" under a narrow bar tells little.
 */
const MIN_LABEL_CHARS = 10;
const SLANTED_LABEL_PX = 84;
/**
 * A chart shorter than this keeps its labels flat, cut to their bars: slanted, they take some 55 px, which
 * left the workbench's chart at 1280x720 (155 px) 25 px of bars, their value labels on top of one another.
 */
const MIN_SLANTING_CHART_PX = 170;

/** The option object; typed loosely here so this module does not need ECharts itself. */
export type ChartOption = Record<string, unknown>;

/** A measure on a second axis when its largest value is this many times smaller than the largest one's. */
const SECOND_AXIS_RATIO = 100;

/**
 * Where a line over time has no row: the times, one step after a point, of each hole in a regular grid of
 * times (`bin(5m)` buckets, a downsampled chart's halves of a bucket). A line drawn through a hole read as
 * data that was never there: the mixed-format workspace's "Actions by Minute" drew a straight line across three
 * months without records. A null at each of these breaks the line. Times on no grid (a step that does not
 * divide every gap: raw times, calendar months) have no holes to find, and none is made.
 */
export function timeGaps(xs: readonly number[]): number[] {
  if (xs.length < 3) return [];
  const steps = xs.slice(1).map((x, i) => x - xs[i]!);
  const step = Math.min(...steps.filter((d) => d > 0));
  if (!Number.isFinite(step) || steps.some((d) => d % step !== 0)) return [];
  return xs.slice(0, -1).flatMap((x, i) => (steps[i]! > step ? [x + step] : []));
}

function toNumber(value: CellValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (typeof value === 'boolean') return Number(value);
  return 0;
}

function toTime(value: CellValue | undefined): number {
  if (typeof value !== 'string') return toNumber(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || !value.includes('T') ? value : `${value}Z`);
}

function label(value: CellValue | undefined): string {
  if (value === null || value === undefined) return NONE;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function ysOf(spec: ChartSpec): string[] {
  return spec.y === undefined ? [] : Array.isArray(spec.y) ? spec.y : [spec.y];
}

/** How a number of a column reads on an axis or in a tooltip. */
function valueFormatter(column: Column | undefined, zone: TimeZoneChoice): (value: number) => string {
  const kind = column ? columnKind(column) : 'number';
  if (kind === 'bytes') return formatBytes;
  if (kind === 'time') return (v) => formatTime(new Date(v).toISOString(), zone);
  if (kind === 'number') return formatNumber;
  return (v) => formatValue(kind, v, { zone });
}

/**
 * How a category reads. Under a standing bar, where a label has the bar's width only, a port's service
 * name goes on a line of its own: cut short on one line, "5432 postgresql" became "5432…" and "1065 syscomlan"
 * "106…", a port that is not the one drawn.
 */
function categoryFormatter(
  column: Column | undefined,
  zone: TimeZoneChoice,
  noteOnOwnLine = false,
): (name: string) => string {
  if (!column) return (name) => name;
  const kind = columnKind(column);
  if (!noteOnOwnLine) return (name) => (name === OTHER || name === NONE ? name : formatValue(kind, name, { zone }));
  return (name) => {
    if (name === OTHER || name === NONE) return name;
    const cell = formatCellFor(kind, name, { zone });
    return cell.note ? `${cell.text}\n${cell.note}` : cell.text;
  };
}

/**
 * The labels of a category axis, each shortened in the middle to the room it has (`short-labels.ts`), and
 * that room. Standing bars whose labels would keep too little of themselves slant them for more room (`slant`:
 * where the chart is tall enough to give it); a
 * label that must show more to differ from another gets the room it needs (a lying bar's axis widens).
 */
function fitCategoryLabels(
  texts: readonly string[],
  width: number,
  slant: boolean,
): { shown: Map<string, string>; width: number; slanted: boolean } {
  const flat = shortLabels(texts, charsIn(width));
  const fitsWhole = texts.every((t) => t.length <= charsIn(width));
  const roomy = charsIn(width) >= MIN_LABEL_CHARS && longest(flat) <= charsIn(width);
  if (!slant || fitsWhole || roomy)
    return { shown: flat, width: Math.max(width, longest(flat) * LABEL_CHAR_PX), slanted: false };
  const slanted = shortLabels(texts, charsIn(SLANTED_LABEL_PX));
  return { shown: slanted, width: Math.max(SLANTED_LABEL_PX, longest(slanted) * LABEL_CHAR_PX), slanted: true };
}

/** ACCEPT and REJECT have their own colours in every chart, and Other and (none) are grey. */
function fixedColor(name: string, palette: ChartPalette): string | null {
  if (name === 'ACCEPT') return palette.accept;
  if (name === 'REJECT') return palette.reject;
  if (name === OTHER || name === NONE) return palette.other;
  return null;
}

/** The colour of each name: a fixed one where it has one, else the series colours in order. */
function colorsFor(names: readonly string[], palette: ChartPalette): string[] {
  let next = 0;
  return names.map((name) => fixedColor(name, palette) ?? palette.colors[next++ % palette.colors.length]!);
}

/** The categories with the largest totals, in that order; the rest are folded into "Other" by the caller. */
function topCategories(totals: Map<string, number>, max: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([name]) => name);
}

/** A chart over time selects a time range by a drag along its x axis (what brushing a chart sets). */
const TIME_BRUSH = {
  brush: {
    xAxisIndex: 0,
    brushType: 'lineX',
    brushMode: 'single',
    transformable: false,
    outOfBrush: { colorAlpha: 0.25 },
  },
  toolbox: { show: false, feature: { brush: { type: ['lineX'] } } },
} as const;

/**
 * A slice's share in whole percent, except where rounding would say something false: a slice there is never
 * reads "0%" (220 of 150,000 records is "<1%"), nor one short of the whole "100%".
 */
export function shareText(fraction: number): string {
  const percent = 100 * fraction;
  if (percent > 0 && percent < 1) return '<1%';
  if (percent > 99 && percent < 100) return '>99%';
  return `${Math.round(percent)}%`;
}

/**
 * Which measures go on a second axis: those whose largest value is `SECOND_AXIS_RATIO` times smaller than
 * the largest measure's (bytes beside record counts), as indexes into `maxima`.
 */
function secondAxisMeasures(maxima: readonly number[]): Set<number> {
  const top = Math.max(0, ...maxima.map(Math.abs));
  const second = new Set<number>();
  maxima.forEach((m, i) => {
    if (Math.abs(m) * SECOND_AXIS_RATIO < top) second.add(i);
  });
  return second.size === maxima.length ? new Set() : second;
}

/** A single-value result as the big numbers it is: each measure with its name. */
export function bigNumbers(
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
  spec: ChartSpec,
  zone: TimeZoneChoice,
): { label: string; text: string }[] {
  const row = rows[0] ?? [];
  return ysOf(spec).map((name) => {
    const i = columns.findIndex((c) => c.name === name);
    const value = row[i] ?? null;
    if (value === null) return { label: name, text: '–' };
    // A count sent as digits (past 2^53, a DECIMAL) is shown from them, exactly; a double would change it.
    const exact = typeof value === 'string' && columnKind(columns[i]!) === 'number';
    return { label: name, text: exact ? formatNumber(value) : valueFormatter(columns[i], zone)(toNumber(value)) };
  });
}

export function buildChartOption(input: ChartInput): ChartOption {
  const { columns, rows, palette } = input;
  // A pivoted result's data comes as rows of (x, column, cell): drawn as the series chart it has become.
  const spec = unpivotedSpec(input.spec);
  const zone = input.zone ?? 'utc';
  const index = (name: string | undefined) => (name === undefined ? -1 : columns.findIndex((c) => c.name === name));
  const xi = index(spec.x);
  const si = index(spec.series);
  const ys = ysOf(spec).map((name) => ({ name, i: index(name) }));
  const yColumn = ys[0] ? columns[ys[0].i] : undefined;
  const formatY = valueFormatter(yColumn, zone);
  const formatX = categoryFormatter(columns[xi], zone);
  const textStyle = { color: palette.text };
  const axisCommon = {
    axisLine: { lineStyle: { color: palette.axis } },
    axisLabel: { color: palette.muted, hideOverlap: true },
    splitLine: { lineStyle: { color: palette.grid } },
  };
  // Times are drawn in the display zone (UTC or this machine's): the axis says which, as the grid's header does;
  // a dashboard's compact panel leaves the name out, for the plot's room.
  const timeAxis = {
    type: 'time',
    ...axisCommon,
    // Ticks far enough apart that no label is hidden for room: ECharts hid the dates first ("12:00 06:00 18:00"
    // under a 400-pixel panel), and the day a spike fell on could not be told.
    ...(input.size ? { splitNumber: timeTicksFor(input.size.width) } : {}),
    ...(input.compact
      ? {}
      : {
          name: `Time (${zoneName(zone)})`,
          nameLocation: 'middle',
          nameGap: 24,
          nameTextStyle: { color: palette.muted },
        }),
    axisLabel: {
      ...axisCommon.axisLabel,
      formatter: {
        year: '{yyyy}',
        month: '{MMM} {yyyy}',
        day: '{MMM} {d}',
        hour: '{HH}:{mm}',
        minute: '{HH}:{mm}',
        second: '{HH}:{mm}:{ss}',
      },
    },
  };
  /** The plot's bottom edge: with the time axis's name (its zone) inside the chart too, not only the labels;
   * ECharts counts its line without the descenders, which the chart's edge cut. */
  const gridBottom = (timeX: boolean) => ({
    bottom: input.compact ? 0 : timeX ? 20 : 16,
    containLabel: true,
    ...(timeX && !input.compact ? { outerBoundsContain: 'all' } : {}),
  });
  const tooltipStyle = {
    renderMode: 'richText',
    backgroundColor: palette.surface,
    borderColor: palette.axis,
    textStyle: { color: palette.text },
  };
  const tooltip = (formatter: (p: TooltipParam) => string) => ({
    trigger: 'item',
    ...tooltipStyle,
    formatter: (p: TooltipParam | TooltipParam[]) => (Array.isArray(p) ? p.map(formatter).join('\n') : formatter(p)),
  });
  /** The colour scale of a heat map or the world map, under the chart, from nothing to `max`. */
  const heatScale = (max: number) => ({
    min: 0,
    max: max || 1,
    calculable: true,
    orient: 'horizontal',
    left: 'center',
    bottom: 0,
    textStyle: { color: palette.muted },
    inRange: { color: palette.heat },
    formatter: (v: number) => formatY(v),
  });
  const base: ChartOption = {
    backgroundColor: 'transparent',
    color: palette.colors,
    textStyle,
    animation: rows.length < 2000,
    useUTC: zone === 'utc',
  };

  switch (spec.type) {
    case 'line':
    case 'area':
    case 'bar': {
      const timeX = isTimeSeries(spec, columns);
      const xValue = (row: readonly CellValue[]) => (timeX ? toTime(row[xi]) : label(row[xi]));
      let series: { name: string; column: Column | undefined; points: Points }[];
      if (si >= 0 && ys[0]) {
        const totals = new Map<string, number>();
        for (const row of rows) totals.set(label(row[si]), (totals.get(label(row[si])) ?? 0) + toNumber(row[ys[0].i]));
        // The chart data may have folded series into Other already (its top MAX_SERIES beside it): Other is
        // drawn as well, never counted among the named series it would push one out of.
        totals.delete(OTHER);
        const kept = new Set(topCategories(totals, MAX_SERIES));
        const byName = new Map<string, Map<string | number, number>>();
        for (const row of rows) {
          const name = kept.has(label(row[si])) ? label(row[si]) : OTHER;
          const points = byName.get(name) ?? new Map();
          const x = xValue(row);
          // A NULL measure (the bytes of NODATA records, grouped as "-") is no value, never 0.
          const v = row[ys[0].i];
          points.set(x, v === null || v === undefined ? (points.get(x) ?? null) : (points.get(x) ?? 0) + toNumber(v));
          byName.set(name, points);
        }
        const order = [...kept, ...(byName.has(OTHER) ? [OTHER] : [])];
        series = order.map((name) => ({ name, column: yColumn, points: byName.get(name)! }));
      } else {
        series = ys.map(({ name, i }) => {
          // No value stays none (a forecast row has no observed value); where values are, they add up.
          const points: Points = new Map();
          for (const row of rows) {
            const x = xValue(row);
            const v = row[i];
            points.set(x, v === null || v === undefined ? (points.get(x) ?? null) : (points.get(x) ?? 0) + toNumber(v));
          }
          return { name, column: columns[i], points };
        });
      }
      // Every series over the same x values, zeros where one has no row: stacks add up point by point. A NULL
      // is a gap, as a forecast row's missing observation is.
      const drawn = (s: { points: Points }, x: string | number) =>
        gaps.has(x as number) ? null : s.points.has(x) ? s.points.get(x)! : 0;
      /** Series with no value at all: in the legend as such, and nothing drawn (they were a line at 0). */
      const empty = new Set(series.filter((s) => [...s.points.values()].every((v) => v === null)).map((s) => s.name));
      let xs = [...new Set(series.flatMap((s) => [...s.points.keys()]))];
      if (timeX) xs.sort((a, b) => (a as number) - (b as number));
      else if (si < 0) {
        const totals = new Map(xs.map((x) => [x, series.reduce((sum, s) => sum + (s.points.get(x) ?? 0), 0)]));
        xs = xs.sort((a, b) => totals.get(b)! - totals.get(a)!).slice(0, MAX_CATEGORIES);
      }
      // A line or area over time breaks where its grid of times has no row (bars leave the place empty anyway).
      const gaps = new Set(timeX && spec.type !== 'bar' ? timeGaps(xs as number[]) : []);
      if (gaps.size > 0) xs = [...xs, ...gaps].sort((a, b) => (a as number) - (b as number));
      // Bars lie down, labels on the left, when each has a line of its own; a short chart stands them up.
      const horizontal =
        spec.type === 'bar' && !timeX && (!input.size || xs.length * BAR_ROW_PX + AXES_PX <= input.size.height);
      const labelWidth =
        horizontal || !input.size ? LYING_LABEL_PX : Math.max(40, input.size.width / Math.max(1, xs.length) - 8);
      // Under a standing bar a port's service name has a line of its own, and only the first line is shortened.
      const standingFormat = categoryFormatter(columns[xi], zone, true);
      const labelLines = (x: string) => (horizontal ? [formatX(x)] : standingFormat(x).split('\n'));
      const labels = fitCategoryLabels(
        timeX ? [] : xs.map((x) => labelLines(String(x))[0]!),
        labelWidth,
        !horizontal && (!input.size || input.size.height >= MIN_SLANTING_CHART_PX),
      );
      const axisText = (x: string) => {
        const [first = '', ...notes] = labelLines(x);
        return [labels.shown.get(first) ?? first, ...notes].join('\n');
      };
      // Measures of different orders of magnitude (bytes beside counts): the small ones on a right-hand axis.
      // Sumo's outlier and predict results: a band with marked outliers, a forecast going on dashed.
      const overlay =
        spec.type === 'line' && timeX && si < 0
          ? seriesOverlay(new Map(series.map((s) => [s.name, s.points])), xs as number[], palette, palette.colors[0]!)
          : null;
      const onSecond =
        si < 0 && !overlay
          ? secondAxisMeasures(series.map((s) => Math.max(0, ...[...s.points.values()].map((v) => Math.abs(v ?? 0)))))
          : new Set<number>();
      const axisOf = (i: number) => (onSecond.has(i) ? 1 : 0);
      const stacked = spec.type === 'area' || (spec.type === 'bar' && si >= 0);
      const colors = colorsFor(
        series.map((s) => s.name),
        palette,
      );
      // One series over categories such as actions: a bar whose category has a colour of its own gets it.
      const barColors =
        si < 0 && series.length === 1 && !timeX && xs.some((x) => fixedColor(String(x), palette))
          ? xs.map((x) => fixedColor(String(x), palette) ?? colors[0]!)
          : null;
      const categoryAxis = {
        type: 'category',
        data: xs.map(String),
        ...axisCommon,
        axisLabel: {
          ...axisCommon.axisLabel,
          width: labels.width,
          overflow: 'truncate',
          ellipsis: '…',
          formatter: axisText,
          // Standing bars: every label, each already cut to its bar's width, hanging below the axis from
          // its top; centred on its place, a two-line label sat on the axis line and was clipped below.
          ...(horizontal ? {} : { interval: 0, hideOverlap: false, verticalAlign: 'top', lineHeight: 14 }),
          ...(labels.slanted ? { rotate: 30 } : {}),
        },
      };
      const valueAxis = (column: Column | undefined, extra: Record<string, unknown> = {}) => ({
        type: 'value',
        ...axisCommon,
        axisLabel: { ...axisCommon.axisLabel, formatter: valueFormatter(column, zone) },
        // A strip has room for a line or two of values; a short standing axis for as many as fit.
        ...(input.compact
          ? { splitNumber: 2 }
          : !horizontal && input.size
            ? { splitNumber: valueTicksFor(input.size.height) }
            : {}),
        ...extra,
      });
      const valueAxes =
        onSecond.size > 0
          ? [
              valueAxis(series.find((_, i) => !onSecond.has(i))?.column),
              valueAxis(series.find((_, i) => onSecond.has(i))?.column, {
                position: horizontal ? 'top' : 'right',
                splitLine: { show: false },
              }),
            ]
          : valueAxis(yColumn, overlay?.axisMin === undefined ? {} : { min: overlay.axisMin });
      const formatters = series.map((s) => valueFormatter(s.column, zone));
      const xText = (x: unknown) => (timeX ? valueFormatter(columns[xi], zone)(Number(x)) : formatX(String(x)));
      return {
        ...base,
        color: colors,
        grid: {
          left: 16,
          right: onSecond.size ? 16 : 24,
          top: input.compact ? 6 : series.length > 1 ? (horizontal && onSecond.size ? 64 : 40) : 16,
          ...gridBottom(timeX),
        },
        legend:
          series.length > 1 && !input.compact
            ? {
                ...(overlay ? { data: overlay.legend } : {}),
                top: 4,
                type: 'scroll',
                textStyle: { color: palette.muted },
                formatter: (name: string) =>
                  `${categoryFormatter(columns[si], zone)(name)}${empty.has(name) ? ' (no values)' : ''}`,
              }
            : { show: false },
        // The whole axis: every series' value at the pointed time or category.
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: horizontal || spec.type === 'bar' ? 'shadow' : 'line' },
          ...tooltipStyle,
          formatter: (params: TooltipParam | TooltipParam[]) => {
            const list = Array.isArray(params) ? params : [params];
            const first = list[0];
            if (!first) return '';
            const x = Array.isArray(first.value) ? first.value[0] : (first.axisValue ?? first.name);
            if (overlay) {
              const format = (name: string, v: number) =>
                (formatters[series.findIndex((s) => s.name === name)] ?? formatY)(v);
              return [xText(x), ...overlay.tooltip(Number(x), format)].join('\n');
            }
            const lines = list.map((p) => {
              const v = Array.isArray(p.value) ? p.value[1] : p.value;
              const format = formatters[p.seriesIndex ?? 0] ?? formatY;
              const name = si >= 0 ? categoryFormatter(columns[si], zone)(p.seriesName ?? '') : (p.seriesName ?? '');
              return `${name}: ${v === null || v === undefined ? '–' : format(Number(v))}`;
            });
            return [xText(x), ...lines].join('\n');
          },
        },
        xAxis: horizontal ? valueAxes : timeX ? timeAxis : categoryAxis,
        yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxes,
        ...(timeX ? TIME_BRUSH : {}),
        series:
          overlay?.series ??
          series.map((s, i) => ({
            name: s.name,
            type: spec.type === 'bar' ? 'bar' : 'line',
            showSymbol: xs.length < 60,
            itemStyle: { color: colors[i] },
            ...(onSecond.size ? { [horizontal ? 'xAxisIndex' : 'yAxisIndex']: axisOf(i) } : {}),
            ...(stacked ? { stack: `total${axisOf(i)}` } : {}),
            ...(spec.type === 'area' ? { areaStyle: { opacity: 0.75 }, lineStyle: { width: 1 } } : {}),
            ...(spec.type === 'bar' ? { barMaxWidth: 48 } : {}),
            data: timeX
              ? xs.map((x) => [x, drawn(s, x)])
              : xs.map((x, j) => {
                  const value = drawn(s, x);
                  return barColors ? { value, itemStyle: { color: barColors[j] } } : value;
                }),
          })),
      };
    }
    case 'boxplot': {
      // A box per time slice or category: whiskers from the minimum to the maximum, the box from the 25th to
      // the 75th percentile, a line at the median (Sumo's "box and whisker"). Every row of the data is a box.
      const timeX = isTimeSeries(spec, columns);
      const names = ['Minimum', '25th percentile', 'Median', '75th percentile', 'Maximum'];
      const value = (v: CellValue | undefined) => (v === null || v === undefined ? null : toNumber(v));
      const boxes = rows
        .map((row) => ({ x: timeX ? toTime(row[xi]) : label(row[xi]), v: ys.map(({ i }) => value(row[i])) }))
        .filter((b) => b.v.some((v) => v !== null));
      const xText = (x: unknown) => (timeX ? valueFormatter(columns[xi], zone)(Number(x)) : formatX(String(x)));
      const valueAxis = {
        type: 'value',
        ...axisCommon,
        axisLabel: { ...axisCommon.axisLabel, formatter: formatY },
        ...(input.size ? { splitNumber: valueTicksFor(input.size.height) } : {}),
      };
      const xAxis = timeX
        ? timeAxis
        : {
            type: 'category',
            data: boxes.map((b) => String(b.x)),
            ...axisCommon,
            axisLabel: { ...axisCommon.axisLabel, formatter: formatX },
          };
      const color = palette.colors[0]!;
      return {
        ...base,
        grid: {
          left: 16,
          right: 24,
          top: 16,
          ...gridBottom(timeX),
        },
        legend: { show: false },
        // The whole axis, as other time charts: a box a pixel wide is hard to point at.
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'line' },
          ...tooltipStyle,
          formatter: (params: TooltipParam | TooltipParam[]) => {
            const p = Array.isArray(params) ? params[0] : params;
            const box = boxes[p?.dataIndex ?? -1];
            if (!box) return '';
            // Largest first, as the box stands; each with the column it comes from.
            const lines = names
              .map((name, k) => `${name} (${ys[k]!.name}): ${box.v[k] === null ? '–' : formatY(box.v[k]!)}`)
              .reverse();
            return [xText(box.x), ...lines].join('\n');
          },
        },
        xAxis,
        yAxis: valueAxis,
        ...(timeX ? TIME_BRUSH : {}),
        series: [
          {
            name: ysOf(spec).join(', '),
            type: 'boxplot',
            // Many slices in a panel's width make boxes a pixel wide: whiskers and boxes still show the spread.
            boxWidth: [1, 40],
            itemStyle: { color: `${color}55`, borderColor: color, borderWidth: 1 },
            ...(timeX
              ? {
                  dimensions: ['x', 'min', 'Q1', 'median', 'Q3', 'max'],
                  encode: {
                    x: 'x',
                    y: ['min', 'Q1', 'median', 'Q3', 'max'],
                    tooltip: ['min', 'Q1', 'median', 'Q3', 'max'],
                  },
                  data: boxes.map((b) => [b.x, ...b.v]),
                }
              : { data: boxes.map((b) => b.v) }),
          },
        ],
      };
    }
    case 'pie': {
      const totals = new Map<string, number>();
      for (const row of rows)
        totals.set(label(row[xi]), (totals.get(label(row[xi])) ?? 0) + toNumber(row[ys[0]?.i ?? -1]));
      const names = [...totals.keys()];
      const colors = colorsFor(names, palette);
      const whole = [...totals.values()].reduce((sum, v) => sum + v, 0);
      // Averages or maxima are no parts of a whole: their slices show their values, never a share of the sum.
      const parts = whole > 0 && yColumn?.addsUp !== false;
      const share = (name: string) => (parts ? ` ${shareText((totals.get(name) ?? 0) / whole)}` : '');
      return {
        ...base,
        // The legend names every slice with its share; labels around a small pie would collide.
        legend: {
          type: 'scroll',
          orient: 'vertical',
          right: 8,
          top: 'middle',
          textStyle: { color: palette.muted },
          formatter: (name: string) => `${formatX(name)}${share(name)}`,
        },
        tooltip: tooltip(
          (p) =>
            `${formatX(p.name)}: ${formatY(Number(p.value))}${parts ? ` (${shareText(Number(p.value) / whole)})` : ''}`,
        ),
        series: [
          {
            type: 'pie',
            radius: ['35%', '70%'],
            center: ['40%', '50%'],
            itemStyle: { borderColor: palette.surface, borderWidth: 1 },
            label: { show: false },
            data: names.map((name, i) => ({ name, value: totals.get(name), itemStyle: { color: colors[i] } })),
          },
        ],
      };
    }
    case 'sankey': {
      // Sources and destinations are separate nodes, so traffic both ways between two hosts is no cycle.
      // Links and nodes keep the labels they were drawn from (`keys`), for a click's drill-down (`chart-pick.ts`).
      const links = new Map<string, { source: string; target: string; value: number; keys: [string, string] }>();
      const formatTarget = categoryFormatter(columns[si], zone);
      for (const row of rows) {
        const keys: [string, string] = [label(row[xi]), label(row[si])];
        const source = `${formatX(keys[0])} ›`;
        const target = `› ${formatTarget(keys[1])}`;
        const key = `${source}\u0000${target}`;
        const link = links.get(key) ?? { source, target, value: 0, keys };
        link.value += toNumber(row[ys[0]?.i ?? -1]);
        links.set(key, link);
      }
      const kept = [...links.values()].sort((a, b) => b.value - a.value).slice(0, MAX_LINKS);
      const nodeOf = new Map<string, { name: string; keys: [string]; side: 'source' | 'target' }>();
      for (const l of kept) {
        nodeOf.set(l.source, { name: l.source, keys: [l.keys[0]], side: 'source' });
        nodeOf.set(l.target, { name: l.target, keys: [l.keys[1]], side: 'target' });
      }
      const nodes = [...nodeOf.values()];
      return {
        ...base,
        tooltip: tooltip((p) =>
          p.dataType === 'edge'
            ? `${p.data?.source} ${p.data?.target}: ${formatY(Number(p.value))}`
            : `${p.name}: ${formatY(Number(p.value))}`,
        ),
        series: [
          {
            type: 'sankey',
            left: 8,
            right: 120,
            top: SANKEY_MARGIN_PX,
            bottom: SANKEY_MARGIN_PX,
            nodeGap: SANKEY_GAP_PX,
            emphasis: { focus: 'adjacency' },
            label: { color: palette.text },
            lineStyle: { color: 'gradient', opacity: 0.35 },
            data: labelledNodes(nodes, kept, input.size?.height),
            links: kept,
          },
        ],
      };
    }
    case 'heatmap': {
      const xTotals = new Map<string, number>();
      const yTotals = new Map<string, number>();
      const cells = new Map<string, number>();
      for (const row of rows) {
        const [x, y, v] = [label(row[xi]), label(row[si]), toNumber(row[ys[0]?.i ?? -1])];
        xTotals.set(x, (xTotals.get(x) ?? 0) + v);
        yTotals.set(y, (yTotals.get(y) ?? 0) + v);
        cells.set(`${x}\u0000${y}`, (cells.get(`${x}\u0000${y}`) ?? 0) + v);
      }
      const xs = topCategories(xTotals, MAX_HEAT);
      const yCats = topCategories(yTotals, MAX_HEAT);
      const formatSeries = categoryFormatter(columns[si], zone);
      const shortX = shortLabels(xs.map(formatX), charsIn(LYING_LABEL_PX));
      const shortY = shortLabels(yCats.map(formatSeries), charsIn(LYING_LABEL_PX));
      const data: { value: [number, number, number]; keys: [string, string] }[] = [];
      xs.forEach((x, i) =>
        yCats.forEach(
          (y, j) =>
            cells.has(`${x}\u0000${y}`) && data.push({ value: [i, j, cells.get(`${x}\u0000${y}`)!], keys: [x, y] }),
        ),
      );
      const max = data.reduce((m, d) => Math.max(m, d.value[2]), 0);
      const perLabel = heatRowsPerLabel(yCats.length, input.size?.height);
      return {
        ...base,
        grid: { left: 16, right: 24, top: perLabel > 1 ? 32 : 16, bottom: 56, containLabel: true },
        tooltip: tooltip((p) => {
          const [i, j, v] = p.value as [number, number, number];
          return `${formatX(xs[i]!)} × ${formatSeries(yCats[j]!)}: ${formatY(v)}`;
        }),
        xAxis: {
          type: 'category',
          data: xs,
          ...axisCommon,
          axisLabel: { ...axisCommon.axisLabel, rotate: 30, formatter: (x: string) => shortX.get(formatX(x)) },
        },
        yAxis: {
          type: 'category',
          data: yCats,
          ...axisCommon,
          // Said above the rows, so that an unlabelled row is not read as belonging to the label beside it.
          ...(perLabel > 1
            ? {
                name: `1 row in ${perLabel} labelled: hover a cell for its row`,
                nameTextStyle: { color: palette.muted, align: 'left' },
              }
            : {}),
          axisLabel: {
            ...axisCommon.axisLabel,
            interval: perLabel - 1,
            formatter: (y: string) => shortY.get(formatSeries(y)),
          },
        },
        visualMap: heatScale(max),
        series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: palette.text, borderWidth: 1 } } }],
      };
    }
    case 'map': {
      const data = rows
        .filter((row) => typeof row[xi] === 'string')
        .map((row) => ({ name: String(row[xi]), value: toNumber(row[ys[0]?.i ?? -1]) }));
      const max = data.reduce((m, d) => Math.max(m, d.value), 0);
      return {
        ...base,
        tooltip: tooltip((p) =>
          typeof p.value === 'number' && !Number.isNaN(p.value)
            ? `${p.name}: ${formatY(p.value)}`
            : `${p.name}: no records`,
        ),
        visualMap: heatScale(max),
        series: [
          {
            type: 'map',
            map: WORLD_MAP,
            nameProperty: CODE_PROPERTY,
            roam: true,
            // Room below the map for its colour scale and the values over it, which were drawn over Australia,
            // then over Antarctica.
            top: 8,
            bottom: MAP_SCALE_PX,
            itemStyle: { areaColor: palette.grid, borderColor: palette.axis },
            emphasis: { label: { show: false }, itemStyle: { borderColor: palette.text, borderWidth: 1 } },
            data,
          },
        ],
      };
    }
    case 'table':
    case 'number':
      // Not drawn by ECharts: a table, or big numbers (`bigNumbers`).
      return base;
  }
}

/** The part of ECharts' formatter parameters the tooltips read. */
export interface TooltipParam {
  seriesName?: string;
  seriesIndex?: number;
  dataIndex?: number;
  name: string;
  value: unknown;
  axisValue?: unknown;
  percent?: number;
  dataType?: string;
  data?: { source?: string; target?: string };
}

/** What one series draws (see `seriesSummary`). */
export interface SeriesSummary {
  name: string;
  type: string;
  points: number;
  line?: string;
  stack?: string;
  area?: boolean;
  /** Its colour, when it has one of its own (ACCEPT, REJECT, Other). */
  colour?: string;
  /** The colour of each named item that has one (a pie's slices). */
  colours?: Record<string, string>;
  /** The y axis it is measured on, when the chart has more than one. */
  axis?: number;
}

/**
 * What each series of an option draws, for whoever checks the chart (on its element, as `data-series`):
 * its name, type, how many points have a value, its line style and stack, its colours and its axis.
 */
export function seriesSummary(option: ChartOption): SeriesSummary[] {
  const list = (option.series ?? []) as Record<string, unknown>[];
  // A bar's items are named by the category axis: its values, in order.
  const axes = [option.xAxis, option.yAxis].flat() as ({ type?: string; data?: unknown[] } | undefined)[];
  const categories = axes.find((a) => a?.type === 'category')?.data ?? [];
  return list.map((s) => {
    const data = (s.data ?? []) as unknown[];
    const points = data.filter((d) => {
      const v = Array.isArray(d)
        ? d[1]
        : d && typeof d === 'object' && 'value' in d
          ? (d as { value: unknown }).value
          : d;
      return v !== null && v !== undefined;
    }).length;
    const line = (s.lineStyle as { type?: string } | undefined)?.type;
    const colour = (s.itemStyle as { color?: unknown } | undefined)?.color;
    const colours = Object.fromEntries(
      data.flatMap((d, j) => {
        const item = d as { name?: unknown; itemStyle?: { color?: unknown } } | null;
        const c = item && typeof item === 'object' ? item.itemStyle?.color : undefined;
        const name = item && typeof item === 'object' && item.name !== undefined ? item.name : categories[j];
        return typeof c === 'string' && typeof name === 'string' ? [[name, c]] : [];
      }),
    );
    return {
      name: String(s.name ?? ''),
      type: String(s.type),
      points,
      ...(line ? { line } : {}),
      ...(typeof s.stack === 'string' ? { stack: s.stack } : {}),
      ...(s.areaStyle ? { area: true } : {}),
      ...(typeof colour === 'string' ? { colour } : {}),
      ...(Object.keys(colours).length ? { colours } : {}),
      ...(typeof s.yAxisIndex === 'number' ? { axis: s.yAxisIndex } : {}),
    };
  });
}
