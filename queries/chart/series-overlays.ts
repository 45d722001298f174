/**
 * The columns Sumo's `outlier` and `predict` add beside a measure (`queries/language/compile.ts` names
 * them as Sumo does), found by name so the chart choice and the drawing agree: an outlier result is
 * drawn as its expected band with the outliers marked, a forecast as the series going on dashed.
 */

/** `outlier f`: f, the band's edges `f_lower`/`f_upper`, and `f_indicator` (1 for an outlier). */
export interface OutlierColumns {
  value: string;
  lower: string;
  upper: string;
  indicator: string;
}

/** `predict f`: f (empty in the forecast rows) and `f_predicted`. */
export interface ForecastColumns {
  value: string;
  predicted: string;
}

/** The outlier columns among these names, if a measure has all of them. */
export function outlierColumns(names: readonly string[]): OutlierColumns | null {
  for (const value of names) {
    const [lower, upper, indicator] = ['lower', 'upper', 'indicator'].map((s) => `${value}_${s}`);
    if (names.includes(lower!) && names.includes(upper!) && names.includes(indicator!))
      return { value, lower: lower!, upper: upper!, indicator: indicator! };
  }
  return null;
}

/** The forecast columns among these names: a measure with its prediction beside it. */
export function forecastColumns(names: readonly string[]): ForecastColumns | null {
  const value = names.find((n) => names.includes(`${n}_predicted`));
  return value === undefined ? null : { value, predicted: `${value}_predicted` };
}

/** What a line chart of these measures draws beyond its lines, for the chart's name: an outlier band, a forecast. */
export function overlayName(ys: readonly string[]): 'outlier band' | 'forecast' | null {
  return outlierColumns(ys) ? 'outlier band' : forecastColumns(ys) ? 'forecast' : null;
}

/**
 * A box plot's five columns among these names, in the order a box reads them (minimum, 25th, 50th and 75th
 * percentiles, maximum), or null. Sumo names `min(f), pct(f,25), pct(f,50), pct(f,75), max(f)` as `_min`,
 * `_f_pct_25`, `_f_pct_50`, `_f_pct_75`, `_max`; Insights as written (`pct(f, 25)`, `min(f)`); a median and
 * `p25`/`q1` spellings are read too.
 */
export function boxPlotColumns(names: readonly string[]): string[] | null {
  const find = (pattern: RegExp) => names.find((n) => pattern.test(n));
  const pct = (n: number, ...others: string[]) =>
    find(
      new RegExp(
        `(^|[_(])(pct|p|percentile)_?${n}$|^(pct|percentile)\\(.*,\\s*${n}\\)$|${others.join('|') || '$^'}`,
        'i',
      ),
    );
  const columns = [
    find(/(^|_)min($|_)|^min\(/i),
    pct(25, '(^|_)q1$'),
    pct(50, '(^|_)median($|_)|^median\\(', '(^|_)q2$'),
    pct(75, '(^|_)q3$'),
    find(/(^|_)max($|_)|^max\(/i),
  ];
  if (columns.some((c) => c === undefined) || new Set(columns).size !== 5) return null;
  return columns as string[];
}
