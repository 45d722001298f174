/**
 * The charts' colours, read from the design tokens (`styles/tokens.css`), so a chart follows the theme
 * and there is one place to change a colour: the series colours in order, ACCEPT and REJECT in the same
 * two colours in every chart, "Other" in a quiet grey, and the heat map's scale.
 */
import type { ChartPalette } from './chart-option';

const SERIES_TOKENS = 10;

export function readChartPalette(root: Element = document.documentElement): ChartPalette {
  const style = getComputedStyle(root);
  const token = (name: string) => style.getPropertyValue(`--${name}`).trim();
  return {
    text: token('color-text'),
    muted: token('color-text-muted'),
    axis: token('color-border-strong'),
    grid: token('color-border'),
    surface: token('color-surface'),
    colors: Array.from({ length: SERIES_TOKENS }, (_, i) => token(`chart-${i + 1}`)),
    other: token('chart-other'),
    accept: token('chart-accept'),
    reject: token('chart-reject'),
    heat: [token('chart-heat-low'), token('chart-heat-mid'), token('chart-heat-high')],
  };
}
