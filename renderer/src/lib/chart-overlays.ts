/**
 * How a time series of Sumo's `outlier` or `predict` is drawn (the columns are found by
 * `queries/chart/series-overlays.ts`), as Sumo Logic draws them:
 * - outlier: the measure as a line over its expected band (lower to upper edge, an area stacked on an
 *   invisible line at the lower edge), each outlier (indicator 1) marked with a dot in the REJECT colour;
 * - predict: the measure as a line where it was observed, the fitted line thin and dotted beside it, and
 *   the forecast dashed, going on from the last observed point.
 * Pure: series objects for ECharts' option, and the tooltip's lines for a time.
 */
import { forecastColumns, outlierColumns } from '../../../queries/chart/series-overlays';
import type { ChartPalette } from './chart-option';

/** A measure's values by time (null: no value there). */
export type Points = Map<string | number, number | null>;

export interface Overlay {
  series: Record<string, unknown>[];
  /** What the legend lists (the band's invisible lower edge is not one), with the band's icon an area's. */
  legend: (string | { name: string; icon: string })[];
  /**
   * Where the value axis starts, when the chart says: 0 for a band around a measure that is never below
   * 0 (a count's expected range may reach below it; the tooltip still says where).
   */
  axisMin?: number;
  /** The lines of the tooltip at time `x`, each value read by `format`. */
  tooltip(x: number, format: (name: string, value: number) => string): string[];
}

/** Name of the outliers' series and of the forecast's, in the legend. */
const OUTLIERS = 'outliers';
const FORECAST = 'forecast';
const BAND = 'expected range';

/** The overlay for these measures (by column name), or null when they are neither an outlier nor a forecast. */
export function seriesOverlay(
  measures: ReadonlyMap<string, Points>,
  xs: readonly number[],
  palette: ChartPalette,
  color: string,
): Overlay | null {
  const names = [...measures.keys()];
  const value = (name: string, x: number) => measures.get(name)?.get(x) ?? null;
  const showSymbol = xs.length < 60;
  const line = (name: string, data: (number | null)[][], extra: Record<string, unknown> = {}) => ({
    name,
    type: 'line',
    showSymbol,
    connectNulls: false,
    itemStyle: { color },
    lineStyle: { color, width: 2 },
    data,
    ...extra,
  });

  const outlier = outlierColumns(names);
  if (outlier) {
    const edge = (x: number) => {
      const [lo, hi] = [value(outlier.lower, x), value(outlier.upper, x)];
      return lo === null || hi === null ? null : { lo, hi };
    };
    const marked = xs.filter((x) => value(outlier.indicator, x) === 1 && value(outlier.value, x) !== null);
    const hidden = { lineStyle: { opacity: 0 }, showSymbol: false, silent: true, tooltip: { show: false } };
    // Stacked on its lower edge whatever the signs (a band may start below 0).
    const band = { stack: 'band', stackStrategy: 'all' };
    return {
      series: [
        line(
          outlier.lower,
          xs.map((x) => [x, edge(x)?.lo ?? null]),
          { ...hidden, ...band },
        ),
        line(
          BAND,
          xs.map((x) => {
            const e = edge(x);
            return [x, e ? e.hi - e.lo : null];
          }),
          { ...hidden, ...band, areaStyle: { color, opacity: 0.25 } },
        ),
        line(
          outlier.value,
          xs.map((x) => [x, value(outlier.value, x)]),
        ),
        {
          name: OUTLIERS,
          type: 'scatter',
          symbolSize: 9,
          itemStyle: { color: palette.reject, borderColor: palette.surface, borderWidth: 1 },
          z: 5,
          data: marked.map((x) => [x, value(outlier.value, x)]),
        },
      ],
      legend: [outlier.value, { name: BAND, icon: 'roundRect' }, OUTLIERS],
      ...(xs.every((x) => (value(outlier.value, x) ?? 0) >= 0) ? { axisMin: 0 } : {}),
      tooltip(x, format) {
        const v = value(outlier.value, x);
        const e = edge(x);
        return [
          `${outlier.value}: ${v === null ? '–' : format(outlier.value, v)}`,
          `${BAND}: ${e ? `${format(outlier.value, e.lo)} – ${format(outlier.value, e.hi)}` : '–'}`,
          ...(value(outlier.indicator, x) === 1 ? ['outlier'] : []),
        ];
      },
    };
  }

  const forecast = forecastColumns(names);
  if (forecast) {
    const observed = xs.filter((x) => value(forecast.value, x) !== null);
    const lastObserved = observed.at(-1);
    const ahead = xs.filter((x) => lastObserved === undefined || x > lastObserved);
    // The forecast goes on from the last observed point, so it reads as the series continued.
    const start = lastObserved === undefined ? [] : [[lastObserved, value(forecast.value, lastObserved)]];
    // The fit and the forecast in the next colour, so they read apart from what was observed.
    const predictedColor = palette.colors[1] ?? color;
    return {
      series: [
        line(
          forecast.value,
          observed.map((x) => [x, value(forecast.value, x)]),
        ),
        line(
          forecast.predicted,
          observed.map((x) => [x, value(forecast.predicted, x)]),
          {
            showSymbol: false,
            itemStyle: { color: predictedColor },
            lineStyle: { color: predictedColor, width: 1, type: 'dotted' },
          },
        ),
        line(FORECAST, [...start, ...ahead.map((x) => [x, value(forecast.predicted, x)])], {
          itemStyle: { color: predictedColor },
          lineStyle: { color: predictedColor, width: 2, type: 'dashed' },
        }),
      ],
      legend: [forecast.value, forecast.predicted, FORECAST],
      tooltip(x, format) {
        const v = value(forecast.value, x);
        const p = value(forecast.predicted, x);
        return [
          ...(v === null ? [] : [`${forecast.value}: ${format(forecast.value, v)}`]),
          ...(p === null ? [] : [`${v === null ? FORECAST : forecast.predicted}: ${format(forecast.value, p)}`]),
        ];
      },
    };
  }
  return null;
}
