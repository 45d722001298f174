/**
 * The reliability suite's two sizes and its figures. `npm test` runs the fast subset; `npm run
 * test:reliability` sets FLOWSCOPE_RELIABILITY=full for the whole count (200 kills, 5,000 frames, …). Each
 * part writes what it counted to `test-results/reliability/<part>.json`, and the runners print them all in
 * one summary (summary.mjs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FULL = process.env.FLOWSCOPE_RELIABILITY === 'full';

/** The fast subset's count, or the full suite's. */
export function howMany(fast: number, full: number): number {
  return FULL ? full : fast;
}

const root = new URL('../../', import.meta.url).pathname;
export const FIGURES_DIR = join(root, 'test-results', 'reliability');

/** One line of the summary per figure, in the order given: `{ 'kill -9 at random moments': '200, every …' }`. */
export function recordFigures(part: string, figures: Record<string, string | number>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${part}.json`), `${JSON.stringify({ part, full: FULL, figures }, null, 2)}\n`);
}
