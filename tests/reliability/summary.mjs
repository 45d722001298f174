/**
 * Prints the reliability figures the parts of tests/reliability wrote (figures.ts), as one summary, after the
 * node suites of tests/run.mjs (`npm test`, `npm run test:reliability`).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const FIGURES_DIR = new URL('../../test-results/reliability/', import.meta.url).pathname;

/** Forget the figures of an earlier run, so that a part that did not run this time says nothing. */
export function clearFigures() {
  rmSync(FIGURES_DIR, { recursive: true, force: true });
}

/** Prints the summary, if any part ran. */
export function printSummary() {
  if (!existsSync(FIGURES_DIR)) return;
  const parts = readdirSync(FIGURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(FIGURES_DIR, f), 'utf8')));
  if (parts.length === 0) return;
  const full = parts.every((p) => p.full);
  const lines = parts.flatMap((p) => Object.entries(p.figures));
  const width = Math.max(...lines.map(([name]) => name.length));
  console.log(`\nReliability (${full ? 'full suite' : 'fast subset; `npm run test:reliability` runs it all'}):`);
  for (const [name, value] of lines) console.log(`  ${name.padEnd(width)}  ${value}`);
}
