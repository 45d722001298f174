/**
 * What the chart unit tests build options from: result columns, and a palette whose colours are names the
 * assertions can read (`#c1`, `#c2`, …, `#other`, `#accept`) instead of the design tokens' values.
 */
import type { ChartPalette } from '../../renderer/src/lib/chart-option';

export const col = (name: string, type: string) => ({ name, type });

/** A palette of `colours` series colours, `#c1` to `#c<colours>`. */
export function testPalette(colours: number): ChartPalette {
  return {
    text: '#111',
    muted: '#555',
    axis: '#999',
    grid: '#eee',
    surface: '#fff',
    colors: Array.from({ length: colours }, (_, i) => `#c${i + 1}`),
    other: '#other',
    accept: '#accept',
    reject: '#reject',
    heat: ['#low', '#mid', '#high'],
  };
}
