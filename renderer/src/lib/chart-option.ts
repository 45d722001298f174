/**
 * A chart spec and a result, turned into the option object ECharts draws. Pure, so what a chart shows is
 * tested without a browser. Tooltips are built as plain text and drawn by ECharts as rich text, never as
 * HTML, so nothing in the data can become markup. Colours come from the theme, so charts follow it.
 */
import type { CellValue, Column } from '../../../preload/contract';
import { formatBytes, formatTime, type TimeZoneChoice } from './cell-format';
import type { ChartSpec } from '../../../queries/chart/chart-choice';
import { isTimeSeries } from '../../../queries/chart/chart-choice';
import { MAX_CATEGORIES, MAX_HEAT, MAX_LINKS, MAX_SERIES, OTHER } from '../../../queries/chart/chart-data';
import { columnKind } from '../../../queries/chart/column-kind';

/** The world map's ECharts name and the property of its features that holds ISO codes (`world-map.ts`). */
export const WORLD_MAP = 'world';
export const CODE_PROPERTY = 'code';

export type ThemeName = 'light' | 'dark';

export interface ChartInput {
  columns: readonly Column[];
  rows: readonly (readonly CellValue[])[];
  spec: ChartSpec;
  theme: ThemeName;
  zone?: TimeZoneChoice;
}

/** The option object; typed loosely here so this module does not need ECharts itself. */
export type ChartOption = Record<string, unknown>;

export const PALETTES: Record<
  ThemeName,
  { text: string; muted: string; axis: string; grid: string; tooltip: string; colors: string[] }
> = {
  light: {
    text: '#1d2330',
    muted: '#5d6778',
    axis: '#c4cad3',
    grid: '#eceff3',
    tooltip: '#ffffff',
    colors: [
      '#2457c5',
      '#3bb4a0',
      '#e8833a',
      '#c2417a',
      '#7a5cd6',
      '#4ba3e3',
      '#d4b22c',
      '#6b8e23',
      '#b5523b',
      '#5d6778',
      '#8c9bb5',
    ],
  },
  dark: {
    text: '#e4e8ef',
    muted: '#9aa4b5',
    axis: '#3a4352',
    grid: '#272e3a',
    tooltip: '#1c222c',
    colors: [
      '#6d9bff',
      '#4fd1b5',
      '#f5a15a',
      '#ec6fa5',
      '#a48bff',
      '#6cc4ff',
      '#ecd05a',
      '#9cc45a',
      '#e07a62',
      '#aab4c5',
      '#7f8ca3',
    ],
  },
};

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
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function ysOf(spec: ChartSpec): string[] {
  return spec.y === undefined ? [] : Array.isArray(spec.y) ? spec.y : [spec.y];
}

/** How a value of a column reads in a tooltip or on an axis. */
export function valueFormatter(column: Column | undefined, zone: TimeZoneChoice): (value: number) => string {
  const kind = column ? columnKind(column) : 'number';
  if (kind === 'bytes') return formatBytes;
  if (kind === 'time') return (v) => formatTime(new Date(v).toISOString(), zone);
  return (v) => (Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(6))));
}

/** The categories with the largest totals, in that order; the rest are folded into "Other" by the caller. */
function topCategories(totals: Map<string, number>, max: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([name]) => name);
}

export function buildChartOption(input: ChartInput): ChartOption {
  const { columns, rows, spec, theme } = input;
  const zone = input.zone ?? 'utc';
  const palette = PALETTES[theme];
  const index = (name: string | undefined) => (name === undefined ? -1 : columns.findIndex((c) => c.name === name));
  const xi = index(spec.x);
  const si = index(spec.series);
  const ys = ysOf(spec).map((name) => ({ name, i: index(name) }));
  const yColumn = ys[0] ? columns[ys[0].i] : undefined;
  const formatY = valueFormatter(yColumn, zone);
  const textStyle = { color: palette.text };
  const axisCommon = {
    axisLine: { lineStyle: { color: palette.axis } },
    axisLabel: { color: palette.muted, hideOverlap: true },
    splitLine: { lineStyle: { color: palette.grid } },
  };
  const tooltip = (formatter: (p: TooltipParam) => string) => ({
    trigger: 'item',
    renderMode: 'richText',
    backgroundColor: palette.tooltip,
    borderColor: palette.axis,
    textStyle: { color: palette.text },
    formatter: (p: TooltipParam | TooltipParam[]) => (Array.isArray(p) ? p.map(formatter).join('\n') : formatter(p)),
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
      const formatX = timeX ? valueFormatter(columns[xi], zone) : (v: unknown) => String(v);
      let series: { name: string; points: Map<string | number, number> }[];
      if (si >= 0 && ys[0]) {
        const totals = new Map<string, number>();
        for (const row of rows) totals.set(label(row[si]), (totals.get(label(row[si])) ?? 0) + toNumber(row[ys[0].i]));
        const kept = new Set(topCategories(totals, MAX_SERIES));
        const byName = new Map<string, Map<string | number, number>>();
        for (const row of rows) {
          const name = kept.has(label(row[si])) ? label(row[si]) : OTHER;
          const points = byName.get(name) ?? new Map();
          const x = xValue(row);
          points.set(x, (points.get(x) ?? 0) + toNumber(row[ys[0].i]));
          byName.set(name, points);
        }
        const order = [...kept, ...(byName.has(OTHER) ? [OTHER] : [])];
        series = order.map((name) => ({ name, points: byName.get(name)! }));
      } else {
        series = ys.map(({ name, i }) => {
          const points = new Map<string | number, number>();
          for (const row of rows) points.set(xValue(row), (points.get(xValue(row)) ?? 0) + toNumber(row[i]));
          return { name, points };
        });
      }
      // Every series over the same x values, zeros where one has none: stacks add up point by point.
      let xs = [...new Set(series.flatMap((s) => [...s.points.keys()]))];
      if (timeX) xs.sort((a, b) => (a as number) - (b as number));
      else if (si < 0) {
        const totals = new Map(xs.map((x) => [x, series.reduce((sum, s) => sum + (s.points.get(x) ?? 0), 0)]));
        xs = xs.sort((a, b) => totals.get(b)! - totals.get(a)!).slice(0, MAX_CATEGORIES);
      }
      const stacked = spec.type === 'area' || (spec.type === 'bar' && si >= 0);
      const horizontal = spec.type === 'bar' && !timeX;
      const categoryAxis = {
        type: 'category',
        data: xs.map(String),
        ...axisCommon,
        axisLabel: { ...axisCommon.axisLabel, width: 140, overflow: 'truncate' },
      };
      const valueAxis = { type: 'value', ...axisCommon, axisLabel: { ...axisCommon.axisLabel, formatter: formatY } };
      const timeAxis = {
        type: 'time',
        ...axisCommon,
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
      return {
        ...base,
        grid: { left: 16, right: 24, top: series.length > 1 ? 40 : 16, bottom: 16, containLabel: true },
        legend: series.length > 1 ? { top: 4, type: 'scroll', textStyle: { color: palette.muted } } : { show: false },
        tooltip: tooltip((p) => {
          const x = Array.isArray(p.value) ? p.value[0] : p.name;
          const v = Array.isArray(p.value) ? p.value[1] : p.value;
          return `${p.seriesName}\n${timeX ? formatX(Number(x)) : String(x)}: ${formatY(Number(v))}`;
        }),
        xAxis: horizontal ? valueAxis : timeX ? timeAxis : categoryAxis,
        yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
        ...(timeX
          ? {
              brush: {
                xAxisIndex: 0,
                brushType: 'lineX',
                brushMode: 'single',
                transformable: false,
                outOfBrush: { colorAlpha: 0.25 },
              },
              toolbox: { show: false, feature: { brush: { type: ['lineX'] } } },
            }
          : {}),
        series: series.map((s) => ({
          name: s.name,
          type: spec.type === 'bar' ? 'bar' : 'line',
          showSymbol: xs.length < 60,
          ...(stacked ? { stack: 'total' } : {}),
          ...(spec.type === 'area' ? { areaStyle: { opacity: 0.75 }, lineStyle: { width: 1 } } : {}),
          data: timeX ? xs.map((x) => [x, s.points.get(x) ?? 0]) : xs.map((x) => s.points.get(x) ?? 0),
        })),
      };
    }
    case 'pie': {
      const totals = new Map<string, number>();
      for (const row of rows)
        totals.set(label(row[xi]), (totals.get(label(row[xi])) ?? 0) + toNumber(row[ys[0]?.i ?? -1]));
      return {
        ...base,
        legend: { type: 'scroll', orient: 'vertical', right: 8, top: 'middle', textStyle: { color: palette.muted } },
        tooltip: tooltip((p) => `${p.name}: ${formatY(Number(p.value))} (${p.percent ?? 0}%)`),
        series: [
          {
            type: 'pie',
            radius: ['35%', '70%'],
            center: ['40%', '50%'],
            itemStyle: { borderColor: theme === 'dark' ? '#151a22' : '#ffffff', borderWidth: 1 },
            label: { color: palette.text },
            data: [...totals.entries()].map(([name, value]) => ({ name, value })),
          },
        ],
      };
    }
    case 'sankey': {
      // Sources and destinations are separate nodes, so traffic both ways between two hosts is no cycle.
      const links = new Map<string, { source: string; target: string; value: number }>();
      for (const row of rows) {
        const source = `${label(row[xi])} ›`;
        const target = `› ${label(row[si])}`;
        const key = `${source}\u0000${target}`;
        const link = links.get(key) ?? { source, target, value: 0 };
        link.value += toNumber(row[ys[0]?.i ?? -1]);
        links.set(key, link);
      }
      const kept = [...links.values()].sort((a, b) => b.value - a.value).slice(0, MAX_LINKS);
      const nodes = [...new Set(kept.flatMap((l) => [l.source, l.target]))].map((name) => ({ name }));
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
            top: 8,
            bottom: 8,
            nodeGap: 6,
            emphasis: { focus: 'adjacency' },
            label: { color: palette.text },
            lineStyle: { color: 'gradient', opacity: 0.35 },
            data: nodes,
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
      const data: [number, number, number][] = [];
      xs.forEach((x, i) =>
        yCats.forEach((y, j) => cells.has(`${x}\u0000${y}`) && data.push([i, j, cells.get(`${x}\u0000${y}`)!])),
      );
      const max = data.reduce((m, d) => Math.max(m, d[2]), 0);
      return {
        ...base,
        grid: { left: 16, right: 24, top: 16, bottom: 56, containLabel: true },
        tooltip: tooltip((p) => {
          const [i, j, v] = p.value as [number, number, number];
          return `${xs[i]} × ${yCats[j]}: ${formatY(v)}`;
        }),
        xAxis: { type: 'category', data: xs, ...axisCommon, axisLabel: { ...axisCommon.axisLabel, rotate: 30 } },
        yAxis: { type: 'category', data: yCats, ...axisCommon },
        visualMap: {
          min: 0,
          max: max || 1,
          calculable: true,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
          textStyle: { color: palette.muted },
          inRange: { color: theme === 'dark' ? ['#1c2a44', '#6d9bff', '#f5a15a'] : ['#e8eefb', '#2457c5', '#c2417a'] },
          formatter: (v: number) => formatY(v),
        },
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
        visualMap: {
          min: 0,
          max: max || 1,
          calculable: true,
          orient: 'horizontal',
          left: 'center',
          bottom: 0,
          textStyle: { color: palette.muted },
          inRange: { color: theme === 'dark' ? ['#1c2a44', '#6d9bff', '#f5a15a'] : ['#e8eefb', '#2457c5', '#c2417a'] },
          formatter: (v: number) => formatY(v),
        },
        series: [
          {
            type: 'map',
            map: WORLD_MAP,
            nameProperty: CODE_PROPERTY,
            roam: true,
            itemStyle: { areaColor: palette.grid, borderColor: palette.axis },
            emphasis: { label: { show: false }, itemStyle: { borderColor: palette.text, borderWidth: 1 } },
            data,
          },
        ],
      };
    }
    case 'table':
      return base;
  }
}

/** The part of ECharts' formatter parameters the tooltips read. */
export interface TooltipParam {
  seriesName?: string;
  name: string;
  value: unknown;
  percent?: number;
  dataType?: string;
  data?: { source?: string; target?: string };
}
