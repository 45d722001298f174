/**
 * The engine's answers that charts draw are held as raw state (`$state.raw`), replaced whole, never as deep
 * `$state`: Svelte wraps a deep state's arrays in proxies that make a signal of each cell on its first read,
 * and a chart reads every cell. On 10 million records a box plot of 10,000 slices took a task of 1.3-1.4 s to
 * draw from proxied rows, 0.95-1.2 s from raw ones (the rest is ECharts). Runes do not run under node's test
 * runner, so this reads the declarations in the source.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const source = (path: string) => readFileSync(new URL(`../../../renderer/src/${path}`, import.meta.url), 'utf8');

test('chart data from the engine is raw state in the workbench chart, the entity view and the dashboards', () => {
  assert.match(source('components/workbench/ChartPanel.svelte'), /let data = \$state\.raw<ChartData \| null>\(null\);/);
  assert.match(source('components/entity/EntityView.svelte'), /let chart = \$state\.raw<ChartData \| null>\(null\);/);
  const dashboard = source('components/dashboard/dashboard.svelte.ts');
  assert.match(dashboard, /runs = \$state\.raw<Record<string, PanelRun>>\(\{\}\);/);
  // Raw state changes only when assigned whole: a run set in place would never be drawn.
  assert.doesNotMatch(dashboard, /this\.runs\[[^\]]+\] =/);
});
