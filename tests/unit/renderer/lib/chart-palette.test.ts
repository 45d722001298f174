/**
 * The chart colours of the design tokens (`renderer/src/styles/tokens.css`), light and dark: "Other" is the one
 * grey, and no series colour can be taken for it (the 10th series, a slate grey, read as Other in a chart of
 * "Top 10 … series, the rest as Other", so the brute-force source among them looked like the rest).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const css = readFileSync(new URL('../../../../renderer/src/styles/tokens.css', import.meta.url), 'utf8');

/** The chart tokens of one theme's block (`:root {` or `:root[data-theme='dark'] {`). */
function chartTokens(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  assert.ok(start >= 0, `no ${selector} block`);
  const block = css.slice(start, css.indexOf('\n}', start));
  return new Map([...block.matchAll(/--(chart-[\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}

/** CIE L*a*b* of an sRGB colour, and the distance between two (ΔE 1976): about 2 is the least an eye tells apart. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const f = (v: number) => (v > 0.008856 ? Math.cbrt(v) : 7.787 * v + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const distance = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));
const chroma = (hex: string) => Math.hypot(lab(hex)[1], lab(hex)[2]);

describe('chart colours', () => {
  for (const [theme, selector] of [
    ['light', ':root'],
    ['dark', ":root[data-theme='dark']"],
  ] as const) {
    it(`keeps Other apart from every series colour (${theme})`, () => {
      const tokens = chartTokens(selector);
      const other = tokens.get('chart-other')!;
      const series = [...tokens].filter(([name]) => /^chart-\d+$/.test(name));
      assert.equal(series.length, 10);
      assert.ok(chroma(other) < 12, `Other ${other} is a grey`);
      for (const [name, colour] of series) {
        assert.ok(chroma(colour) >= 25, `${name} ${colour} is a colour, not a grey beside Other's`);
        assert.ok(distance(colour, other) >= 25, `${name} ${colour} is far from Other ${other}`);
      }
    });
  }
});
