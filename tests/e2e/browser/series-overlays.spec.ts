/**
 * Sumo's `outlier` and `predict` drawn as Sumo draws them, in Chromium: a workspace of 40 minutes of
 * records, a few a minute with a burst at minute 25, and the two queries of the VPC app's
 * "… - Outlier" and "… - Trend" panels over it. The chart must draw every point of the result, the band
 * where the result has one, a marker on each outlier the result marks, and the forecast going on dashed
 * from the last observed minute. What the chart draws is read from its element (`data-series`, made from
 * the ECharts option); what it should draw, from the CLI's answer to the same query.
 * Screenshots at 1440x900 and 1280x720, light and dark.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesSummary } from '../../../renderer/src/lib/chart-option';
import { startOwnServer, type OwnServer } from '../support/own-server';
import { atEachSizeAndTheme, resultStatus, runQuery, shot } from '../support/workbench-steps';

const ROOT = new URL('../../../', import.meta.url).pathname;
const MINUTES = 40;
const BURST = 25;
const OUTLIER = '_sourceCategory=vpc | timeslice 1m | count by _timeslice | outlier _count';
const PREDICT = '_sourceCategory=vpc | timeslice 1m | count by _timeslice | predict _count by 1m forecast=5';

type Row = Record<string, string | number | null>;

function flowscope(...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/flowscope.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`flowscope ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

let server: OwnServer;
const answers: Record<string, Row[]> = {};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startOwnServer({
    prepare: (workspace, dir) => {
      const start = Date.UTC(2026, 2, 10, 12) / 1000;
      const lines: string[] = [];
      for (let m = 0; m < MINUTES; m++) {
        const n = m === BURST ? 40 : 2 + (m % 3);
        for (let i = 0; i < n; i++) {
          const t = start + m * 60 + i;
          lines.push(
            `2 123456789012 eni-0a1b2c3d4e5f60001 198.51.100.${i + 1} 10.0.1.10 443 ${51000 + i} 6 10 840 ${t} ${t + 30} ACCEPT OK`,
          );
        }
      }
      const file = join(dir, 'minutes.log');
      writeFileSync(
        file,
        `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${lines.join('\n')}\n`,
      );
      flowscope('import', file, '--workspace', workspace);
      // The demo's three records are days earlier: the answers are over the imported minutes only.
      const range = [
        '--from',
        new Date(start * 1000).toISOString(),
        '--to',
        new Date((start + 3600) * 1000).toISOString(),
      ];
      for (const q of [OUTLIER, PREDICT])
        answers[q] = JSON.parse(
          flowscope('query', q, '--workspace', workspace, '--dialect', 'sumo', '--format', 'json', ...range),
        ) as Row[];
    },
  });
});

test.afterAll(async () => {
  await server?.close();
});

/**
 * Runs a Sumo query over the imported hour and waits until its chart has drawn: the chart of this answer
 * (its data has one row per row of the answer, and a series of the name given), not the one before it.
 */
async function chartOf(page: Page, query: string, series: string): Promise<SeriesSummary[]> {
  await runQuery(page, query, 'Sumo Logic');
  const rows = answers[query]!.length;
  await expect(resultStatus(page)).toContainText(`${rows} rows`);
  const chart = page.getByRole('region', { name: 'Chart' }).locator('[data-chart-type="line"]');
  await expect(chart).toHaveAttribute('data-points', String(rows));
  await expect(chart).toHaveAttribute('data-series', new RegExp(`"name":"${series}"`));
  await expect(chart).toHaveAttribute('data-drawn', 'true');
  return JSON.parse((await chart.getAttribute('data-series'))!) as SeriesSummary[];
}

async function shots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await atEachSizeAndTheme(page, async (size, theme) => {
    await expect(page.locator('[data-chart-type][data-drawn="false"]')).toHaveCount(0);
    await shot(page, testInfo, `${name}-${size}-${theme}`);
  });
}

test('outlier is drawn as its band with each outlier marked, predict with its forecast going on dashed', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // The URL's token works once: one page for both queries.
  await page.goto(server.url);
  await page.getByLabel('Time range').selectOption({ label: 'Last hour of data' });

  await test.step('outlier: the band, every point, each outlier marked', async () => {
    const rows = answers[OUTLIER]!;
    expect(rows.length).toBe(MINUTES);
    const banded = rows.filter((r) => r._count_lower !== null && r._count_upper !== null).length;
    const marked = rows.filter((r) => r._count_indicator === 1);
    // The burst is an outlier in the answer itself, so the chart has something to mark.
    expect(marked.map((r) => r._count)).toContain(40);

    const drawn = await chartOf(page, OUTLIER, 'outliers');
    const byName = new Map(drawn.map((s) => [s.name, s]));
    expect(byName.get('_count')).toMatchObject({ type: 'line', points: MINUTES });
    expect(byName.get('_count_lower')).toMatchObject({ stack: 'band', points: banded });
    expect(byName.get('expected range')).toMatchObject({ stack: 'band', area: true, points: banded });
    expect(byName.get('outliers')).toMatchObject({ type: 'scatter', points: marked.length });
    await shots(page, testInfo, 'outlier-band');
  });

  await test.step('predict: the observed minutes, the fit, and the forecast going on dashed', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const rows = answers[PREDICT]!;
    const observed = rows.filter((r) => r._count !== null).length;
    expect(observed).toBe(MINUTES);
    expect(rows.length).toBe(MINUTES + 5);

    const drawn = await chartOf(page, PREDICT, 'forecast');
    const byName = new Map(drawn.map((s) => [s.name, s]));
    expect(byName.get('_count')).toMatchObject({ type: 'line', points: observed });
    expect(byName.get('_count')!.line).toBeUndefined();
    expect(byName.get('_count_predicted')).toMatchObject({ line: 'dotted', points: observed });
    // The five forecast minutes and the last observed one they go on from.
    expect(byName.get('forecast')).toMatchObject({ line: 'dashed', points: 6 });
    await shots(page, testInfo, 'predict-forecast');
  });
});
